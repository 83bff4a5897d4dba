/**
 * Everything stored about one couple — two partners, in one server: their sessions (in any channel,
 * open or finished), their summaries (queued, or delivered and kept until retention), their couple
 * record, their promises, and their history (what /history lists). Erasing and exporting both start here, so what one finds the other finds too.
 *
 * Read through the couple's index (couple-index.ts: every session and summary key of theirs is added
 * to it before the record is written), never by a scan, so it costs the same in a store of ten
 * couples or a million. Every record is matched on both partners' ids, so another couple's never is
 * (nor a session one of them had with someone else, nor a channel reused since). Records written
 * before sessions carried their server match on the two ids alone.
 */
import { coupleIndex } from './couple-index.js';
import { coupleKey } from './couples.js';
import { type History, historyKey, parseHistory } from './history.js';
import { OUTBOX_PREFIX, Outbox, type OutboxEntry, outboxKey } from './outbox.js';
import { type Ledger, ledgerKey, parseLedger } from './promises.js';
import { parseSessionRecord, type SessionRecord } from './session-record.js';
import type { Store } from './store.js';

/** How session keys begin (session.ts keys each channel's session `session:<channel id>`). */
const SESSION_PREFIX = 'session:';

export interface CoupleRecords {
  guildId: string;
  partnerIds: [string, string];
  /** Their sessions, oldest first. */
  sessions: { key: string; record: SessionRecord }[];
  /** Their summaries waiting to be posted or kept after posting, oldest first. */
  summaries: { key: string; entry: OutboxEntry }[];
  /** Their couple record as stored (couples.ts owns its shape), when they have one. */
  couple?: { key: string; value: unknown };
  /** Their promises, check-ins and what is due (promises.ts), when they have any. */
  ledger?: { key: string; ledger: Ledger };
  /** Their past conversations as /history lists them (history.ts), when they have any. */
  history?: { key: string; history: History };
}

/** Every key the records are stored under. */
export const keysOf = (records: CoupleRecords): string[] => [
  ...records.sessions.map((s) => s.key),
  ...records.summaries.map((s) => s.key),
  ...(records.couple ? [records.couple.key] : []),
  ...(records.ledger ? [records.ledger.key] : []),
  ...(records.history ? [records.history.key] : []),
];

export async function findCoupleRecords(
  store: Store,
  guildId: string,
  userA: string,
  userB: string,
): Promise<CoupleRecords> {
  const couple = new Set([userA, userB]);
  const isTheirs = (ids: readonly string[]) =>
    couple.size === 2 && ids.length === 2 && ids.every((id) => couple.has(id));
  const inGuild = (id: string | undefined) => id === undefined || id === guildId;

  const sessionKeys: string[] = [];
  const summaryIds: string[] = [];
  const indexed = couple.size === 2 ? await indexedKeys(store, guildId, userA, userB) : [];
  for (const key of indexed) {
    if (key.startsWith(SESSION_PREFIX)) sessionKeys.push(key);
    else if (key.startsWith(OUTBOX_PREFIX)) summaryIds.push(key.slice(OUTBOX_PREFIX.length));
  }

  const sessions: CoupleRecords['sessions'] = [];
  for (const key of sessionKeys) {
    const record = parseSessionRecord(await store.get(key));
    if (record && inGuild(record.guildId) && isTheirs([record.partners.a.id, record.partners.b.id])) {
      sessions.push({ key, record });
    }
  }
  const sessionIds = new Set(sessions.map((s) => s.record.id));
  const outbox = new Outbox(store);
  const summaries: CoupleRecords['summaries'] = [];
  for (const id of summaryIds) {
    const entry = await outbox.get(id);
    // A summary of one of their sessions, or one whose session is gone already.
    if (entry && (sessionIds.has(entry.sessionId) || (inGuild(entry.guildId) && isTheirs(entry.partnerIds)))) {
      summaries.push({ key: outboxKey(id), entry });
    }
  }

  const records: CoupleRecords = {
    guildId,
    partnerIds: [userA, userB],
    sessions: sessions.sort((x, y) => x.record.startedAt - y.record.startedAt),
    summaries: summaries.sort((x, y) => x.entry.summary.at - y.entry.summary.at),
  };
  const key = coupleKey(guildId, userA, userB);
  const value = couple.size === 2 ? await store.get(key) : undefined;
  if (value !== undefined) records.couple = { key, value };
  const promisesKey = ledgerKey(guildId, userA, userB);
  const ledger = couple.size === 2 ? parseLedger(await store.get(promisesKey)) : undefined;
  if (ledger) records.ledger = { key: promisesKey, ledger };
  const pastKey = historyKey(guildId, userA, userB);
  const history = couple.size === 2 ? parseHistory(await store.get(pastKey)) : undefined;
  if (history) records.history = { key: pastKey, history };
  return records;
}

/** The couple's indexes: in their server, and for sessions stored without one. */
export const indexesOf = (guildId: string, a: string, b: string) => [
  coupleIndex(guildId, a, b),
  coupleIndex(undefined, a, b),
];

async function indexedKeys(store: Store, guildId: string, a: string, b: string): Promise<string[]> {
  const keys = new Set<string>();
  for (const index of indexesOf(guildId, a, b)) for (const key of await store.sets.members(index)) keys.add(key);
  return [...keys].sort();
}
