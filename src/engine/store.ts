/**
 * The one place sessions are kept: keyv over a SQLite file by default, Redis or PostgreSQL by URL.
 * Values are serialized as plain JSON (keyv's default serializer costs ~2× more per turn), and
 * SQLite runs in WAL mode with synchronous=NORMAL (~3× faster per write, still crash-safe).
 *
 * Erased means gone from the disk, not only from the rows. SQLite runs with secure_delete on, so
 * a deleted or overwritten row's bytes are zeroed in the file, and `scrub()` after an erasure
 * checkpoints the WAL and truncates it, so no older page version keeps the words (and so does every
 * open, for an erasure a crash cut short). PostgreSQL's `scrub()` rewrites the table (VACUUM FULL):
 * a plain VACUUM frees a dead row's space but leaves its bytes in the heap and index pages until
 * something overwrites them. Redis deletes with UNLINK; its RDB/AOF files are the operator's (see
 * the README on erasure per store).
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import KeyvPostgres from '@keyv/postgres';
import KeyvRedis from '@keyv/redis';
import KeyvSqlite from '@keyv/sqlite';
import Keyv, { type KeyvStoreAdapter } from 'keyv';
import { scanKeys } from '../maintenance/scan-keys.js';
import type { AtomicOps, KeySets } from './backends/atomic.js';
import { postgresAtomic } from './backends/postgres-atomic.js';
import { type RedisScripting, redisAtomic } from './backends/redis-atomic.js';
import { sqliteAtomic } from './backends/sqlite-atomic.js';
import type { Codec } from './codec.js';
import type { DueIndex, Wake } from './due.js';
import { plainCodec } from './encryption.js';
import { type StoreKind, storeKindOf } from './store-url.js';

export { DEFAULT_STORE_URL, type StoreKind, storeKindOf } from './store-url.js';

export interface StoreOptions {
  url: string;
  /** Key prefix inside the store (tests use one per run to stay apart). */
  namespace?: string;
  /** PostgreSQL table (tests use one per run). */
  table?: string;
  codec?: Codec;
}

/** A value as read, with the stored text it came from (what a compare-and-set compares). */
export interface Stamped {
  value: unknown;
  stamp: string;
}

export interface Store {
  readonly kind: StoreKind;
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<boolean>;
  /** A value and its stamp, for a later `writeIf`. */
  read(key: string): Promise<Stamped | undefined>;
  /**
   * Compare-and-set: writes `value` only if what is stored is still what was read with `stamp`
   * (undefined: only if nothing is stored), and lowers the given wake-ups in the due-index. Returns
   * the new stamp, or undefined when another writer got there first (read again and redo).
   */
  writeIf(key: string, value: unknown, stamp: string | undefined, wakes?: readonly Wake[]): Promise<string | undefined>;
  /** Deletes only if what is stored is still what was read with `stamp`. */
  deleteIf(key: string, stamp: string): Promise<boolean>;
  /** Every deadline, claimed with a lease (due.ts). */
  readonly due: DueIndex;
  /** Small sets of keys: the indexes that find a couple's records, and the open sessions, without a scan. */
  readonly sets: KeySets;
  /**
   * Every key in this store's namespace: a full scan, for maintenance scripts (src/maintenance/)
   * and tests only. Nothing else under src/ may call it (test/engine/no-scans.test.ts checks).
   */
  keys(): AsyncIterable<string>;
  /**
   * After personal data was deleted: make sure the store's files keep none of it (SQLite: WAL
   * checkpoint and truncate, an error if another connection holds the log; PostgreSQL: VACUUM FULL
   * the table; Redis: nothing the bot can do, see the README).
   */
  scrub(): Promise<void>;
  /** Answers quickly when the store is reachable (health checks). */
  ping(): Promise<void>;
  /**
   * Reads the canary (a small value sealed like every other), so a wrong or missing encryption key
   * is found at start-up (as a StoreKeyError) rather than at the first interaction; writes it when
   * there is none, or when it was written before a key was set. A store from before the canary is
   * checked by src/maintenance/prepare-store.ts, which reads its values as it indexes them.
   */
  verifyReadable(): Promise<void>;
  close(): Promise<void>;
}

