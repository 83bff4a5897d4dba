/**
 * What the bot logs: a full session with distinctive answers, every log line captured (debug
 * level, from the real process), and none of them holds an answer or the token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadFlows } from '../../src/engine/flow-registry.js';
import { spawnBot, untilReady } from '../support/bot-process.js';
import { coupleScenario, LocalDiscord } from '../support/discord/index.js';
import { textsOf } from '../support/flow-walk.js';
import { answerMessage, playThroughDiscord, summaryStart, waitFor } from '../support/legacy-world.js';
import { completionScript } from '../support/play.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('no answer text and no token ever reach the logs', async () => {
  const flows = await loadFlows();
  const flow = flows.get('ground-rules');
  if (!flow) throw new Error('missing flow');
  const dir = mkdtempSync(join(tmpdir(), 'mend-logs-'));
  const discord = await LocalDiscord.start({ scenario: coupleScenario() });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => discord.stop());
  const bot = spawnBot(discord, { STORE_URL: `sqlite://${join(dir, 'mend.sqlite')}`, LOG_LEVEL: 'trace' });
  cleanups.push(() => {
    if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
  });
  await untilReady(bot);

  const alex = discord.user('alex');
  const sam = discord.user('sam');
  // Distinctive words in every answer, so any leak is unmistakable.
  const script = completionScript(flow).map((event, i) => {
    const value = { ...event.value };
    const secret = `Zephyrine-secret-${i}-quokka`;
    if (value.text !== undefined) value.text = `${secret} text`;
    if (value.note !== undefined) value.note = `${secret} note`;
    if (value.items) value.items = value.items.map((_, j) => `${secret}-${j} item`);
    return { ...event, value };
  });
  await alex.slash('talk', { flow: flow.id, partner: sam.id }, { channel: 'couple' });
  await waitFor(() => answerMessage({ discord }, 'couple') !== undefined, 'the first prompt');
  await playThroughDiscord({ discord }, 'couple', script);
  await waitFor(() => summaryStart({ discord }, 'couple') >= 0, 'the summary', 10_000);
  bot.child.kill('SIGTERM');
  await bot.exited;

  const logs = bot.output();
  const lines = logs.split('\n').filter(Boolean);
  expect(lines.length).toBeGreaterThan(script.length);
  expect(logs).toContain('"msg":"interaction"');
  // Each interaction's line names its session, flow and step.
  const interactionLines = lines.filter((l) => l.includes('"msg":"interaction"')).map((l) => JSON.parse(l));
  const answered = interactionLines.filter((l) => l.outcome === 'accepted');
  expect(answered.length).toBeGreaterThan(0);
  for (const line of answered) {
    expect(line.sessionId).toEqual(expect.any(String));
    expect(line.flow).toBe('ground-rules');
    expect(line.step).toEqual(expect.any(String));
    expect(line.ms).toEqual(expect.any(Number));
  }
  const secrets = script.flatMap((event) => textsOf(event.value));
  expect(secrets.length).toBeGreaterThan(5);
  for (const secret of secrets) expect(logs).not.toContain(secret.split(' ')[0]);
  expect(logs).not.toContain(discord.botToken);
}, 60_000);
