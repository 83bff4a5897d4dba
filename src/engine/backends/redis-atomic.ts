/**
 * Compare-and-set, the due-index and key sets in Redis, over the keyv adapter's own client. Each
 * change is one Lua script, which Redis runs atomically. The due-index of a kind is a sorted set
 * (score: when due), its leases a second sorted set (score: when the lease ends) with a hash of
 * claim tokens. Redis must not evict these keys: run it with `maxmemory-policy noeviction`.
 */
import { DEFAULT_LEASE_MS, type DeadlineKind, type DueIndex } from '../due.js';
import { type AtomicOps, type KeySets, newToken } from './atomic.js';

/** The part of @redis/client's client this uses. */
export interface RedisScripting {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  get(key: string): Promise<string | null>;
  sAdd(key: string, members: string[]): Promise<unknown>;
  sMembers(key: string): Promise<string[]>;
  sRem(key: string, members: string[]): Promise<unknown>;
  unlink(key: string): Promise<unknown>;
  zRangeWithScores(key: string, start: number, stop: number): Promise<{ value: string; score: number }[]>;
}

/** ARGV: count, then (due key, id, at) per wake; lowers each (ZADD LT adds when absent). */
const SCHEDULE = `
local n = tonumber(ARGV[1])
for i = 0, n - 1 do
  redis.call('ZADD', ARGV[2 + i * 3], 'LT', ARGV[4 + i * 3], ARGV[3 + i * 3])
end
return n`;

/** KEYS[1]: the value; ARGV[1]: '1' if a stamp is given, ARGV[2]: stamp, ARGV[3]: new value, then wakes. */
const WRITE_IF = `
local n = tonumber(ARGV[4])
for i = 0, n - 1 do
  redis.call('ZADD', ARGV[5 + i * 3], 'LT', ARGV[7 + i * 3], ARGV[6 + i * 3])
end
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= ARGV[2] then return 0 end
elseif current then
  return 0
end
redis.call('SET', KEYS[1], ARGV[3])
return 1`;

const DELETE_IF = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('UNLINK', KEYS[1]) return 1 end
return 0`;

/**
 * KEYS: due, leases, tokens. ARGV: now, lease end, token, limit. Entries due and not leased, and
 * entries whose lease ran out, move from the due set to the leases (a write during the lease adds
 * the id to the due set again, which the completion folds in).
 */
const CLAIM = `
local now, until_, token, limit = tonumber(ARGV[1]), ARGV[2], ARGV[3], tonumber(ARGV[4])
local taken = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, limit)) do
  taken[#taken + 1] = id
end
if #taken < limit then
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, limit * 2)) do
    if #taken >= limit then break end
    local lease = redis.call('ZSCORE', KEYS[2], id)
    if not lease then taken[#taken + 1] = id end
  end
end
for _, id in ipairs(taken) do
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZADD', KEYS[2], until_, id)
  redis.call('HSET', KEYS[3], id, token)
end
return taken`;

/** KEYS: due, leases, tokens. ARGV: id, token, next ('' for none). */
const COMPLETE = `
if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
if ARGV[3] ~= '' then redis.call('ZADD', KEYS[1], 'LT', ARGV[3], ARGV[1]) end
return 1`;

/** KEYS: due, leases, tokens. ARGV: id. */
const CANCEL = `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1`;

export function redisAtomic(client: RedisScripting, namespace: string): AtomicOps {
  const dueKey = (kind: DeadlineKind | string) => `${namespace}:due:${kind}`;
  const leaseKeys = (kind: DeadlineKind) => [dueKey(kind), `${namespace}:lease:${kind}`, `${namespace}:token:${kind}`];
  const setKey = (name: string) => `${namespace}:set:${name}`;
  const wakeArgs = (wakes: Parameters<DueIndex['schedule']>[0]) => [
    String(wakes.length),
    ...wakes.flatMap((w) => [dueKey(w.kind), w.id, String(Math.floor(w.at))]),
  ];

  const due: DueIndex = {
    async schedule(wakes) {
      if (wakes.length === 0) return;
      await client.eval(SCHEDULE, { keys: wakes.map((w) => dueKey(w.kind)), arguments: wakeArgs(wakes) });
    },
    async claim(kind, now, leaseMs = DEFAULT_LEASE_MS, limit = 100) {
      const token = newToken();
      const ids = (await client.eval(CLAIM, {
        keys: leaseKeys(kind),
        arguments: [String(now), String(now + leaseMs), token, String(limit)],
      })) as string[];
      return ids.map((id) => ({ kind, id, token }));
    },
    async complete(claim, next) {
      const done = await client.eval(COMPLETE, {
        keys: leaseKeys(claim.kind),
        arguments: [claim.id, claim.token, next === undefined ? '' : String(Math.floor(next))],
      });
      return done === 1;
    },
    async cancel(entries) {
      for (const entry of entries) {
        const [due, leases, tokens] = leaseKeys(entry.kind);
        await client.eval(CANCEL, { keys: [due, leases, tokens] as string[], arguments: [entry.id] });
      }
    },
    async entries(kind) {
      const rows = await client.zRangeWithScores(dueKey(kind), 0, -1);
      return rows.map((row) => ({ id: row.value, at: row.score }));
    },
  };

  const sets: KeySets = {
    async add(name, members) {
      if (members.length > 0) await client.sAdd(setKey(name), [...members]);
    },
    members: async (name) => (await client.sMembers(setKey(name))).sort(),
    async remove(name, members) {
      if (members.length > 0) await client.sRem(setKey(name), [...members]);
    },
    async drop(name) {
      await client.unlink(setKey(name));
    },
  };

  return {
    readRaw: async (key) => (await client.get(key)) ?? undefined,
    async writeIf(key, raw, stamp, wakes) {
      const written = await client.eval(WRITE_IF, {
        keys: [key, ...wakes.map((w) => dueKey(w.kind))],
        arguments: [stamp === undefined ? '0' : '1', stamp ?? '', raw, ...wakeArgs(wakes)],
      });
      return written === 1;
    },
    async deleteIf(key, stamp) {
      return (await client.eval(DELETE_IF, { keys: [key], arguments: [stamp] })) === 1;
    },
    due,
    sets,
    async close() {},
  };
}
