/**
 * Deadlines with two processes (issue 10, "timers exactly once"): two timekeepers, each with its own
 * store connection, tick at the same moments of a fake clock. Every break's end, turn reminder and
 * expiry is delivered exactly once between them — also when a third process claimed the deadlines
 * and died before delivering: they wait for its lease to end, then the others take them over.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SessionService } from '../../src/engine/session.js';
import type { Store } from '../../src/engine/store.js';
import { type Notice, Timekeeper } from '../../src/engine/timekeeper.js';
import { flows } from '../support/flows.js';
import { alex, inputId, sam } from '../support/play.js';
import { allStoreCases, announceSkips, type StoreCase } from '../support/stores.js';

const cases = allStoreCases();
announceSkips(cases);
afterAll(async () => {
  for (const storeCase of cases) await storeCase.cleanup();
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const LEASE_MS = MINUTE;

describe.each(cases)('two timekeepers on $name', (storeCase: StoreCase) => {
  it.skipIf(storeCase.skip)('deliver every deadline once, and take over a dead claimer’s', async () => {
    let t = Date.UTC(2026, 11, 1, 9, 0, 0);
    const now = () => t;
    const stores: Store[] = [];
    const boot = async () => {
      const store = await storeCase.open();
      stores.push(store);
      const sessions = new SessionService({ store, flows, now });
      const keeper = new Timekeeper({
        store,
        sessions,
        outbox: sessions.outbox,
        now,
        reminderMs: 12 * HOUR,
        expiryMs: 14 * DAY,
        retentionMs: DAY,
        leaseMs: LEASE_MS,
      });
      return { sessions, keeper };
    };
    const a = await boot();
    const b = await boot();
    const delivered: string[] = [];
    const record = async (notice: Notice) => {
      if (notice.kind !== 'follow-up' && notice.kind !== 'record-as-it-stands')
        delivered.push(`${notice.kind} ${notice.view.record.channelId}`);
    };
    const tickBoth = () => Promise.all([a.keeper.tick(record), b.keeper.tick(record)]);
    const kinds = () => [...delivered].sort();

    try {
      const active = ['active-1', 'active-2', 'active-3'];
      const paused = ['paused-1', 'paused-2'];
      for (const [n, channelId] of [...active, ...paused].entries()) {
        const started = await (n % 2 ? a : b).sessions.start({
          channelId,
          flowId: 'ground-rules',
          starter: alex,
          partner: sam,
        });
        expect(started.ok).toBe(true);
      }
      const until = t + 45 * MINUTE;
      for (const channelId of paused) {
        const outcome = await a.sessions.apply(channelId, { id: inputId(), userId: sam.id, action: 'pause', until });
        expect(outcome.ok).toBe(true);
      }

      t += 30 * MINUTE;
      await tickBoth();
      expect(kinds()).toEqual([]);
      t += 16 * MINUTE;
      await tickBoth();
      await tickBoth();
      expect(kinds()).toEqual(['break-over paused-1', 'break-over paused-2']);

      // A third process claims the turn reminders as they come due, and dies before delivering any.
      t += 12 * HOUR;
      const dying = await boot();
      void dying.keeper.tick(() => new Promise<void>(() => {}));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await tickBoth();
      expect(kinds().filter((k) => k.startsWith('turn-reminder'))).toEqual([]);
      // Its lease ends: the others take the deadlines over, and deliver each once.
      t += LEASE_MS;
      await tickBoth();
      await tickBoth();
      expect(kinds().filter((k) => k.startsWith('turn-reminder'))).toEqual(active.map((c) => `turn-reminder ${c}`));

      t += 14 * DAY;
      await tickBoth();
      await tickBoth();
      expect(kinds()).toEqual(
        [
          ...paused.map((c) => `break-over ${c}`),
          ...[...active, ...paused].map((c) => `expired ${c}`),
          ...active.map((c) => `turn-reminder ${c}`),
        ].sort(),
      );
      // Nothing more is due, however long it stays quiet.
      t += 30 * DAY;
      await tickBoth();
      expect(delivered).toHaveLength(2 + 3 + 5);
    } finally {
      for (const store of stores) await store.close().catch(() => undefined);
    }
  });
});
