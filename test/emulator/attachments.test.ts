import { AttachmentBuilder, DiscordAPIError, MessageFlags } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { harnessPerTest } from './bot-harness.js';

const file = (name: string, text: string) => new AttachmentBuilder(Buffer.from(text, 'utf8'), { name });

/** Files a bot attaches: their bytes are kept, and Discord's limits on them enforced. */
describe('attachments in the local Discord', () => {
  const setUp = harnessPerTest();

  it('keeps the bytes of files sent with an ephemeral reply; the message JSON stays as Discord’s', async () => {
    const { discord } = await setUp(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply({
        content: 'Your copy',
        files: [file('notes.md', '# Notes\nü and ✓'), file('data.json', '{"a":1}')],
        flags: MessageFlags.Ephemeral,
      });
    });
    const reply = await discord.user('alex').slash('talk', { flow: 'ground-rules' }, { channel: 'couple' });
    expect(reply.ephemeral).toBe(true);
    const message = await reply.waitForReply();
    expect(message.attachments.map((a) => [a.filename, a.size])).toEqual([
      ['notes.md', Buffer.byteLength('# Notes\nü and ✓')],
      ['data.json', 7],
    ]);
    expect(message.attachments[0]?.url).toMatch(/^https:\/\/cdn\.local-discord\.invalid\/attachments\/\d+\/notes\.md$/);
    expect(discord.attachment(message, 'notes.md').toString('utf8')).toBe('# Notes\nü and ✓');
    expect(JSON.parse(discord.attachment(message.id, 'data.json').toString('utf8'))).toEqual({ a: 1 });
    expect(() => discord.attachment(message, 'other.txt')).toThrow(/has: notes\.md, data\.json/);
    expect(discord.ephemeralsFor('sam')).toEqual([]);
    expect(discord.violations()).toEqual([]);
  });

  it('fills a deferred ephemeral reply with files through editReply, and takes more in follow-ups', async () => {
    const { discord } = await setUp(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      // What the bot sees: the server's limit per file, from the interaction.
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.editReply({
        content: `limit ${interaction.attachmentSizeLimit}`,
        files: [file('part-1.md', 'one')],
      });
      await interaction.followUp({ files: [file('part-2.md', 'two')], flags: MessageFlags.Ephemeral });
      // An edit that says nothing of attachments keeps them.
      await interaction.editReply({ content: 'edited' });
    });
    const reply = await discord.user('alex').slash('talk', { flow: 'ground-rules' }, { channel: 'couple' });
    expect(reply.kind).toBe('deferred-message');
    expect(reply.ephemeral).toBe(true);
    await discord.settled();
    const original = await reply.waitForReply();
    expect(original.content).toBe('edited');
    expect(discord.attachment(original, 'part-1.md').toString()).toBe('one');
    const [followUp] = reply.followUps;
    expect(followUp && discord.attachment(followUp, 'part-2.md').toString()).toBe('two');
    expect(discord.ephemeralsFor('alex').map((m) => m.attachments.map((a) => a.filename))).toEqual([
      ['part-1.md'],
      ['part-2.md'],
    ]);
    expect(
      discord.requests({ route: 'PATCH /webhooks/:application_id/:interaction_token/messages/:message_id' }),
    ).toHaveLength(2);
    expect(discord.requests().filter((r) => r.status >= 400)).toEqual([]);
    expect(discord.violations()).toEqual([]);
  });

  it('tells the bot the server’s limit per file, and refuses a larger file with 413', async () => {
    const { discord, bot } = await setUp(
      async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        await interaction.editReply({ content: String(interaction.attachmentSizeLimit) });
        await interaction.followUp({ files: [file('big.md', 'x'.repeat(1001))], flags: MessageFlags.Ephemeral });
      },
      { attachmentSizeLimit: 1000 },
    );
    const reply = await discord.user('alex').slash('talk', { flow: 'ground-rules' }, { channel: 'couple' });
    await expect.poll(() => bot.errors).toHaveLength(1);
    expect((await reply.waitForReply()).content).toBe('1000');
    expect(bot.errors[0]).toBeInstanceOf(DiscordAPIError);
    expect(bot.errors[0]).toMatchObject({ status: 413, code: 40005 });
    expect(discord.violations().map((v) => v.reason)).toEqual(['files[0]: "big.md" is 1001 bytes (max 1000 per file)']);
    expect(discord.ephemeralsFor('alex')).toHaveLength(1);
  });

  it('refuses an eleventh attachment on one message', async () => {
    const { discord, bot } = await setUp(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const files = Array.from({ length: 11 }, (_, i) => file(`part-${i + 1}.md`, `part ${i + 1}`));
      await interaction.editReply({ files });
    });
    await discord.user('alex').slash('talk', { flow: 'ground-rules' }, { channel: 'couple' });
    await expect.poll(() => bot.errors).toHaveLength(1);
    expect(bot.errors[0]).toMatchObject({ status: 400, code: 50035 });
    // Discord's schema already caps the `attachments` list discord.js sends with the files.
    expect(discord.violations().map((v) => v.reason)).toEqual([
      'attachments: Too big: expected array to have <=10 items',
    ]);
    expect(discord.ephemeralsFor('alex').flatMap((m) => m.attachments)).toEqual([]);
  });

  it('accepts ten attachments on one message', async () => {
    const { discord } = await setUp(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const files = Array.from({ length: 10 }, (_, i) => file(`part-${i + 1}.md`, `part ${i + 1}`));
      await interaction.reply({ files, flags: MessageFlags.Ephemeral });
    });
    const reply = await discord.user('alex').slash('talk', { flow: 'ground-rules' }, { channel: 'couple' });
    const message = await reply.waitForReply();
    expect(message.attachments).toHaveLength(10);
    expect(discord.attachment(message, 'part-10.md').toString()).toBe('part 10');
    expect(discord.violations()).toEqual([]);
  });
});
