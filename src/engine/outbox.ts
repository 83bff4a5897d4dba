/**
 * Summaries waiting to be delivered. A summary is queued here — in the store, before the session
 * itself is saved as finished — so a failed post, a crash or a restart can never lose one: the
 * surface delivers it, records how many of its messages went out, and retries the rest.
 */
import { z } from 'zod';
import { coupleIndex } from './couple-index.js';
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
}

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
});

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
    const parsed = entrySchema.safeParse(await this.store.get(outboxKey(sessionId)));
    return parsed.success ? (parsed.data as OutboxEntry) : undefined;
  }

  async remove(sessionId: string): Promise<void> {
    await this.store.delete(outboxKey(sessionId));
  }
}