/** The path of the SQLite file a sqlite:// URL names, resolved against the working directory. */
export function sqlitePathOf(url: string): string {
  return resolve(url.replace(/^sqlite:\/\//, ''));
}

/** The SQLite file's user_version once every write to it has been made with secure_delete on. */
const SECURE_DELETE_SINCE = 1;

async function openAtomic(
  options: StoreOptions,
  kind: StoreKind,
  adapter: KeyvStoreAdapter,
  namespace: string,
): Promise<AtomicOps> {
  switch (kind) {
    case 'sqlite':
      return sqliteAtomic(adapter as unknown as SqliteQuery, 'keyv', namespace);
    case 'redis': {
      const client = await (adapter as unknown as { getClient(): Promise<RedisScripting> }).getClient();
      return redisAtomic(client, namespace);
    }
    case 'postgres':
      return postgresAtomic(options.url, options.table ?? 'mend', namespace);
  }
}

interface SqliteQuery {
  query(sql: string, ...params: unknown[]): Promise<unknown>;
}

async function openAdapter(options: StoreOptions, kind: StoreKind): Promise<KeyvStoreAdapter> {
  switch (kind) {
    case 'sqlite': {
      const memory = options.url === 'sqlite://:memory:';
      const file = memory ? ':memory:' : sqlitePathOf(options.url);
      if (!memory) mkdirSync(dirname(file), { recursive: true });
      const adapter = new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 5000 });
      await adapter.query('PRAGMA journal_mode=WAL');
      await adapter.query('PRAGMA synchronous=NORMAL');
      // Freed space is zeroed, so a deleted answer leaves no bytes behind in the file.
      await adapter.query('PRAGMA secure_delete=ON');
      // A file written before secure_delete may still hold freed pages with old words: rebuild it
      // once, and mark it (user_version) so later starts skip the rebuild — its freed pages are zero.
      const [version] = (await adapter.query('PRAGMA user_version')) as { user_version: number }[];
      if ((version?.user_version ?? 0) < SECURE_DELETE_SINCE) {
        const [free] = (await adapter.query('PRAGMA freelist_count')) as { freelist_count: number }[];
        if ((free?.freelist_count ?? 0) > 0) await adapter.query('VACUUM');
        await adapter.query(`PRAGMA user_version=${SECURE_DELETE_SINCE}`);
      }
      // An erasure cut short by a crash may have left old page versions in the WAL: empty it now
      // (best effort: another process reading the file must not keep this one from starting).
      if (!memory) await truncateWal(adapter);
      return adapter as unknown as KeyvStoreAdapter;
    }
    case 'redis':
      return new KeyvRedis(options.url) as unknown as KeyvStoreAdapter;
    case 'postgres':
      return new KeyvPostgres({ uri: options.url, table: options.table ?? 'mend' }) as unknown as KeyvStoreAdapter;
  }
}

interface SqlAdapter {
  query(sql: string): Promise<unknown>;
}

/**
 * Copies the WAL into the database and truncates it to nothing; false when it could not. SQLite
 * waits (busyTimeout) for other connections' reads to end; if one still holds the log, the
 * checkpoint reports `busy` rather than failing, and the log keeps its old pages.
 */
async function truncateWal(adapter: SqlAdapter): Promise<boolean> {
  const [result] = (await adapter.query('PRAGMA wal_checkpoint(TRUNCATE)')) as { busy: number }[];
  return !result?.busy;
}

/** A small value sealed like every other, read at start-up to find a wrong or missing key. */
const CANARY_KEY = '__canary__';

