/**
 * The vitest fixtures for end-to-end tests: `world` (Mend in this process against a fresh local Discord,
 * stopped after the test), `couple` (the people in it), `clock` (the time the bot reads, to move forward), and
 * `mendProcess` (the bot as its own process, started by the test). Options a test needs go through
 * `mendOptions`, overridden for a block of tests:
 *
 * ```ts
 * describe('encryption at rest', () => {
 *   test.override({ mendOptions: { codec: createEncryptionCodec(key) } });
 *   test('…', async ({ couple: { alex, sam, channel }, world }) => { … });
 * });
 * ```
 */
import { test as base } from 'vitest';
import {
  type MendOptions,
  type MendProcessWorld,
  type MendWorld,
  startMend,
  startMendProcess,
  TestClock,
} from './mend-world.js';

export const test = base
  .extend('mendOptions', {} as MendOptions)
  .extend('clock', () => new TestClock())
  .extend('world', async ({ mendOptions, clock }, { onCleanup }): Promise<MendWorld> => {
    const world = await startMend(mendOptions, clock);
    onCleanup(() => world.stop());
    return world;
  })
  .extend('couple', ({ world }) => world.couple)
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern; it has none.
  .extend('mendProcess', async ({}, { onCleanup }): Promise<MendProcessWorld> => {
    const world = await startMendProcess();
    onCleanup(() => world.stop());
    return world;
  });

export const it = test;
