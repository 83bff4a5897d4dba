/**
 * Summaries waiting to be delivered. A summary is queued here — in the store, before the session
 * itself is saved as finished — so a failed post, a crash or a restart can never lose one: the
 * surface delivers it, records how many of its messages went out, and retries the rest.
 */
import { z } from 'zod';
import type { SummaryApproval } from './approval-record.js';
import { coupleIndex } from './couple-index.js';
import type { Wake } from './due.js';
import type { Store } from './store.js';
import type { Summary } from './summary.js';

export interface OutboxEntry {
  sessionId: string;
  channelId: string;
  guildId?: string;
  /** Both partners' user ids (so an erase request finds every summary of theirs). */
  partnerIds: [string, string];
  summary: Summary;
  /** Messages of the rendered summary already posted (a retry continues after them). */
  sent: number;
  attempts: number;
  /** Epoch ms before which no retry is made. */
  nextAttemptAt: number;
  /** Epoch ms the last message went out; the entry then only waits for retention. */
  deliveredAt?: number;
  /**
   * The couple's look-over before it is posted (summary-approval.ts); absent when the summary is
   * posted straight away (a check-in, a conversation closed by expiry or a kind close).
   */
  approval?: SummaryApproval;
}

/** A finished session's summary, in the due-index: the channel (to find the session) and the session id. */
export const summaryDueId = (channelId: string, sessionId: string) => `${channelId}/${sessionId}`;
export const parseSummaryDueId = (id: string) => {
  const cut = id.indexOf('/');
  return { channelId: id.slice(0, cut), sessionId: id.slice(cut + 1) };
};

export const OUTBOX_PREFIX = 'outbox:';
export const outboxKey = (sessionId: string) => `${OUTBOX_PREFIX}${sessionId}`;

const entrySchema = z.object({
  sessionId: z.string(),
  channelId: z.string(),
  guildId: z.string().optional(),
  partnerIds: z.tuple([z.string(), z.string()]),
  summary: z.custom<Summary>((v) => typeof v === 'object' && v !== null && 'steps' in v),
  sent: z.number().int().nonnegative(),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: z.number(),
  deliveredAt: z.number().optional(),
  approval: z
    .object({
      deadline: z.number(),
      answers: z.array(
        z.object({
          userId: z.string(),
          kind: z.enum(['fair', 'note']),
          note: z.string().optional(),
          at: z.number(),
        }),
      ),
      closedAt: z.number().optional(),
      closedBy: z.enum(['both', 'window']).optional(),
    })
    .optional(),
});

const MAX_UPDATE_ATTEMPTS = 50;

const parseEntry = (value: unknown): OutboxEntry | undefined => {
  const parsed = entrySchema.safeParse(value);
  return parsed.success ? (parsed.data as OutboxEntry) : undefined;
};

/** Waits before the next try: 5 s, 10 s, 20 s … up to 10 minutes (the base is shorter in tests). */
export const retryDelayMs = (attempts: number, baseMs = 5_000) =>
  Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 600_000);

export class Outbox {
  constructor(private readonly store: Store) {}

  /** A new summary: indexed under its couple (for /forget and /export), then stored. */
  async queue(entry: OutboxEntry): Promise<void> {
    const [a, b] = entry.partnerIds;
    await this.store.sets.add(coupleIndex(entry.guildId, a, b), [outboxKey(entry.sessionId)]);
    await this.put(entry);
  }

  /**
   * Stores an entry as it now stands (messages sent, the next try). Once delivered, it only waits
   * for its retention: the timekeeper's deadline, from the delivery on.
   */
  async put(entry: OutboxEntry): Promise<void> {
    await this.store.set(outboxKey(entry.sessionId), entry);
    if (entry.deliveredAt !== undefined) {
      await this.store.due.schedule([{ kind: 'retention', id: entry.sessionId, at: entry.deliveredAt }]);
    }
  }

  async get(sessionId: string): Promise<OutboxEntry | undefined> {
    return parseEntry(await this.store.get(outboxKey(sessionId)));
  }

  /**
   * A read-modify-write of one entry that is safe across processes (compare-and-set, as in
   * stored-update.ts): `change` sees the entry as stored and may run more than once; it returns the
   * entry to write (with deadlines to lower in the same write), or none to leave it as it is.
   */
  async update<T>(
    sessionId: string,
    change: (entry: OutboxEntry | undefined) => { next?: OutboxEntry; wakes?: readonly Wake[]; result: T },
  ): Promise<T> {
    const key = outboxKey(sessionId);
    for (let attempt = 1; attempt <= MAX_UPDATE_ATTEMPTS; attempt++) {
      const read = await this.store.read(key);
      const out = change(parseEntry(read?.value));
      if (!out.next) return out.result;
      if ((await this.store.writeIf(key, out.next, read?.stamp, out.wakes)) !== undefined) return out.result;
    }
    throw new Error(`${key} kept changing under ${MAX_UPDATE_ATTEMPTS} attempts to update it`);
  }

  async remove(sessionId: string): Promise<void> {
    await this.store.delete(outboxKey(sessionId));
  }
}
