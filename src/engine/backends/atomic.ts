/**
 * What keyv cannot express, per backend: a compare-and-set, the due-index (due.ts) and small sets
 * of keys (the index that finds a couple's records without a scan). Each backend does these with
 * its own client — SQLite and PostgreSQL in SQL, Redis in Lua — on keys and values exactly as keyv
 * stores them, so a value written here reads back through keyv and the other way round.
 */
import type { DueIndex, Wake } from '../due.js';

export interface KeySets {
  add(set: string, members: readonly string[]): Promise<void>;
  members(set: string): Promise<string[]>;
  remove(set: string, members: readonly string[]): Promise<void>;
  drop(set: string): Promise<void>;
}

export interface AtomicOps {
  /** The stored text under a full (namespaced) key, exactly as kept. */
  readRaw(key: string): Promise<string | undefined>;
  /**
   * Writes `raw` only if the stored text is still `stamp` (undefined: only if there is none), and
   * lowers the wakes' times either way (an early wake-up is harmless, a lost one is not). True when written.
   */
  writeIf(key: string, raw: string, stamp: string | undefined, wakes: readonly Wake[]): Promise<boolean>;
  /** Deletes only if the stored text is still `stamp`. */
  deleteIf(key: string, stamp: string): Promise<boolean>;
  due: DueIndex;
  sets: KeySets;
  close(): Promise<void>;
}

/** Parallel columns for a batch of wakes (SQL UNNEST, Lua ARGV). */
export const wakeColumns = (namespace: string, wakes: readonly Wake[]) => ({
  kinds: wakes.map((w) => `${namespace}:${w.kind}`),
  ids: wakes.map((w) => w.id),
  ats: wakes.map((w) => Math.floor(w.at)),
});

export const newToken = () => crypto.randomUUID();
