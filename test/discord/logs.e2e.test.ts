/**
 * What the bot logs: a full session with distinctive answers, every log line captured (trace level, from the
 * real process), and none of them holds an answer, a note added to the summary, or the token.
 */
import { expect } from 'vitest';
import type { AnswerValue } from '../../src/engine/flow-types.js';
import { textsOf } from '../support/flow-walk.js';
import { flowNamed } from '../support/flows.js';
import { test } from '../support/mend-test.js';
import { completionScript } from '../support/play.js';

/** Distinctive words in every answer, so any leak is unmistakable. */
const secretly = (value: AnswerValue, i: number): AnswerValue => {
  const secret = `Zephyrine-secret-${i}-quokka`;
  return {
    ...value,
    ...(value.text !== undefined ? { text: `${secret} text` } : {}),
    ...(value.note !== undefined ? { note: `${secret} note` } : {}),
    ...(value.items ? { items: value.items.map((_, j) => `${secret}-${j} item`) } : {}),
  };
};

test('no answer text and no token ever reach the logs', async ({ mendProcess: world }) => {
  const { alex, sam, channel } = world.couple;
  // With the look-over on, so a note added to the record is checked too.
  const bot = await world.start({ LOG_LEVEL: 'trace', SUMMARY_APPROVAL_HOURS: '24' });
  const NOTE = 'Marmalade-note-secret-pangolin, from my side.';
  const script = completionScript(flowNamed('ground-rules')).map((event, i) => ({
    ...event,
    value: secretly(event.value, i),
  }));
  await alex.starts('ground-rules');
  await world.plays(script);
  await alex.looksOverTheRecord();
  await sam.looksOverTheRecord(NOTE);
  expect(await channel.summary()).toContain(NOTE);
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
  expect(logs).not.toContain('Marmalade-note-secret');
  expect(logs).not.toContain(world.discord.botToken);
});
