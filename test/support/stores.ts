/**
 * The stores every session test runs against. SQLite always (a temporary file); Redis and
 * PostgreSQL when TEST_REDIS_URL / TEST_POSTGRES_URL are set (.ci/run sets both), each test run
 * in its own namespace or table so runs never see each other's data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/engine/store.js';
import { type RawRow, rawRows } from './sqlite-disk.js';

export interface StoreCase {
  name: 'sqlite' | 'redis' | 'postgres';
  /** Why the suite is skipped, when it is. */
  skip?: string;
  open(): Promise<Store>;
  /**
   * Every key and value this case's store holds, exactly as stored (namespaced keys, encoded values), read
   * over a connection of its own rather than through Mend.
   */
  rawEntries(): Promise<RawRow[]>;
  /** Removes what the test wrote. */
  cleanup(): Promise<void>;
}

const unique = () => `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

export function sqliteCase(): StoreCase & { file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mend-test-'));
  const file = join(dir, 'mend.sqlite');
  return {
    name: 'sqlite',
    file,
    open: () => openStore({ url: `sqlite://${file}` }),
    rawEntries: () => rawRows(file),
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function redisCase(): StoreCase & { url: string | undefined; namespace: string } {
  const url = process.env.TEST_REDIS_URL;
  const namespace = `mend-${unique()}`;
  const opened: Store[] = [];
  return {
    name: 'redis',
    url,
    namespace,
    ...(url ? {} : { skip: 'TEST_REDIS_URL is not set' }),
    async open() {
      const store = await openStore({ url: url ?? '', namespace });
      opened.push(store);
      return store;
    },
    async rawEntries() {
      const { createClient } = await import('@redis/client');
      const client = createClient({ url: url ?? '' });
      await client.connect();
      try {
        const entries: RawRow[] = [];
        // keyv's keys are `<namespace>::<namespace>:<key>`, and the store's own (the due-index's sorted
        // sets, the key sets) `<namespace>:…`: everything of this run starts with its namespace. A
        // structure's members are its value here, so a check of the bytes sees them too.
        for await (const keys of client.scanIterator({ MATCH: `${namespace}*`, COUNT: 1000 })) {
          for (const key of keys) entries.push({ key, value: await contentOf(client, key) });
        }
        return entries;
      } finally {
        await client.quit();
      }
    },
    async cleanup() {
      if (!url) return;
      const { createClient } = await import('@redis/client');
      const client = createClient({ url });
      await client.connect();
      try {
        for await (const keys of client.scanIterator({ MATCH: `${namespace}*`, COUNT: 1000 })) {
          if (keys.length > 0) await client.unlink(keys);
        }
      } finally {
        await client.quit();
      }
    },
  };
}

/** A Redis key's content as text, whatever its type (a string's value, a structure's members). */
async function contentOf(
  client: {
    type(key: string): Promise<string>;
    get(key: string): Promise<string | null>;
    sMembers(key: string): Promise<string[]>;
    zRange(key: string, start: number, stop: number): Promise<string[]>;
    hGetAll(key: string): Promise<Record<string, string>>;
  },
  key: string,
): Promise<string> {
  switch (await client.type(key)) {
    case 'set':
      return (await client.sMembers(key)).join('\n');
    case 'zset':
      return (await client.zRange(key, 0, -1)).join('\n');
    case 'hash':
      return JSON.stringify(await client.hGetAll(key));
    default:
      return (await client.get(key)) ?? '';
  }
}

export function postgresCase(): StoreCase & { url: string | undefined; table: string } {
  const url = process.env.TEST_POSTGRES_URL;
  const table = `mend_${unique()}`;
  return {
    name: 'postgres',
    url,
    table,
    ...(url ? {} : { skip: 'TEST_POSTGRES_URL is not set' }),
    open: () => openStore({ url: url ?? '', table }),
    async rawEntries() {
      const client = await postgresClient(url);
      try {
        // The store's own tables too (the due-index, the key sets): their ids and members are data as well.
        return (
          await client.query<RawRow>(
            `SELECT key, value FROM ${table} UNION ALL SELECT 'due ' || kind || ' ' || id, '' FROM ${table}_due UNION ALL SELECT name, member FROM ${table}_sets`,
          )
        ).rows;
      } finally {
        await client.end();
      }
    },
    async cleanup() {
      if (!url) return;
      const client = await postgresClient(url);
      await client.query(`DROP TABLE IF EXISTS ${table}, ${table}_due, ${table}_sets`);
      await client.end();
    },
  };
}

/** A connection of the test's own to the PostgreSQL server (the caller ends it). */
export async function postgresClient(url: string | undefined) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

export const allStoreCases = (): StoreCase[] => [sqliteCase(), redisCase(), postgresCase()];

/** Says once, plainly, which store suites did not run and why. */
export function announceSkips(cases: StoreCase[]): void {
  for (const c of cases) {
    if (c.skip) console.log(`[stores] skipping the ${c.name} suite: ${c.skip} (set it to run against a real server)`);
  }
}