/** A PostgreSQL identifier, quoted (the table name comes from our own options, never from users). */
const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function openStore(options: StoreOptions): Promise<Store> {
  const kind = storeKindOf(options.url);
  if (!kind) throw new Error(`STORE_URL must start with sqlite://, redis:// or postgres:// (got "${options.url}")`);
  // Without a key, plainCodec still recognises encrypted values and says a key is missing.
  const codec = options.codec ?? plainCodec;
  const adapter = await openAdapter(options, kind);
  const namespace = options.namespace ?? 'mend';
  const keyv = new Keyv({
    store: adapter,
    namespace,
    serialize: (data) => codec.encode(JSON.stringify(data)),
    deserialize: (text) => JSON.parse(codec.decode(text)),
    throwOnErrors: true,
  });
  // keyv re-emits adapter errors; without a listener an EventEmitter 'error' would crash the process.
  let lastError: unknown;
  keyv.on('error', (error: unknown) => {
    lastError = error;
  });

  const atomic = await openAtomic(options, kind, adapter, namespace);
  // The key and text exactly as keyv keeps them: `<namespace>:<key>` (Redis's adapter prefixes its
  // own namespace again), and the codec's text of `{"value": …}`.
  const rawKey =
    kind === 'redis' ? (key: string) => `${namespace}::${namespace}:${key}` : (key: string) => `${namespace}:${key}`;
  const encode = (value: unknown) => codec.encode(JSON.stringify({ value }));
  const decode = (raw: string) => (JSON.parse(codec.decode(raw)) as { value?: unknown }).value;
  // The one binding of the maintenance scan (test/engine/no-scans.test.ts allows exactly this line).
  const keys = () => scanKeys(keyv);
  return {
    kind,
    get: (key) => keyv.get(key),
    async set(key, value) {
      await keyv.set(key, value);
    },
    delete: (key) => keyv.delete(key),
    async read(key) {
      const stamp = await atomic.readRaw(rawKey(key));
      return stamp === undefined ? undefined : { value: decode(stamp), stamp };
    },
    async writeIf(key, value, stamp, wakes = []) {
      const raw = encode(value);
      return (await atomic.writeIf(rawKey(key), raw, stamp, wakes)) ? raw : undefined;
    },
    deleteIf: (key, stamp) => atomic.deleteIf(rawKey(key), stamp),
    due: atomic.due,
    sets: atomic.sets,
    keys,
    async scrub() {
      const sql = adapter as unknown as SqlAdapter;
      // Silently leaving old pages in the log would make an erasure look done when it is not.
      if (kind === 'sqlite' && !(await truncateWal(sql))) {
        throw new Error(
          'The SQLite write-ahead log could not be emptied: another connection is still reading the file. Deleted data stays in its -wal file until it can be; close the other connection and erase again.',
        );
      }
      // FULL: the table is written anew from its live rows and the old files are emptied; it holds an
      // exclusive lock meanwhile (milliseconds for thousands of sessions; see the README).
      // The due-index and the key sets name couples too (ids in their keys): rewritten with the values.
      if (kind === 'postgres') {
        const table = options.table ?? 'mend';
        for (const name of [table, `${table}_due`, `${table}_sets`])
          await sql.query(`VACUUM FULL ${quoteIdentifier(name)}`);
      }
    },
    async ping() {
      await keyv.has('__ping__');
      if (lastError) {
        const error = lastError;
        lastError = undefined;
        throw error;
      }
    },
    async verifyReadable() {
      // One read, however large the store.
      const canary = await atomic.readRaw(rawKey(CANARY_KEY));
      if (canary !== undefined) decode(canary);
      const sealing = codec.encode('{}') !== '{}';
      if (canary === undefined || (sealing && !canary.startsWith('enc'))) await keyv.set(CANARY_KEY, { canary: true });
    },
    async close() {
      await atomic.close();
      // @keyv/postgres keeps one pool per process: when two stores share it, the second close finds
      // it ended already. Anything else is a real error.
      await keyv.disconnect().catch((error: unknown) => {
        if (!(error instanceof Error && error.message.includes('end on pool more than once'))) throw error;
      });
    },
  };
}
