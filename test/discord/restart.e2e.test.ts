/**
 * The bot as a separate process (`src/main.ts`, as `npm start` runs it), interrupted mid-session — killed
 * outright (SIGKILL) or asked to stop (SIGTERM) — and started again on the same SQLite file: the session resumes
 * from the next prompt and completes, with every answer in its summary; killed while a summary waits for the couple
 * to look it over, it keeps the answer given before and posts the summary once both have answered.
 */
import { describe, expect } from 'vitest';
import { normalise } from '../support/conversation.js';
import { expectedAnswers } from '../support/flow-walk.js';
import { flowNamed } from '../support/flows.js';
import { test } from '../support/mend-test.js';
import { completionScript } from '../support/play.js';

describe.each([
  ['SIGKILL', 'killed outright'],
  ['SIGTERM', 'stopped gracefully'],
] as const)('the bot %s mid-session', (signal, how) => {
  test(`${how}, started again on the same file: the session resumes and completes`, async ({ mendProcess: world }) => {
    const { alex, channel } = world.couple;
    const script = completionScript(flowNamed('admit-mistake'));
    const half = Math.floor(script.length / 2);
    const next = script[half];
    if (!next) throw new Error('admit-mistake: too short a script');

    const first = await world.start();
    await alex.starts('admit-mistake');
    await world.plays(script.slice(0, half));
    // The prompt that follows the last answer is out before the bot goes.
    await world.partner(next.by).seesPromptFor(next.value, next.step);

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

    await world.start();
    // The prompt posted before the interruption still works: its buttons carry everything they need.
    await world.plays(script.slice(half));
    const summary = await channel.summary();
    for (const given of expectedAnswers(script)) {
      for (const text of given.texts) expect(summary).toContain(normalise(text));
    }
    expect(world.discord.violations()).toEqual([]);
  });
});

describe('the bot killed while a summary waits to be looked over', () => {
  test('started again on the same file: the answer given before is kept, the other’s note is taken, and the summary is posted once with both', async ({
    mendProcess: world,
  }) => {
    const { alex, sam, channel } = world.couple;
    const env = { SUMMARY_APPROVAL_HOURS: '24' };
    const first = await world.start(env);
    await alex.starts('ground-rules');
    await world.plays(completionScript(flowNamed('ground-rules')));
    await alex.looksOverTheRecord();
    await channel.shows('Alex has looked over the summary');
    first.child.kill('SIGKILL');
    await first.exited;

    await world.start(env);
    const NOTE = 'We agreed more than I expected to.';
    await sam.looksOverTheRecord(NOTE);
    const summary = await channel.summary();
    expect(summary).toContain('**Alex**: that’s a fair record.');
    expect(summary).toContain(`**Sam** added a note: > ${NOTE}`);
    const heads = channel.messages().filter((m) => m.embeds?.[0]?.title?.startsWith('Summary · '));
    expect(heads).toHaveLength(1);
    expect(world.discord.violations()).toEqual([]);
    // Two starts of the bot and a whole conversation through another process: more than the default 30 s
    // when the machine is busy.
  }, 90_000);
});
