/**
 * A read-modify-write of one stored record that is safe across processes: read with its stamp,
 * compute the change, write it only over exactly what was read, and on losing to another writer
 * read again and recompute. `change` must therefore be a pure function of what it is given (it may
 * run more than once); the result of the run that won is returned.
 */
import type { Wake } from './due.js';
import type { Store } from './store.js';

export interface Change<T> {
  /** The new value; undefined deletes the record. */
  value: unknown;
  /** Deadlines to lower with the write. */
  wakes?: readonly Wake[];
  result: T;
}

const MAX_ATTEMPTS = 50;

export async function updateStored<T>(store: Store, key: string, change: (current: unknown) => Change<T>): Promise<T> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const read = await store.read(key);
    const next = change(read?.value);
    if (next.value === undefined) {
      if (!read || (await store.deleteIf(key, read.stamp))) return next.result;
      continue;
    }
    if ((await store.writeIf(key, next.value, read?.stamp, next.wakes)) !== undefined) return next.result;
  }
  throw new Error(`${key} kept changing under ${MAX_ATTEMPTS} attempts to update it`);
}
