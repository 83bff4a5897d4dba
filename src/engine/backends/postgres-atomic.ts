/**
 * Compare-and-set, the due-index and key sets in PostgreSQL, over a small pool of our own beside
 * keyv's (the adapter's pool is one per process and ends for everyone when one store closes). Each
 * change is one statement: `UPDATE … WHERE value = $stamp`, and claims with `FOR UPDATE SKIP LOCKED`
 * so claimers never wait on each other. The due-index is a table indexed on (kind, due_at).
 */
import pg from 'pg';
import { DEFAULT_LEASE_MS, type DueIndex, LEASED } from '../due.js';
import { type AtomicOps, type KeySets, newToken, wakeColumns } from './atomic.js';

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Runs DDL that two processes may run at once (CREATE … IF NOT EXISTS can still collide in the catalog). */
async function createOnce(pool: pg.Pool, sql: string): Promise<void> {
  try {
    await pool.query(sql);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== '23505' && code !== '42P07') throw error;
  }
}

export async function postgresAtomic(url: string, table: string, namespace: string): Promise<AtomicOps> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // A pool's idle client can error when the server restarts; without a listener that would crash the process.
  pool.on('error', () => undefined);
  const values = quote(table);
  const dueTable = quote(`${table}_due`);
  const setTable = quote(`${table}_sets`);
  // The same columns keyv's adapter creates, so whichever comes first makes the table the other expects.
  await createOnce(pool, `CREATE TABLE IF NOT EXISTS ${values} (key VARCHAR(255) PRIMARY KEY, value TEXT)`);
  await createOnce(
    pool,
    `CREATE TABLE IF NOT EXISTS ${dueTable} (kind TEXT NOT NULL, id TEXT NOT NULL, due_at BIGINT NOT NULL, lease_until BIGINT, token TEXT, PRIMARY KEY (kind, id))`,
  );
  await createOnce(pool, `CREATE INDEX IF NOT EXISTS ${quote(`${table}_due_when`)} ON ${dueTable} (kind, due_at)`);
  await createOnce(
    pool,
    `CREATE INDEX IF NOT EXISTS ${quote(`${table}_due_lease`)} ON ${dueTable} (kind, lease_until) WHERE lease_until IS NOT NULL`,
  );
  await createOnce(
    pool,
    `CREATE TABLE IF NOT EXISTS ${setTable} (name TEXT NOT NULL, member TEXT NOT NULL, PRIMARY KEY (name, member))`,
  );
  const kindOf = (kind: string) => `${namespace}:${kind}`;
  const setOf = (name: string) => `${namespace}:${name}`;
  const rowsOf = async <T extends pg.QueryResultRow>(sql: string, params: unknown[]) =>
    (await pool.query<T>(sql, params)).rows;

  /** Lowers the wakes ($1 kinds, $2 ids, $3 times), as a statement or as a CTE before a write. */
  const SCHEDULE = `INSERT INTO ${dueTable} (kind, id, due_at) SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[])
    ON CONFLICT (kind, id) DO UPDATE SET due_at = LEAST(${dueTable}.due_at, excluded.due_at)`;

  const due: DueIndex = {
    async schedule(wakes) {
      if (wakes.length === 0) return;
      const { kinds, ids, ats } = wakeColumns(namespace, wakes);
      await pool.query(SCHEDULE, [kinds, ids, ats]);
    },
    async claim(kind, now, leaseMs = DEFAULT_LEASE_MS, limit = 100) {
      const token = newToken();
      const rows = await rowsOf<{ id: string }>(
        `WITH ready AS (
           SELECT kind, id FROM ${dueTable}
            WHERE kind = $1 AND ((due_at <= $2 AND (lease_until IS NULL OR lease_until <= $2)) OR lease_until <= $2)
            ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED)
         UPDATE ${dueTable} d SET due_at = $4, lease_until = $5, token = $6
           FROM ready WHERE d.kind = ready.kind AND d.id = ready.id RETURNING d.id`,
        [kindOf(kind), now, limit, LEASED, now + leaseMs, token],
      );
      return rows.map((row) => ({ kind, id: row.id, token }));
    },
    async complete(claim, next) {
      const kind = kindOf(claim.kind);
      if (next === undefined) {
        const gone = await rowsOf(
          `DELETE FROM ${dueTable} WHERE kind = $1 AND id = $2 AND token = $3 AND due_at = $4 RETURNING id`,
          [kind, claim.id, claim.token, LEASED],
        );
        if (gone.length > 0) return true;
      }
      const kept = await rowsOf(
        `UPDATE ${dueTable} SET due_at = LEAST(due_at, $1), lease_until = NULL, token = NULL
          WHERE kind = $2 AND id = $3 AND token = $4 RETURNING id`,
        [next ?? LEASED - 1, kind, claim.id, claim.token],
      );
      return kept.length > 0;
    },
    async cancel(entries) {
      if (entries.length === 0) return;
      await pool.query(
        `DELETE FROM ${dueTable} d USING UNNEST($1::text[], $2::text[]) AS e(kind, id) WHERE d.kind = e.kind AND d.id = e.id`,
        [entries.map((e) => kindOf(e.kind)), entries.map((e) => e.id)],
      );
    },
    async entries(kind) {
      const rows = await rowsOf<{ id: string; due_at: string }>(
        `SELECT id, due_at FROM ${dueTable} WHERE kind = $1 ORDER BY due_at, id`,
        [kindOf(kind)],
      );
      return rows.map((row) => ({ id: row.id, at: Number(row.due_at) }));
    },
  };

  const sets: KeySets = {
    async add(name, members) {
      if (members.length === 0) return;
      await pool.query(
        `INSERT INTO ${setTable} (name, member) SELECT $1, m FROM UNNEST($2::text[]) m ON CONFLICT DO NOTHING`,
        [setOf(name), members],
      );
    },
    async members(name) {
      const rows = await rowsOf<{ member: string }>(`SELECT member FROM ${setTable} WHERE name = $1 ORDER BY member`, [
        setOf(name),
      ]);
      return rows.map((row) => row.member);
    },
    async remove(name, members) {
      await pool.query(`DELETE FROM ${setTable} WHERE name = $1 AND member = ANY($2::text[])`, [setOf(name), members]);
    },
    async drop(name) {
      await pool.query(`DELETE FROM ${setTable} WHERE name = $1`, [setOf(name)]);
    },
  };

  return {
    async readRaw(key) {
      const [row] = await rowsOf<{ value: string }>(`SELECT value FROM ${values} WHERE key = $1`, [key]);
      return row?.value;
    },
    async writeIf(key, raw, stamp, wakes) {
      const { kinds, ids, ats } = wakeColumns(namespace, wakes);
      // One round trip: the wakes are lowered by a CTE, which PostgreSQL runs whether or not the write wins.
      const write =
        stamp === undefined
          ? `INSERT INTO ${values} (key, value) VALUES ($4, $5) ON CONFLICT (key) DO NOTHING RETURNING key`
          : `UPDATE ${values} SET value = $5 WHERE key = $4 AND value = $6 RETURNING key`;
      const params = [kinds, ids, ats, key, raw, ...(stamp === undefined ? [] : [stamp])];
      const rows = await rowsOf(`WITH wakes AS (${SCHEDULE}) ${write}`, params);
      return rows.length > 0;
    },
    async deleteIf(key, stamp) {
      const rows = await rowsOf(`DELETE FROM ${values} WHERE key = $1 AND value = $2 RETURNING key`, [key, stamp]);
      return rows.length > 0;
    },
    due,
    sets,
    close: () => pool.end(),
  };
}
