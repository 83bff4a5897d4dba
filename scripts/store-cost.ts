/**
 * What the store costs Mend, measured: store operations per interaction over whole sessions, and
 * the time and operations of one timekeeper sweep with N idle sessions in the store. Written against
 * the Store interface only, so the same script runs on an older checkout to compare.
 *
 *   npx tsx scripts/store-cost.ts [store url] [idle sessions]
 *
 * Counts every call a counting wrapper sees (get, set, read, writeIf, the due-index and the key
 * sets); a scan counts each key it yields as one operation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFlows } from '../src/engine/flow-registry.js';
import { SessionService } from '../src/engine/session.js';
import { openStore, type Store } from '../src/engine/store.js';
import { Timekeeper } from '../src/engine/timekeeper.js';
import { completionScript, partners } from '../test/support/play.js';

const dir = mkdtempSync(join(tmpdir(), 'mend-cost-'));
const url = process.argv[2] ?? `sqlite://${join(dir, 'cost.sqlite')}`;
const idle = Number(process.argv[3] ?? 10_000);
const namespace = `cost${Date.now().toString(36)}`;

const counts = new Map<string, number>();
const count = (name: string, n = 1) => counts.set(name, (counts.get(name) ?? 0) + n);
const total = () => [...counts.values()].reduce((a, b) => a + b, 0);

/** Counts every method call on an object (and on its `due` and `sets`, where there are). */
function counting<T extends object>(target: T, prefix = ''): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      const name = `${prefix}${String(property)}`;
      if ((property === 'due' || property === 'sets') && value && typeof value === 'object') {
        return counting(value as object, `${name}.`);
      }
      if (typeof value !== 'function') return value;
      if (property === 'keys') {
        return async function* () {
          for await (const key of (value as () => AsyncIterable<string>).call(object)) {
            count('keys (per key scanned)');
            yield key;
          }
        };
      }
      return (...args: unknown[]) => {
        count(name);
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}

const flows = await loadFlows();
const raw = await openStore({ url, namespace, table: namespace });
const store = counting(raw as Store & object) as Store;
let t = Date.UTC(2026, 11, 1, 9);
const now = () => t;
const sessions = new SessionService({ store, flows, now });
const keeper = new Timekeeper({
  store,
  sessions,
  outbox: sessions.outbox,
  now,
  reminderMs: 12 * 3_600_000,
  expiryMs: 14 * 86_400_000,
  retentionMs: 86_400_000,
});

// 1. Store operations per interaction over whole sessions of every listed flow.
let interactions = 0;
counts.clear();
let n = 0;
for (const flow of flows.values()) {
  if (flow.id === 'check-in') continue;
  const channelId = `play-${flow.id}`;
  await sessions.start({ channelId, guildId: 'g', flowId: flow.id, starter: partners.a, partner: partners.b });
  interactions++;
  for (const event of completionScript(flow)) {
    const view = await sessions.view(channelId);
    await sessions.apply(channelId, {
      id: `i-${++n}`,
      userId: partners[event.by].id,
      action: 'answer',
      step: view?.prompt?.key ?? 'none',
      value: event.value,
    });
    interactions++;
    t += 60_000;
  }
}
const played = new Map(counts);
console.log(`store: ${raw.kind}`);
console.log(`store operations per interaction: ${(total() / interactions).toFixed(2)} (${interactions} interactions)`);
console.log(`  by operation: ${[...played].map(([k, v]) => `${k} ${(v / interactions).toFixed(2)}`).join(', ')}`);

// 2. One sweep with `idle` idle sessions: nothing is due, so anything it reads is overhead.
for (let i = 0; i < idle; i++) {
  await sessions.start({
    channelId: `idle-${i}`,
    guildId: 'g',
    flowId: 'ground-rules',
    starter: partners.a,
    partner: partners.b,
  });
}
t += 60_000;
await keeper.tick(async () => {});
counts.clear();
const started = performance.now();
await keeper.tick(async () => {});
const ms = performance.now() - started;
console.log(`one sweep with ${idle} idle sessions: ${ms.toFixed(1)} ms, ${total()} store operations`);
console.log(`  by operation: ${[...counts].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);

await raw.close();
rmSync(dir, { recursive: true, force: true });
