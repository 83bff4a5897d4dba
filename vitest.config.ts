import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests that start bot processes and servers on loopback are heavier than unit tests; two
    // cores are all CI has.
    maxWorkers: 2,
  },
});
