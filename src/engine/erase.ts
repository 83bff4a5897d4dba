/**
 * Erase on request: everything stored about one couple — their sessions (in any channel), queued
 * summaries, and the couple record (found by couple-records.ts, as an export finds them). Other
 * couples' data is never touched.
 */

import { OPEN_SESSIONS } from './couple-index.js';
import { findCoupleRecords, indexesOf, keysOf } from './couple-records.js';
import { keptAfterErasure, parseCouple } from './couples.js';
import { summaryDueId } from './session.js';
import type { Store } from './store.js';

/**
 * Erases what Mend keeps about `requester` and `partner`; returns how many stored records were
 * deleted. A safety hold the partner raised stays (see `keptAfterErasure`).
 */
export async function eraseCouple(store: Store, guildId: string, requester: string, partner: string): Promise<number> {
  const records = await findCoupleRecords(store, guildId, requester, partner);
  const previous = records.couple && parseCouple(records.couple.value);
  const kept = previous && keptAfterErasure(previous, requester);
  let erased = 0;
  for (const key of keysOf(records)) if (await store.delete(key)) erased++;
  // Their indexes and deadlines go too: their subjects are gone, and their ids name the couple.
  for (const index of indexesOf(guildId, requester, partner)) await store.sets.drop(index);
  await store.sets.remove(
    OPEN_SESSIONS,
    records.sessions.map((s) => s.key),
  );
  await store.due.cancel([
    ...records.sessions.flatMap(({ record }) => [
      { kind: 'session' as const, id: record.channelId },
      { kind: 'summary' as const, id: summaryDueId(record.channelId, record.id) },
    ]),
    ...records.summaries.flatMap(({ entry }) => [
      { kind: 'summary' as const, id: summaryDueId(entry.channelId, entry.sessionId) },
      { kind: 'retention' as const, id: entry.sessionId },
      { kind: 'approval' as const, id: entry.sessionId },
    ]),
    ...(records.ledger ? [{ kind: 'ledger' as const, id: records.ledger.key }] : []),
  ]);
  if (records.couple && kept) await store.set(records.couple.key, kept);
  // Gone from the files too, not only from the rows.
  await store.scrub();
  return erased;
}
