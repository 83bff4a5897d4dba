/**
 * The couple's history (`/history`): one line per past conversation — which flow, when, how it
 * ended, and where its summary was posted. It outlives retention on purpose (the sessions and
 * summaries it points to are deleted), so it holds only ids, dates, how it ended and the summary's
 * message id: never anyone's words. Keyed per couple like the ledger; erased by /forget.
 */
import { z } from 'zod';
import { coupleKey } from './couples.js';
import type { FlowContext } from './flow-types.js';
import { SerialQueue } from './serial-queue.js';
import type { SessionRecord } from './session-record.js';
import type { Store } from './store.js';
import { updateStored } from './stored-update.js';

/** How a conversation ended, as the list says it (never who ended it, nor why in their words). */
export const ENDINGS = ['finished', 'declined', 'ended', 'quiet', 'closed'] as const;
export type Ending = (typeof ENDINGS)[number];

export interface HistoryEntry {
  sessionId: string;
  flowId: string;
  channelId: string;
  startedAt: number;
  endedAt: number;
  ending: Ending;
  /** The first message of its summary in the couple's channel, once posted. */
  summaryMessageId?: string;
  postedAt?: number;
}

export interface History {
  guildId: string;
  partnerIds: [string, string];
  entries: HistoryEntry[];
}

const historySchema = z.object({
  guildId: z.string(),
  partnerIds: z.tuple([z.string(), z.string()]),
  entries: z.array(
    z.object({
      sessionId: z.string(),
      flowId: z.string(),
      channelId: z.string(),
      startedAt: z.number(),
      endedAt: z.number(),
      ending: z.enum(ENDINGS),
      summaryMessageId: z.string().optional(),
      postedAt: z.number().optional(),
    }),
  ),
}) satisfies z.ZodType<History, unknown>;

export const HISTORY_PREFIX = 'history:';
/** The couple's key with its own prefix (both ids sorted, so either partner finds it). */
export const historyKey = (guildId: string, a: string, b: string) =>
  `${HISTORY_PREFIX}${coupleKey(guildId, a, b).slice('couple:'.length)}`;

export const parseHistory = (value: unknown): History | undefined => {
  const parsed = historySchema.safeParse(value);
  return parsed.success ? (parsed.data as History) : undefined;
};

/** How a stored session ended, in the list's words. */
export function endingOf(record: SessionRecord, context: FlowContext): Ending {
  if (record.status === 'completed') return 'finished';
  if (record.status === 'declined') return 'declined';
  if (record.status === 'closed' || context.end?.reason === 'incompatible') return 'closed';
  if (context.end?.reason === 'expired') return 'quiet';
  return 'ended';
}

export class CoupleHistory {
  private readonly queue = new SerialQueue();

  constructor(private readonly store: Store) {}

  async find(guildId: string, a: string, b: string): Promise<History | undefined> {
    return parseHistory(await this.store.get(historyKey(guildId, a, b)));
  }

  /** A conversation has finished (written with its summary, before the session is stored as finished). */
  recordFinished(record: SessionRecord, context: FlowContext, at: number): Promise<void> {
    const guildId = record.guildId;
    if (guildId === undefined) return Promise.resolve();
    const [a, b] = [record.partners.a.id, record.partners.b.id];
    return this.update(guildId, a, b, (entries) => {
      const previous = entries.find((e) => e.sessionId === record.id);
      const entry: HistoryEntry = {
        ...previous,
        sessionId: record.id,
        flowId: record.flowId,
        channelId: record.channelId,
        startedAt: record.startedAt,
        endedAt: previous?.endedAt ?? at,
        ending: endingOf(record, context),
      };
      return [...entries.filter((e) => e.sessionId !== record.id), entry];
    });
  }

  /** The first message of a conversation's summary went out: the list links to it. */
  summaryPosted(
    where: { guildId?: string; partnerIds: [string, string]; sessionId: string },
    messageId: string,
    at: number,
  ): Promise<void> {
    if (where.guildId === undefined) return Promise.resolve();
    const [a, b] = where.partnerIds;
    return this.update(where.guildId, a, b, (entries) =>
      entries.map((e) =>
        e.sessionId === where.sessionId && e.summaryMessageId === undefined
          ? { ...e, summaryMessageId: messageId, postedAt: at }
          : e,
      ),
    );
  }

  private update(
    guildId: string,
    a: string,
    b: string,
    change: (entries: HistoryEntry[]) => HistoryEntry[],
  ): Promise<void> {
    const key = historyKey(guildId, a, b);
    // Compare-and-set (stored-update.ts): two processes finishing two conversations of one couple
    // at once both keep their line.
    return this.queue.run(key, () =>
      updateStored(this.store, key, (value) => {
        const current = parseHistory(value);
        const entries = change(current?.entries ?? []).sort((x, y) => x.endedAt - y.endedAt);
        if (entries.length === 0 && !current) return { value: undefined, result: undefined };
        const next: History = { guildId, partnerIds: current?.partnerIds ?? [a, b], entries };
        return { value: next, result: undefined };
      }),
    );
  }
}
