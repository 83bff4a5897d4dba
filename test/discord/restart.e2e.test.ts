/**
 * The bot as a separate process (`src/main.ts`, as `npm start` runs it), interrupted mid-session — killed
 * outright (SIGKILL) or asked to stop (SIGTERM) — and started again on the same SQLite file: the session resumes
 * from the next prompt and completes, with every answer in its summary.
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
