/**
 * How many sessions are open, by flow — read from the store at start-up, so the "active sessions"
 * gauge starts from what is really there rather than from zero after every restart. Read through the
 * open sessions' index (couple-index.ts), not by a scan; each session is read to check it is still open.
 */

import { OPEN_SESSIONS } from './couple-index.js';
import { FINISHED, parseSessionRecord } from './session-record.js';
import type { Store } from './store.js';

export async function openSessionsByFlow(store: Store): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const key of await store.sets.members(OPEN_SESSIONS)) {
    const record = parseSessionRecord(await store.get(key));
    if (!record || FINISHED.has(record.status)) continue;
    counts.set(record.flowId, (counts.get(record.flowId) ?? 0) + 1);
  }
  return counts;
}
