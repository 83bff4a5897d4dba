/**
 * Compare-and-set, the due-index and key sets in the SQLite file, over the keyv adapter's own
 * connection. Each change is one statement, so it is atomic, also against other processes writing
 * the same file (SQLite's write lock). The due-index is a table indexed on (kind, due_at).
 */
import { DEFAULT_LEASE_MS, type DeadlineKind, type DueIndex, LEASED } from '../due.js';
import { type AtomicOps, type KeySets, newToken, wakeColumns } from './atomic.js';

interface SqliteQuery {
  query(sql: string, ...params: unknown[]): Promise<unknown>;
}

const DUE = 'mend_due';
const SETS = 'mend_sets';

export async function sqliteAtomic(adapter: SqliteQuery, table: string, namespace: string): Promise<AtomicOps> {
  const query = async <T>(sql: string, ...params: unknown[]) => (await adapter.query(sql, ...params)) as T[];
  await query(
    `CREATE TABLE IF NOT EXISTS ${DUE} (kind TEXT NOT NULL, id TEXT NOT NULL, due_at INTEGER NOT NULL, lease_until INTEGER, token TEXT, PRIMARY KEY (kind, id))`,
  );
  await query(`CREATE INDEX IF NOT EXISTS ${DUE}_when ON ${DUE} (kind, due_at)`);
  await query(`CREATE INDEX IF NOT EXISTS ${DUE}_lease ON ${DUE} (kind, lease_until) WHERE lease_until IS NOT NULL`);
  await query(
    `CREATE TABLE IF NOT EXISTS ${SETS} (name TEXT NOT NULL, member TEXT NOT NULL, PRIMARY KEY (name, member))`,
  );
  const kindOf = (kind: DeadlineKind) => `${namespace}:${kind}`;
  const setOf = (name: string) => `${namespace}:${name}`;

  const schedule = async (wakes: Parameters<DueIndex['schedule']>[0]) => {
    if (wakes.length === 0) return;
    const { kinds, ids, ats } = wakeColumns(namespace, wakes);
    await query(
      `INSERT INTO ${DUE} (kind, id, due_at) SELECT k.value, i.value, a.value FROM json_each(?) k JOIN json_each(?) i ON i.key = k.key JOIN json_each(?) a ON a.key = k.key WHERE true
       ON CONFLICT (kind, id) DO UPDATE SET due_at = min(due_at, excluded.due_at)`,
      JSON.stringify(kinds),
      JSON.stringify(ids),
      JSON.stringify(ats),
    );
  };

  const due: DueIndex = {
    schedule,
    async claim(kind, now, leaseMs = DEFAULT_LEASE_MS, limit = 100) {
      const token = newToken();
      const rows = await query<{ id: string }>(
        `UPDATE ${DUE} SET due_at = ?, lease_until = ?, token = ? WHERE kind = ? AND id IN (
           SELECT id FROM ${DUE} WHERE kind = ? AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
           UNION SELECT id FROM ${DUE} WHERE kind = ? AND lease_until <= ? LIMIT ?)
         RETURNING id`,
        LEASED,
        now + leaseMs,
        token,
        kindOf(kind),
        kindOf(kind),
        now,
        now,
        kindOf(kind),
        now,
        limit,
      );
      return rows.map((row) => ({ kind, id: row.id, token }));
    },
    async complete(claim, next) {
      const kind = kindOf(claim.kind);
      if (next === undefined) {
        const gone = await query(
          `DELETE FROM ${DUE} WHERE kind = ? AND id = ? AND token = ? AND due_at = ? RETURNING id`,
          kind,
          claim.id,
          claim.token,
          LEASED,
        );
        if (gone.length > 0) return true;
      }
      const kept = await query(
        `UPDATE ${DUE} SET due_at = min(due_at, ?), lease_until = NULL, token = NULL WHERE kind = ? AND id = ? AND token = ? RETURNING id`,
        next ?? LEASED - 1,
        kind,
        claim.id,
        claim.token,
      );
      return kept.length > 0;
    },
    async cancel(entries) {
      for (const entry of entries) {
        await query(`DELETE FROM ${DUE} WHERE kind = ? AND id = ?`, kindOf(entry.kind), entry.id);
      }
    },
    async entries(kind) {
      const rows = await query<{ id: string; due_at: number }>(
        `SELECT id, due_at FROM ${DUE} WHERE kind = ? ORDER BY due_at, id`,
        kindOf(kind),
      );
      return rows.map((row) => ({ id: row.id, at: Number(row.due_at) }));
    },
  };

  const sets: KeySets = {
    async add(name, members) {
      if (members.length === 0) return;
      await query(
        `INSERT OR IGNORE INTO ${SETS} (name, member) SELECT ?, value FROM json_each(?)`,
        setOf(name),
        JSON.stringify(members),
      );
    },
    async members(name) {
      const rows = await query<{ member: string }>(
        `SELECT member FROM ${SETS} WHERE name = ? ORDER BY member`,
        setOf(name),
      );
      return rows.map((row) => row.member);
    },
    async remove(name, members) {
      await query(
        `DELETE FROM ${SETS} WHERE name = ? AND member IN (SELECT value FROM json_each(?))`,
        setOf(name),
        JSON.stringify(members),
      );
    },
    async drop(name) {
      await query(`DELETE FROM ${SETS} WHERE name = ?`, setOf(name));
    },
  };

  return {
    async readRaw(key) {
      const [row] = await query<{ value: string }>(`SELECT value FROM ${table} WHERE key = ?`, key);
      return row?.value;
    },
    async writeIf(key, raw, stamp, wakes) {
      // Wakes first: lowering one is harmless even if the write then loses, and never lost if it wins.
      await schedule(wakes);
      const rows =
        stamp === undefined
          ? await query(
              `INSERT INTO ${table} (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING RETURNING key`,
              key,
              raw,
            )
          : await query(`UPDATE ${table} SET value = ? WHERE key = ? AND value = ? RETURNING key`, raw, key, stamp);
      return rows.length > 0;
    },
    async deleteIf(key, stamp) {
      const rows = await query(`DELETE FROM ${table} WHERE key = ? AND value = ? RETURNING key`, key, stamp);
      return rows.length > 0;
    },
    due,
    sets,
    async close() {},
  };
}
