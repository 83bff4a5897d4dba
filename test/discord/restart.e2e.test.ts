/**
 * The bot as a separate process (`src/main.ts`, as `npm start` runs it), interrupted mid-session —
 * killed outright (SIGKILL) or asked to stop (SIGTERM) — and started again on the same SQLite
 * file: the session resumes from the next prompt and completes, with every answer in its summary.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/engine/flow-registry.js';
import { type BotProcess, spawnBot, untilReady } from '../support/bot-process.js';
import { coupleScenario, LocalDiscord } from '../support/discord/index.js';
import { expectedAnswers } from '../support/flow-walk.js';
import { answerMessage, normalise, playThroughDiscord, waitFor, wholeSummary } from '../support/legacy-world.js';
import { completionScript } from '../support/play.js';

const flows = await loadFlows();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'mend-restart-'));
  const discord = await LocalDiscord.start({ scenario: coupleScenario() });
  const bots: BotProcess[] = [];
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => discord.stop());
  cleanups.push(() => {
    for (const bot of bots) if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
  });
  const env = { STORE_URL: `sqlite://${join(dir, 'mend.sqlite')}` };
  const start = async () => {
    const bot = spawnBot(discord, env);
    bots.push(bot);
    await untilReady(bot);
    await discord.waitForBot();
    return bot;
  };
  return { discord, start };
}

describe.each([
  ['SIGKILL', 'killed outright'],
  ['SIGTERM', 'stopped gracefully'],
] as const)('the bot %s mid-session', (signal, how) => {
  it(`${how}, started again on the same file: the session resumes and completes`, async () => {
    const { discord, start } = await setUp();
    const flow = flows.get('admit-mistake');
    if (!flow) throw new Error('missing flow');
    const script = completionScript(flow);
    const half = Math.floor(script.length / 2);
    const alex = discord.user('alex');
    const sam = discord.user('sam');

    const first = await start();
    await alex.slash('talk', { flow: flow.id, partner: sam.id }, { channel: 'couple' });
    await waitFor(() => answerMessage({ discord }, 'couple') !== undefined, 'the first prompt', 5000);
    await playThroughDiscord({ discord }, 'couple', script.slice(0, half));
    // Let the bot post the prompt that follows the last answer before it goes.
    await waitFor(() => answerMessage({ discord }, 'couple') !== undefined, 'the next prompt', 5000);

    const stopping = Date.now();
    first.child.kill(signal);
    const exit = await first.exited;
    const tookMs = Date.now() - stopping;
    if (signal === 'SIGTERM') {
      expect(exit.code).toBe(0);
      expect(tookMs).toBeLessThan(10_000);
      expect(first.output()).toContain('shutting down');
    } else {
      expect(exit.signal).toBe('SIGKILL');
    }

    await start();
    // The prompt posted before the interruption still works: buttons route by custom_id.
    await playThroughDiscord({ discord }, 'couple', script.slice(half));
    const summary = await wholeSummary({ discord }, 'couple', 10_000);
    for (const given of expectedAnswers(script))
      for (const text of given.texts) expect(summary).toContain(normalise(text));
    expect(discord.violations()).toEqual([]);
  }, 90_000);
});
