/**
 * Delivers queued summaries to the couple's channel. Each message that goes out is recorded
 * before the next is sent, so a failure part-way resumes where it stopped instead of posting
 * twice; a failed entry stays queued and is retried with a growing delay.
 */
import type { Client } from 'discord.js';
import type { Logger } from 'pino';
import type { DueIndex } from '../engine/due.js';
import { sweepDue } from '../engine/due.js';
import { type Outbox, type OutboxEntry, retryDelayMs } from '../engine/outbox.js';
import { parseSummaryDueId, summaryDueId } from '../engine/session.js';
import { awaitingApproval } from '../engine/summary-approval.js';
import type { Row } from './components.js';
import type { MessagePayload } from './note.js';
import { approvalBlocks } from './summary-notes.js';
import { summaryMessages } from './summary-render.js';

/** Where a message for a channel goes (channel-out.ts's ChannelOut, named here to keep imports one-way). */
export interface ChannelOut {
  /** The message posted (its id), or undefined when the bot cannot post in the channel (gone, or not text). */
  send(message: MessagePayload): Promise<{ id: string } | undefined>;
}

export interface SummaryPosterOptions {
  client: Client;
  /**
   * Where the messages go: right after the last input, that interaction's follow-ups; later (a retry)
   * the bot token. Without it, the bot token.
   */
  channelOut?: (channelId: string) => ChannelOut;
  outbox: Outbox;
  /** Where summaries come due (the store's due-index). */
  due: DueIndex;
  /** Queues the summary of a session that finished but whose summary was not queued (a crash in between). */
  owedSummary: (channelId: string, sessionId: string) => Promise<OutboxEntry | undefined>;
  log: Logger;
  now?: () => number;
  /** Called after a summary is fully delivered (retention, metrics). */
  onDelivered?: (entry: OutboxEntry) => Promise<void> | void;
  onError?: (error: unknown) => void;
  /** First retry delay; doubles each time (5 s by default). */
  retryBaseMs?: number;
  /** Buttons under the last message of a summary (another conversation with the same partner). */
  closingRows?: (entry: OutboxEntry) => Row[];
  /** The summary's first message went out (the couple's history links to it). */
  onFirstMessage?: (entry: OutboxEntry, messageId: string) => Promise<void> | void;
}

export class SummaryPoster {
  private readonly inFlight = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly options: SummaryPosterOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Tries to deliver one summary now. Returns true when every message is out. A summary the couple
   * are still looking over is held back (false) until both have answered or the window has passed.
   */
  async deliver(sessionId: string): Promise<boolean> {
    if (this.inFlight.has(sessionId)) return false;
    this.inFlight.add(sessionId);
    try {
      const entry = await this.options.outbox.get(sessionId);
      if (!entry) return false;
      if (entry.deliveredAt !== undefined) return true;
      if (awaitingApproval(entry)) return false;
      return await this.send(entry);
    } finally {
      this.inFlight.delete(sessionId);
    }
  }

  /**
   * Retries every summary that is due (called by the sweeper), from the due-index: each is claimed
   * by one process, so two processes never post the same summary.
   */
  async retryDue(): Promise<void> {
    const { outbox, due, owedSummary } = this.options;
    await sweepDue(due, 'summary', { now: this.now }, async (id) => {
      const { channelId, sessionId } = parseSummaryDueId(id);
      const entry = (await outbox.get(sessionId)) ?? (await owedSummary(channelId, sessionId));
      if (!entry || entry.deliveredAt !== undefined) return undefined;
      // Held for the couple's look-over: closing it (both answered, or the window) wakes this again.
      if (awaitingApproval(entry)) return undefined;
      if (entry.nextAttemptAt > this.now()) return entry.nextAttemptAt;
      await this.deliver(sessionId);
      const after = await outbox.get(sessionId);
      return after && after.deliveredAt === undefined ? after.nextAttemptAt : undefined;
    });
  }

  private async send(entry: OutboxEntry): Promise<boolean> {
    const { client, outbox, log } = this.options;
    const messages = summaryMessages(entry.summary, this.options.closingRows?.(entry) ?? [], approvalBlocks(entry));
    let sent = entry.sent;
    try {
      const channel = this.options.channelOut?.(entry.channelId) ?? (await botTokenOut(client, entry.channelId));
      while (sent < messages.length) {
        const message = messages[sent];
        const posted = message ? await channel.send(message) : undefined;
        if (message && !posted) throw new Error('the couple channel is gone or not a text channel');
        sent += 1;
        await outbox.put({ ...entry, sent });
        // A history that cannot be written must not hold the summary back: it is only a link.
        if (sent === 1 && posted)
          await Promise.resolve(this.options.onFirstMessage?.(entry, posted.id)).catch(() => undefined);
      }
      const delivered: OutboxEntry = { ...entry, sent, deliveredAt: this.now() };
      await outbox.put(delivered);
      log.info({ sessionId: entry.sessionId, messages: messages.length }, 'summary delivered');
      await this.options.onDelivered?.(delivered);
      return true;
    } catch (error) {
      const attempts = entry.attempts + 1;
      const retryInMs = retryDelayMs(attempts, this.options.retryBaseMs);
      const nextAttemptAt = this.now() + retryInMs;
      await outbox.put({ ...entry, sent, attempts, nextAttemptAt }).catch(() => undefined);
      // Due again at the retry's time (sooner than the hand-off's deadline, when it failed right away).
      const id = summaryDueId(entry.channelId, entry.sessionId);
      await this.options.due.schedule([{ kind: 'summary', id, at: nextAttemptAt }]).catch(() => undefined);
      log.warn(
        { sessionId: entry.sessionId, attempts, retryInMs, err: errorSummary(error) },
        'summary not delivered yet; it is kept and will be retried',
      );
      this.options.onError?.(error);
      return false;
    }
  }
}

async function botTokenOut(client: Client, channelId: string): Promise<ChannelOut> {
  const channel = await client.channels.fetch(channelId);
  if (!channel?.isSendable()) throw new Error('the couple channel is gone or not a text channel');
  return {
    send: async (message) => ({ id: (await channel.send(message)).id }),
  };
}

/** An error's name, code and message — never a request body, which could hold answers. */
export function errorSummary(error: unknown): { name?: string; code?: unknown; message: string; status?: unknown } {
  if (error instanceof Error) {
    const extra = error as Error & { code?: unknown; status?: unknown };
    return { name: error.name, code: extra.code, status: extra.status, message: error.message };
  }
  return { message: String(error) };
}
