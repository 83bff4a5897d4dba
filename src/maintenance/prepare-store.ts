/**
 * Run once at start-up, before anything is served: a store written before the indexes existed (the
 * due-index, the couples' key sets, the open sessions) gets them, from one full scan — the only scan
 * Mend makes, once per store, never again once the store is marked indexed. Reading every value on
 * the way also checks the encryption key on a store from before the canary (a StoreKeyError
 * stops the start with one clear line, and nothing is changed). Every later start reads one marker
 * and the canary.
 *
 * Deadlines are put in at the earliest they could be (a session's at its last change): the
 * timekeeper looks, and sets each one's real time from its own settings.
 */
import { coupleIndex, OPEN_SESSIONS } from '../engine/couple-index.js';
import type { Wake } from '../engine/due.js';
import { OUTBOX_PREFIX, Outbox } from '../engine/outbox.js';
import { LEDGER_PREFIX, ledgerWakeAt, parseLedger } from '../engine/promises.js';
import { summaryDueId } from '../engine/session.js';
import { FINISHED, parseSessionRecord } from '../engine/session-record.js';
import type { Store } from '../engine/store.js';

/** Present once a store's indexes are complete (the value says which version of them). */
export const INDEXED_KEY = '__indexed__';
const INDEX_VERSION = 1;

export async function prepareStore(store: Store, now: () => number = Date.now): Promise<{ indexed: number }> {
  const marker = (await store.get(INDEXED_KEY)) as { version?: number } | undefined;
  if (marker?.version === INDEX_VERSION) {
    await store.verifyReadable();
    return { indexed: 0 };
  }
  // Keys first, then reads: a store iterator is never held open across other calls.
  const keys: string[] = [];
  for await (const key of store.keys()) keys.push(key);
  const outbox = new Outbox(store);
  let indexed = 0;
  for (const key of keys) {
    const value = await store.get(key);
    const wakes: Wake[] = [];
    const session = key.startsWith('session:') ? parseSessionRecord(value) : undefined;
    if (session) {
      await store.sets.add(coupleIndex(session.guildId, session.partners.a.id, session.partners.b.id), [key]);
      if (!FINISHED.has(session.status)) {
        await store.sets.add(OPEN_SESSIONS, [key]);
        wakes.push({ kind: 'session', id: session.channelId, at: session.updatedAt });
      }
    }
    const entry = key.startsWith(OUTBOX_PREFIX) ? await outbox.get(key.slice(OUTBOX_PREFIX.length)) : undefined;
    if (entry) {
      await store.sets.add(coupleIndex(entry.guildId, ...entry.partnerIds), [key]);
      wakes.push(
        entry.deliveredAt === undefined
          ? { kind: 'summary', id: summaryDueId(entry.channelId, entry.sessionId), at: entry.nextAttemptAt }
          : { kind: 'retention', id: entry.sessionId, at: entry.deliveredAt },
      );
    }
    const ledger = key.startsWith(LEDGER_PREFIX) ? parseLedger(value) : undefined;
    const ledgerAt = ledger && ledgerWakeAt(ledger);
    if (ledgerAt !== undefined) wakes.push({ kind: 'ledger', id: key, at: ledgerAt });
    await store.due.schedule(wakes);
    if (session || entry || ledger) indexed++;
  }
  await store.verifyReadable();
  await store.set(INDEXED_KEY, { version: INDEX_VERSION, at: now() });
  return { indexed };
}
