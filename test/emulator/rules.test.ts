import { setTimeout as sleep } from 'node:timers/promises';
import { DiscordAPIError, EmbedBuilder, HTTPError, MessageFlags, Routes } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { coupleScenario, NO_PINGS } from '../support/discord/index.js';
import { harnessPerTest } from './bot-harness.js';

/** Discord's rules, enforced and recorded: what a bot gets wrong shows up in `violations()`. */
describe('rules the local Discord enforces', () => {
  const setUp = harnessPerTest();

  it('refuses and records a message with 2001 characters of content', async () => {
    const { discord, bot } = await setUp(async (interaction) => {
      if (!interaction.isChatInputCommand() || !interaction.channel?.isSendable()) return;
      await interaction.reply({ content: 'Posting the summary', flags: MessageFlags.Ephemeral });
      await interaction.channel.send({ content: 'x'.repeat(2001) });
    });
    await discord.user('alex').slash('talk', { flow: 'ground-rules' }, { channel: 'couple' });
    await expect.poll(() => bot.errors).toHaveLength(1);
    expect(bot.errors[0]).toBeInstanceOf(DiscordAPIError);
    expect(bot.errors[0]).toMatchObject({ status: 400, code: 50035 });
    expect(discord.violations()).toEqual([
      expect.objectContaining({
        route: 'POST /channels/:channel_id/messages',
        reason: 'content: 2001 characters (max 2000)',
        excerpt: expect.stringMatching(/^\{"content":"xxx/),
      }),
    ]);
    expect(discord.channelMessages('couple')).toEqual([]);
  });

  it('refuses and records embeds over the documented limits', async () => {
    const { discord, bot } = await setUp(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const long = new EmbedBuilder().setDescription('y'.repeat(4000));
      await interaction.reply({ embeds: [long, long] });
    });
    await expect(discord.user('alex').slash('talk', { flow: 'ground-rules' })).rejects.toThrow(/refused/);
    await expect.poll(() => bot.errors).toHaveLength(1);
    expect(discord.violations().map((v) => v.reason)).toEqual([
      'embeds: 8000 characters in total across all embeds (max 6000)',
    ]);
  });

  it('answers a second response with 40060 and records it', async () => {
    const { discord, bot } = await setUp(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      // Two code paths answering the same interaction: both requests leave before either returns.
      const results = await Promise.allSettled([interaction.reply('first'), interaction.reply('second')]);
      for (const result of results) if (result.status === 'rejected') throw result.reason;
    });
    const reply = await discord.user('alex').slash('talk', { flow: 'ground-rules' });
    expect(reply.message?.content).toBe('first');
    await expect.poll(() => bot.errors).toHaveLength(1);
    expect(bot.errors[0]).toMatchObject({ status: 400, code: 40060 });
    expect(discord.violations()).toEqual([
      expect.objectContaining({
        route: 'POST /interactions/:interaction_id/:interaction_token/callback',
        reason: expect.stringContaining('second response'),
      }),
    ]);
  });

  it('accepts a modal only as the first response', async () => {
    const { discord, bot } = await setUp(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply();
      // discord.js would refuse showModal after deferReply; send the callback directly, as a buggy bot might.
      await interaction.client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
        auth: false,
        body: {
          type: 9,
          data: {
            custom_id: 'm',
            title: 'Too late',
            components: [{ type: 18, label: 'Answer', component: { type: 4, custom_id: 'a', style: 1 } }],
          },
        },
      });
    });
    const reply = await discord.user('alex').slash('talk', { flow: 'ground-rules' });
    expect(reply.kind).toBe('deferred-message');
    await expect.poll(() => bot.errors).toHaveLength(1);
    expect(bot.errors[0]).toMatchObject({ code: 40060 });
    expect(discord.violations().map((v) => v.reason)).toEqual([
      'alex: /talk: a modal must be the first response, but the interaction was already acknowledged',
    ]);
  });

  it('rejects a first response after the deadline with 10062 and records the latency', async () => {
    const { discord, bot } = await setUp(
      async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        await sleep(300);
        await interaction.reply('too late');
      },
      { firstResponseDeadlineMs: 200 },
    );
    await expect(discord.user('alex').slash('talk', { flow: 'ground-rules' })).rejects.toThrow(
      /did not respond within 200 ms/,
    );
    await expect.poll(() => bot.errors).toHaveLength(1);
    expect(bot.errors[0]).toMatchObject({ status: 404, code: 10062 });
    expect(discord.violations().map((v) => v.reason)).toEqual([
      'alex: /talk: no response within 200 ms',
      expect.stringMatching(/^alex: \/talk: first response after \d+ ms \(deadline 200 ms\)$/),
    ]);
    expect(discord.interactionTimings()).toEqual([
      expect.objectContaining({ label: 'alex: /talk', latencyMs: null, missedDeadline: true }),
    ]);
    expect(discord.channelMessages('general')).toEqual([]);
  });

  it('refuses a follow-up before the interaction is acknowledged', async () => {
    const { discord, bot } = await setUp(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.webhook.send({ content: 'too early' }).catch((error: unknown) => bot?.errors.push(error));
      await interaction.reply({ content: 'now', flags: MessageFlags.Ephemeral });
    });
    await discord.user('alex').slash('talk', { flow: 'ground-rules' });
    expect(bot.errors).toEqual([expect.objectContaining({ status: 404, code: 10015 })]);
    expect(discord.violations().map((v) => v.reason)).toEqual([
      'alex: /talk: follow-up or edit before the interaction was acknowledged',
    ]);
  });

  it('refuses edits once the interaction token has expired', async () => {
    const { discord, bot } = await setUp(
      async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        await interaction.deferReply();
        await sleep(150);
        await interaction.editReply('finally');
      },
      { interactionTokenLifetimeMs: 100 },
    );
    await discord.user('alex').slash('talk', { flow: 'ground-rules' });
    await expect.poll(() => bot.errors).toHaveLength(1);
    expect(bot.errors[0]).toMatchObject({ status: 401, code: 50027 });
    expect(discord.violations().map((v) => v.reason)).toEqual(['alex: /talk: interaction token used after it expired']);
  });

  it('records a route it does not know', async () => {
    const { discord, bot } = await setUp(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
      await interaction.client.rest.get(Routes.channelPins(interaction.channelId));
    });
    await discord.user('alex').slash('talk', { flow: 'ground-rules' });
    await expect.poll(() => bot.errors).toHaveLength(1);
    expect(bot.errors[0]).toMatchObject({ status: 404 });
    expect(discord.violations()).toEqual([
      expect.objectContaining({ route: expect.stringMatching(/^GET \/channels\/\d+\/pins$/) }),
    ]);
  });

  describe('pings', () => {
    const everyoneAndAlex = (alexId: string) => `@everyone <@${alexId}> said this`;

    it('allowed_mentions { parse: [] } pings nobody; no allowed_mentions pings who is mentioned', async () => {
      const { discord } = await setUp(async (interaction) => {
        if (!interaction.isChatInputCommand() || !interaction.channel?.isSendable()) return;
        const text = everyoneAndAlex(interaction.user.id);
        await interaction.reply({ content: text, allowedMentions: { parse: [] } });
        await interaction.channel.send({ content: text });
        await interaction.followUp({ content: text, allowedMentions: { users: [interaction.user.id] } });
      });
      const alex = discord.user('alex');
      const reply = await alex.slash('talk', { flow: 'ground-rules' }, { channel: 'general' });
      const [safe, unguarded] = await Promise.all([
        reply.waitForReply(),
        discord.waitForMessage('general', (m) => m.webhook_id === undefined),
      ]);
      const listed = await reply.waitForFollowUp();
      expect(discord.pingsFrom(safe)).toEqual(NO_PINGS);
      // The bot lacks Mention Everyone here, so @everyone stays text even without allowed_mentions.
      expect(discord.pingsFrom(unguarded)).toEqual({ users: [alex.id], roles: [], everyone: false, here: false });
      expect(discord.pingsFrom(listed)).toEqual({ users: [alex.id], roles: [], everyone: false, here: false });
      expect(unguarded.mentions.map((u) => u.id)).toEqual([alex.id]);
      expect(discord.messagesThatPing().map((m) => m.message.id)).toEqual([unguarded.id, listed.id]);
    });

    it('counts @everyone when the bot may mention everyone, and never counts embeds', async () => {
      const scenario = coupleScenario({
        botPermissions: ['ViewChannel', 'SendMessages', 'EmbedLinks', 'MentionEveryone'],
      });
      const { discord } = await setUp(
        async (interaction) => {
          if (!interaction.isChatInputCommand()) return;
          const text = everyoneAndAlex(interaction.user.id);
          await interaction.reply({ content: text, embeds: [new EmbedBuilder().setDescription(text)] });
        },
        { scenario },
      );
      const reply = await discord.user('alex').slash('talk', { flow: 'ground-rules' }, { channel: 'general' });
      expect(discord.pingsFrom(reply.message?.id ?? '')).toEqual({
        users: [discord.user('alex').id],
        roles: [],
        everyone: true,
        here: false,
      });
    });
  });

  describe('failures on request', () => {
    it('fails the next request to a route, which @discordjs/rest retries', async () => {
      const { discord, bot } = await setUp(async (interaction) => {
        if (!interaction.isChatInputCommand() || !interaction.channel?.isSendable()) return;
        await interaction.reply({ content: 'posting', flags: MessageFlags.Ephemeral });
        await interaction.channel.send({ content: 'Summary', allowedMentions: { parse: [] } });
      });
      discord.failNext('POST /channels/:channel_id/messages', { status: 503 });
      await discord.user('alex').slash('talk', { flow: 'ground-rules' });
      await discord.waitForMessage('general', (m) => m.content === 'Summary');
      await expect
        .poll(() => discord.requests({ route: 'POST /channels/:channel_id/messages' }).map((r) => r.status))
        .toEqual([503, 200]);
      expect(bot.errors).toEqual([]);
    });

    it('surfaces an HTTPError once the failures outlast the retries', async () => {
      const { discord, bot } = await setUp(async (interaction) => {
        if (!interaction.isChatInputCommand() || !interaction.channel?.isSendable()) return;
        await interaction.reply({ content: 'posting', flags: MessageFlags.Ephemeral });
        await interaction.channel.send({ content: 'Summary', allowedMentions: { parse: [] } });
      });
      discord.failNext('POST /channels/:channel_id/messages', { status: 500, times: 4 });
      await discord.user('alex').slash('talk', { flow: 'ground-rules' });
      await expect.poll(() => bot.errors).toHaveLength(1);
      expect(bot.errors[0]).toBeInstanceOf(HTTPError);
      expect(discord.requests({ route: 'POST /channels/:channel_id/messages' }).map((r) => r.status)).toEqual([
        500, 500, 500, 500,
      ]);
      expect(() => discord.failNext('POST /channel/:id/messages')).toThrow(/unknown route/);
    });
  });

  it('replays an interaction sent while the bot was disconnected, once it resumes', async () => {
    const { discord } = await setUp(async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'back', flags: MessageFlags.Ephemeral });
    });
    discord.disconnectBot();
    await expect.poll(() => discord.botConnected).toBe(false);
    const reply = await discord.user('alex').slash('talk', { flow: 'ground-rules' });
    expect(reply.message?.content).toBe('back');
    expect(discord.botConnected).toBe(true);
    expect(discord.violations()).toEqual([]);
  });
});
