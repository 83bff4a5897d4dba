/**
 * Erase on request: everything stored about one couple — their sessions (in any channel), queued
 * summaries, and the couple record. Other couples' data is never touched: each session is matched
 * on both partners' ids.
 */
import { coupleKey, keptAfterErasure, parseCouple } from './couples.js';
import type { SessionService } from './session.js';
import { sessionRecordSchema } from './session-record.js';
import type { Store } from './store.js';

/**
 * Erases what Mend keeps about `requester` and `partner`; returns how many stored records were
 * deleted. A safety hold the partner raised stays (see `keptAfterErasure`).
 */
export async function eraseCouple(
  store: Store,
  sessions: SessionService,
  guildId: string,
  requester: string,
  partner: string,
): Promise<number> {
  const [userA, userB] = [requester, partner];
  const couple = new Set([userA, userB]);
  const isTheirs = (ids: string[]) => ids.length === 2 && ids.every((id) => couple.has(id));
  const doomed: string[] = [];
  const sessionIds = new Set<string>();
  // A full scan: /forget is rare and must not miss a channel the couple record never heard of.
  for await (const key of store.keys()) {
    if (!key.startsWith('session:')) continue;
    const parsed = sessionRecordSchema.safeParse(await store.get(key));
    if (!parsed.success) continue;
    const record = parsed.data;
    if (record.guildId !== undefined && record.guildId !== guildId) continue;
    if (!isTheirs([record.partners.a.id, record.partners.b.id])) continue;
    doomed.push(key);
    sessionIds.add(record.id);
  }
  for (const entry of await sessions.outbox.all()) {
    const sameGuild = entry.guildId === undefined || entry.guildId === guildId;
    if (sessionIds.has(entry.sessionId) || (sameGuild && isTheirs(entry.partnerIds))) {
      doomed.push(`outbox:${entry.sessionId}`);
    }
  }
  const coupleRecord = coupleKey(guildId, userA, userB);
  const stored = await store.get(coupleRecord);
  if (stored !== undefined) doomed.push(coupleRecord);
  const previous = parseCouple(stored);
  const kept = previous && keptAfterErasure(previous, requester);
  let erased = 0;
  for (const key of doomed) if (await store.delete(key)) erased++;
  if (kept) await store.set(coupleRecord, kept);
  // Gone from the files too, not only from the rows.
  await store.scrub();
  return erased;
}
