/**
 * The only full scans over a store's keys. They read every key in the namespace, so nothing on an
 * interaction's or a sweep's path may use them (test/engine/no-scans.test.ts checks): they are for
 * maintenance — building the indexes of a store written before them, a start-up check of a store
 * without a canary — and for tests.
 */
import type Keyv from 'keyv';

/** Every key in keyv's namespace. Keys first, then reads: never hold the iterator open while writing. */
export async function* scanKeys(keyv: Keyv): AsyncIterable<string> {
  if (!keyv.iterator) return;
  for await (const [key] of keyv.iterator(keyv.namespace)) yield String(key);
}
