import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ComponentType,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalDiscord } from '../support/discord/index.js';
import { type RunningBot, startBot } from './bot-harness.js';

/** The emulator's user-facing API, driving a tiny inline bot through the interaction shapes Mend uses. */
describe('acting as users', () => {
  let discord: LocalDiscord;
  let bot: RunningBot | undefined;

  beforeEach(async () => {
    discord = await LocalDiscord.start();
  });

  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
    await discord.stop();
  });

  it('sends resolved users and members for a USER option, and a partial channel', async () => {
    const seen: string[] = [];
    bot = await startBot(discord, async (interaction) => {
      if (!interaction.isChatInputCommand() || !interaction.inCachedGuild()) return;
      const partner = interaction.options.getMember('partner');
      seen.push(`${partner?.displayName}`, `${interaction.channel?.name}`, `${interaction.member.displayName}`);
      seen.push(
        `${interaction.memberPermissions.has('ViewChannel')}`,
        `${interaction.appPermissions.has('SendMessages')}`,
      );
      await interaction
        .reply({ content: 'ok', withResponse: true })
        .then((r) => seen.push(`${r.resource?.message?.content}`));
    });
    const sam = discord.user('sam');
    await discord.user('alex').slash('talk', { flow: 'ground-rules', partner: sam.id }, { channel: 'couple' });
    await expect.poll(() => seen).toEqual(['Sam', 'alex-and-sam', 'Alex', 'true', 'true', 'ok']);
    expect(discord.violations()).toEqual([]);
  });

  it('refuses what the Discord client would not let a user do', async () => {
    bot = await startBot(discord, async () => {});
    const robin = discord.user('robin');
    expect(() => robin.slash('talk', { flow: 'ground-rules' }, { channel: 'couple' })).toThrow(/cannot see/);
    expect(() => robin.slash('talk', { flow: 'nope' })).toThrow(/not one of the choices/);
    expect(() => robin.slash('talk', {})).toThrow(/requires the option "flow"/);
    expect(() => robin.slash('hug', {})).toThrow(/no \/hug command/);
  });

  it('keeps an ephemeral reply for its user only', async () => {
    bot = await startBot(discord, async (interaction) => {
      if (interaction.isChatInputCommand()) {
        await interaction.reply({ content: 'only you see this', flags: MessageFlags.Ephemeral });
      }
    });
    const reply = await discord.user('alex').slash('talk', { flow: 'ground-rules' }, { channel: 'general' });
    expect(reply.ephemeral).toBe(true);
    expect(discord.ephemeralsFor('alex').map((m) => m.content)).toEqual(['only you see this']);
    expect(discord.ephemeralsFor('sam')).toEqual([]);
    expect(discord.channelMessages('general')).toEqual([]);
    expect(() => discord.user('sam').click(reply, 'anything')).toThrow(/shown to someone else/);
  });

  it('round-trips a modal built with Label components (text input and string select)', async () => {
    const answers: string[] = [];
    bot = await startBot(discord, async (interaction) => {
      if (interaction.isChatInputCommand()) {
        const modal = new ModalBuilder()
          .setCustomId('admission:1')
          .setTitle('What happened')
          .addLabelComponents(
            new LabelBuilder()
              .setLabel('In your own words')
              .setTextInputComponent(new TextInputBuilder().setCustomId('text').setStyle(TextInputStyle.Paragraph)),
            new LabelBuilder()
              .setLabel('How do you feel?')
              .setStringSelectMenuComponent(
                new StringSelectMenuBuilder()
                  .setCustomId('feelings')
                  .setMinValues(1)
                  .setMaxValues(2)
                  .addOptions({ label: 'Sad', value: 'sad' }, { label: 'Hopeful', value: 'hopeful' }),
              ),
          );
        await interaction.showModal(modal);
      } else if (interaction.isModalSubmit()) {
        answers.push(interaction.fields.getTextInputValue('text'));
        answers.push(...interaction.fields.getStringSelectValues('feelings'));
        await interaction.reply({ content: 'Thank you', flags: MessageFlags.Ephemeral });
      }
    });
    const alex = discord.user('alex');
    const opened = await alex.slash('talk', { flow: 'admit-mistake' }, { channel: 'couple' });
    expect(opened.kind).toBe('modal');
    expect(opened.modal?.title).toBe('What happened');
    expect(() => alex.submitModal(opened, { text: 'x', mood: ['sad'] })).toThrow(/has no field "mood"/);
    expect(() => alex.submitModal(opened, { text: 'x', feelings: ['angry'] })).toThrow(/not offered/);
    expect(() => alex.submitModal(opened, { feelings: ['sad'] })).toThrow(/"text": is required/);
    const thanks = await alex.submitModal(opened, { text: 'I broke a promise.', feelings: ['sad', 'hopeful'] });
    expect(thanks.message?.content).toBe('Thank you');
    expect(answers).toEqual(['I broke a promise.', 'sad', 'hopeful']);
    expect(discord.violations()).toEqual([]);
  });

  it('round-trips a legacy modal with a text input in an action row', async () => {
    let answer = '';
    bot = await startBot(discord, async (interaction) => {
      if (interaction.isChatInputCommand()) {
        const input = new TextInputBuilder().setCustomId('text').setLabel('Answer').setStyle(TextInputStyle.Short);
        const modal = new ModalBuilder()
          .setCustomId('legacy')
          .setTitle('Legacy form')
          .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input));
        await interaction.showModal(modal);
      } else if (interaction.isModalSubmit()) {
        answer = interaction.fields.getTextInputValue('text');
        // Closes the modal without a message: Discord accepts a deferred update for any modal submit.
        await interaction.deferUpdate();
      }
    });
    const alex = discord.user('alex');
    const opened = await alex.slash('talk', { flow: 'admit-mistake' }, { channel: 'couple' });
    const done = await alex.submitModal(opened, { text: 'hello' });
    expect(answer).toBe('hello');
    expect(done.kind).toBe('deferred-update');
    expect(done.message).toBeNull();
    expect(discord.violations()).toEqual([]);
  });

  it('handles buttons: deferUpdate + followUp, update, and the message passed with the click', async () => {
    let clickedMessageContent = '';
    bot = await startBot(discord, async (interaction) => {
      if (interaction.isChatInputCommand()) {
        await interaction.deferReply();
        const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
          new ButtonBuilder().setCustomId('ready').setLabel("I'm ready").setStyle(ButtonStyle.Primary),
          new ButtonBuilder().setCustomId('later').setLabel('Not now').setStyle(ButtonStyle.Secondary),
        );
        await interaction.editReply({ content: 'Are you both ready?', components: [row] });
      } else if (interaction.isButton() && interaction.customId === 'ready') {
        clickedMessageContent = interaction.message.content;
        await interaction.deferUpdate();
        await interaction.followUp({ content: 'Noted: you are ready.', flags: MessageFlags.Ephemeral });
      } else if (interaction.isButton() && interaction.customId === 'later') {
        await interaction.update({ content: 'Paused. Use /talk to come back.', components: [] });
      }
    });
    const alex = discord.user('alex');
    const prompt = await alex.slash('talk', { flow: 'ground-rules' }, { channel: 'couple' });
    expect(prompt.kind).toBe('deferred-message');
    const asked = await prompt.waitForReply();
    expect(asked.content).toBe('Are you both ready?');

    const ready = await alex.click(asked, "I'm ready");
    expect(ready.kind).toBe('deferred-update');
    expect(clickedMessageContent).toBe('Are you both ready?');
    const note = await ready.waitForFollowUp();
    expect(note.content).toBe('Noted: you are ready.');
    expect(discord.ephemeralsFor('alex').map((m) => m.content)).toEqual(['Noted: you are ready.']);

    const later = await discord.user('sam').click((m) => m.content === 'Are you both ready?', 'later');
    expect(later.kind).toBe('update');
    expect(discord.lastMessage('couple')?.content).toBe('Paused. Use /talk to come back.');
    expect(discord.lastMessage('couple')?.components).toEqual([]);
    expect(() => alex.click(asked, 'ready')).toThrow(/no button "ready"/);
    expect(discord.violations()).toEqual([]);
  });

  it('handles a string select on a message', async () => {
    let picked: string[] = [];
    bot = await startBot(discord, async (interaction) => {
      if (interaction.isChatInputCommand()) {
        const select = new StringSelectMenuBuilder()
          .setCustomId('need')
          .setMaxValues(2)
          .addOptions({ label: 'Rest', value: 'rest' }, { label: 'Respect', value: 'respect' });
        await interaction.reply({
          content: 'Pick a need',
          components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(select)],
        });
      } else if (interaction.isStringSelectMenu()) {
        picked = interaction.values;
        await interaction.update({ content: `Picked ${interaction.values.join(' and ')}`, components: [] });
      }
    });
    const alex = discord.user('alex');
    const prompt = await alex.slash('talk', { flow: 'ground-rules' }, { channel: 'couple' });
    expect(() => alex.select(prompt, 'need', ['sleep'])).toThrow(/not offered/);
    const updated = await alex.select(prompt, 'need', ['rest', 'respect']);
    expect(picked).toEqual(['rest', 'respect']);
    expect(updated.message?.content).toBe('Picked rest and respect');
    const component = prompt.message?.components;
    expect(component).toEqual([]);
    expect(discord.violations()).toEqual([]);
  });

  it('lets the bot post with channel.send and edit with message.edit', async () => {
    bot = await startBot(discord, async (interaction) => {
      if (interaction.isChatInputCommand() && interaction.inCachedGuild()) {
        await interaction.reply({ content: 'Starting', flags: MessageFlags.Ephemeral });
        const channel = interaction.channel;
        if (!channel) throw new Error('no channel');
        const posted = await channel.send({ content: 'Summary (draft)', allowedMentions: { parse: [] } });
        await posted.edit({ content: 'Summary', allowedMentions: { parse: [] } });
      }
    });
    await discord.user('alex').slash('talk', { flow: 'ground-rules' }, { channel: 'couple' });
    const summary = await discord.waitForMessage('couple', (m) => m.content === 'Summary');
    expect(summary.edited_timestamp).not.toBeNull();
    expect(discord.channelMessages('couple').map((m) => m.content)).toEqual(['Summary']);
    expect(discord.violations()).toEqual([]);
  });

  it('creates a private channel with permission overwrites and tells the bot over the gateway', async () => {
    let createdId = '';
    bot = await startBot(discord, async (interaction) => {
      if (!interaction.isChatInputCommand() || !interaction.inCachedGuild()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const partner = interaction.options.getUser('partner', true);
      const created = await interaction.guild.channels.create({
        name: 'Alex and Sam',
        permissionOverwrites: [
          { id: interaction.guild.roles.everyone.id, deny: ['ViewChannel'] },
          { id: interaction.user.id, allow: ['ViewChannel', 'SendMessages'] },
          { id: partner.id, allow: ['ViewChannel', 'SendMessages'] },
          { id: interaction.client.user.id, allow: ['ViewChannel', 'SendMessages', 'EmbedLinks'] },
        ],
      });
      createdId = created.id;
      await interaction.editReply({ content: `Created <#${created.id}>` });
      await created.send({ content: 'Welcome, both of you.', allowedMentions: { parse: [] } });
    });
    const reply = await discord.user('alex').slash('talk', { flow: 'ground-rules', partner: 'sam' });
    expect((await reply.waitForReply()).content).toMatch(/^Created <#\d+>$/);
    await discord.waitForMessage(createdId, (m) => m.content === 'Welcome, both of you.');
    expect(discord.channel(createdId)).toMatchObject({ name: 'alex-and-sam' });
    expect(discord.user('alex').canSee(createdId)).toBe(true);
    expect(discord.user('sam').canSee(createdId)).toBe(true);
    expect(discord.user('robin').canSee(createdId)).toBe(false);
    expect(bot.client.channels.cache.has(createdId)).toBe(true);
    expect(discord.violations()).toEqual([]);
  });

  it('answers 403 Missing Permissions when the bot may not manage channels', async () => {
    await discord.stop();
    discord = await LocalDiscord.start({
      scenario: (await import('../support/discord/index.js')).coupleScenario({
        botPermissions: ['ViewChannel', 'SendMessages', 'EmbedLinks'],
      }),
    });
    const failures: unknown[] = [];
    bot = await startBot(discord, async (interaction) => {
      if (!interaction.isChatInputCommand() || !interaction.inCachedGuild()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.guild.channels.create({ name: 'private' }).catch((error: unknown) => failures.push(error));
      await interaction.editReply({ content: 'I cannot create channels here.' });
    });
    const reply = await discord.user('alex').slash('talk', { flow: 'ground-rules' });
    await reply.waitForReply();
    expect(failures).toEqual([expect.objectContaining({ status: 403, code: 50013 })]);
    expect(discord.requests({ route: 'POST /guilds/:guild_id/channels' })[0]?.note).toMatch(/Manage Channels/);
    // Missing permissions is Discord answering normally, not the bot breaking a rule.
    expect(discord.violations()).toEqual([]);
  });

  it('drops a component from the message only when the bot edits it', async () => {
    bot = await startBot(discord, async (interaction) => {
      if (interaction.isChatInputCommand()) {
        const button = new ButtonBuilder().setCustomId('go').setLabel('Go').setStyle(ButtonStyle.Success);
        await interaction.reply({
          content: 'Go?',
          components: [new ActionRowBuilder<ButtonBuilder>().addComponents(button)],
        });
      } else if (interaction.isButton()) {
        await interaction.reply({ content: 'Went', flags: MessageFlags.Ephemeral });
      }
    });
    const prompt = await discord.user('alex').slash('talk', { flow: 'ground-rules' });
    const row = prompt.message?.components?.[0];
    expect(row?.type).toBe(ComponentType.ActionRow);
    const first = await discord.user('alex').click(prompt, 'Go');
    const second = await discord.user('sam').click(prompt, 'go');
    expect([first.kind, second.kind]).toEqual(['message', 'message']);
    expect(discord.interactionTimings().map((t) => t.label)).toEqual([
      'alex: /talk',
      'alex: button "Go" [go]',
      'sam: button "Go" [go]',
    ]);
  });
});

describe('what the bot can read back', () => {
  let discord: LocalDiscord;
  let bot: RunningBot | undefined;

  beforeEach(async () => {
    discord = await LocalDiscord.start();
  });

  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
    await discord.stop();
  });

  it('serves the application, users, guild, roles, members, channels and messages', async () => {
    const facts: Record<string, unknown> = {};
    bot = await startBot(discord, async (interaction) => {
      if (!interaction.isChatInputCommand() || !interaction.inCachedGuild()) return;
      await interaction.reply({ content: 'Checking', flags: MessageFlags.Ephemeral });
      const { client, guild } = interaction;
      const application = await client.application.fetch();
      facts.application = application.name;
      facts.me = (await client.user.fetch(true)).username;
      facts.partner = (await client.users.fetch(discord.user('sam').id, { force: true })).globalName;
      facts.guild = (await guild.fetch()).name;
      facts.roles = (await guild.roles.fetch()).map((r) => r.name).sort();
      facts.member = (await guild.members.fetch({ user: interaction.user.id, force: true })).displayName;
      facts.channels = (await guild.channels.fetch()).map((c) => c?.name).sort();
      const channel = await client.channels.fetch(interaction.channelId, { force: true });
      facts.channel = channel && 'name' in channel ? channel.name : null;
      const reply = await interaction.fetchReply();
      facts.reply = reply.content;
      await interaction.deleteReply();
      facts.replyAfterDelete = discord.ephemeralsFor('alex').length;
      if (channel?.isSendable()) {
        const posted = await channel.send({ content: 'Read me back', allowedMentions: { parse: [] } });
        facts.fetched = (await channel.messages.fetch({ message: posted.id, force: true })).content;
      }
    });
    await discord.user('alex').slash('talk', { flow: 'ground-rules' }, { channel: 'couple' });
    await expect.poll(() => facts.fetched).toBe('Read me back');
    expect(facts).toEqual({
      application: 'Mend',
      me: 'Mend',
      partner: 'Sam',
      guild: 'Home',
      roles: ['@everyone', 'Mend'],
      member: 'Alex',
      channels: ['alex-and-sam', 'general'],
      channel: 'alex-and-sam',
      reply: 'Checking',
      replyAfterDelete: 0,
      fetched: 'Read me back',
    });
    expect(bot.errors).toEqual([]);
    expect(discord.violations()).toEqual([]);
  });
});
