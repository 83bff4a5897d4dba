import type { MessageStore } from './messages.js';

/**
 * Resolves with the first non-undefined result of `find`, checking now and after every message change; rejects
 * after `timeoutMs` with `describe()` so a failing test says what it was waiting for.
 */
export function waitForMessages<T>(
  messages: MessageStore,
  find: () => T | undefined,
  timeoutMs: number,
  describe: () => string,
): Promise<T> {
  const found = find();
  if (found !== undefined) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const stop = messages.onChange(() => {
      const result = find();
      if (result === undefined) return;
      clearTimeout(timer);
      stop();
      resolve(result);
    });
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${describe()}`));
    }, timeoutMs);
  });
}
