import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { LocalDiscord } from '../support/discord/index.js';
import { harnessPerTest } from './bot-harness.js';

/** `settled()`: the moment everything the bot set out to do has reached the local Discord. */
describe('settled()', () => {
  const setUp = harnessPerTest();

  const contents = (d: LocalDiscord) => d.channelMessages('couple').map((m) => m.content);

  it('includes the posts a bot makes just after acknowledging', async () => {
    const { discord } = await setUp(async (interaction) => {
      if (!interaction.isChatInputCommand() || !interaction.channel?.isSendable()) return;
      await interaction.reply({ content: 'On it' });
      // A moment of nothing between the callback's answer and the next request.
      await sleep(2);
      await interaction.channel.send({ content: 'first follow-up post' });
      await interaction.channel.send({ content: 'second follow-up post' });
    });
    const reply = await discord.user('alex').slash('talk', { flow: 'ground-rules' }, { channel: 'couple' });
    // The action resolves at the first response, before anything that follows it.
    expect(reply.message?.content).toBe('On it');
    expect(contents(discord)).toEqual(['On it']);

    await discord.settled();
    expect(contents(discord)).toEqual(['On it', 'first follow-up post', 'second follow-up post']);
    expect(discord.violations()).toEqual([]);
  });

  it('waits while the busy probe says the bot is still working', async () => {
    let working = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { discord } = await setUp(async (interaction) => {
      if (!interaction.isChatInputCommand() || !interaction.channel?.isSendable()) return;
      working += 1;
      try {
        await interaction.reply({ content: 'On it' });
        // Work that reaches no one for a while (a slow store write, say): only the bot knows it is busy.
        await gate;
        await interaction.channel.send({ content: 'done' });
      } finally {
        working -= 1;
      }
    });
    await discord.user('alex').slash('talk', { flow: 'ground-rules' }, { channel: 'couple' });
    let releasedAt = 0;
    setTimeout(() => {
      releasedAt = performance.now();
      release();
    }, 40);
    await discord.settled({ busy: () => working > 0 });
    expect(releasedAt).toBeGreaterThan(0);
    expect(contents(discord)).toEqual(['On it', 'done']);
  });

  it('counts an interaction that missed its deadline as settled (the violation is recorded)', async () => {
    const { discord } = await setUp(async () => {}, { firstResponseDeadlineMs: 50 });
    await expect(discord.user('alex').slash('talk', { flow: 'ground-rules' }, { channel: 'couple' })).rejects.toThrow(
      /did not respond within 50 ms/,
    );
    await discord.settled();
    expect(discord.violations().map((v) => v.reason)).toEqual([expect.stringContaining('no response within 50 ms')]);
  });

  it('says what is still pending when it times out', async () => {
    const { discord } = await setUp(async () => {}, { firstResponseDeadlineMs: 10_000 });
    const unanswered = discord.user('alex').slash('talk', { flow: 'ground-rules' }, { channel: 'couple' });
    unanswered.catch(() => undefined);
    await expect(discord.settled({ timeoutMs: 100 })).rejects.toThrow(
      /did not settle within 100 ms; still pending: alex: \/talk \(no first response after \d+ ms\)/,
    );
    await expect(discord.settled({ timeoutMs: 100, busy: () => true })).rejects.toThrow(/the bot says it is busy/);
  });

  it('resolves at once (after the quiet window) when nothing happened', async () => {
    const { discord } = await setUp(async () => {});
    const started = performance.now();
    await discord.settled({ quietMs: 5 });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
