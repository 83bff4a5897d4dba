import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalDiscord } from '../support/discord/index.js';
import { type RunningBot, startBot } from './bot-harness.js';

describe('a real discord.js client against the local Discord', () => {
  let discord: LocalDiscord;
  let bot: RunningBot;

  beforeEach(async () => {
    discord = await LocalDiscord.start();
  });

  afterEach(async () => {
    await bot?.stop();
    await discord.stop();
  });

  it('logs in, sees the guild and its channels, and registers commands', async () => {
    const started = Date.now();
    bot = await startBot(discord, async () => {});
    expect(Date.now() - started).toBeLessThan(3000);
    const guild = bot.client.guilds.cache.get(discord.guildId());
    expect(guild?.name).toBe('Home');
    expect(guild?.channels.cache.map((c) => c.name).sort()).toEqual(['alex-and-sam', 'general']);
    expect(guild?.roles.everyone.id).toBe(discord.guildId());
    // Without the Guild Members intent, Discord sends only the bot's own member.
    expect([...(guild?.members.cache.keys() ?? [])]).toEqual([discord.botUserId]);
    expect(discord.commands('home').map((c) => c.name)).toEqual(['talk']);
    expect(discord.violations()).toEqual([]);
  });

  it('answers a slash command with a reply', async () => {
    bot = await startBot(discord, async (interaction) => {
      if (interaction.isChatInputCommand()) {
        const partner = interaction.options.getUser('partner');
        await interaction.reply({ content: `flow ${interaction.options.getString('flow')} with ${partner?.username}` });
      }
    });
    const sam = discord.user('sam');
    const reply = await discord
      .user('alex')
      .slash('talk', { flow: 'admit-mistake', partner: sam }, { channel: 'couple' });
    expect(reply.kind).toBe('message');
    expect(reply.ephemeral).toBe(false);
    expect(reply.message?.content).toBe('flow admit-mistake with sam');
    expect(discord.lastMessage('couple')?.content).toBe('flow admit-mistake with sam');
    expect(reply.latencyMs).toBeGreaterThan(0);
    expect(discord.interactionTimings()).toHaveLength(1);
    expect(discord.violations()).toEqual([]);
  });
});
