/**
 * Delivers queued summaries to the couple's channel. Each message that goes out is recorded
 * before the next is sent, so a failure part-way resumes where it stopped instead of posting
 * twice; a failed entry stays queued and is retried with a growing delay.
 */
import type { Client } from 'discord.js';
import type { Logger } from 'pino';
import { type Outbox, type OutboxEntry, retryDelayMs } from '../engine/outbox.js';
import type { Row } from './components.js';
import type { MessagePayload } from './note.js';
import { summaryMessages } from './summary-render.js';

/** Where a message for a channel goes (channel-out.ts's ChannelOut, named here to keep imports one-way). */
export interface ChannelOut {
  /** Resolves false when the bot cannot post in the channel (gone, or not text). */
  send(message: MessagePayload): Promise<boolean>;
}

export interface SummaryPosterOptions {
  client: Client;
  /**
   * Where the messages go: right after the last input, that interaction's follow-ups; later (a retry)
   * the bot token. Without it, the bot token.
   */
  channelOut?: (channelId: string) => ChannelOut;
  outbox: Outbox;
  /**
   * Whether this process serves the entry's guild (its shard): a retry is left to the process that does,
   * so two processes never both retry a summary. Every entry when left out.
   */
  owns?: (entry: OutboxEntry) => boolean;
  log: Logger;
  now?: () => number;
  /** Called after a summary is fully delivered (retention, metrics). */
  onDelivered?: (entry: OutboxEntry) => Promise<void> | void;
  onError?: (error: unknown) => void;
  /** First retry delay; doubles each time (5 s by default). */
  retryBaseMs?: number;
  /** Buttons under the last message of a summary (another conversation with the same partner). */
  closingRows?: (entry: OutboxEntry) => Row[];
}

export class SummaryPoster {
  private readonly inFlight = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly options: SummaryPosterOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Tries to deliver one summary now. Returns true when every message is out. */
  async deliver(sessionId: string): Promise<boolean> {
    if (this.inFlight.has(sessionId)) return false;
    this.inFlight.add(sessionId);
    try {
      const entry = await this.options.outbox.get(sessionId);
      if (!entry) return false;
      if (entry.deliveredAt !== undefined) return true;
      return await this.send(entry);
    } finally {
      this.inFlight.delete(sessionId);
    }
  }

  /** Retries every due entry (called by the sweeper). */
  async retryDue(): Promise<void> {
    const now = this.now();
    for (const entry of await this.options.outbox.all()) {
      if (entry.deliveredAt !== undefined || entry.nextAttemptAt > now) continue;
      if (this.options.owns && !this.options.owns(entry)) continue;
      await this.deliver(entry.sessionId);
    }
  }

  private async send(entry: OutboxEntry): Promise<boolean> {
    const { client, outbox, log } = this.options;
    const messages = summaryMessages(entry.summary, this.options.closingRows?.(entry) ?? []);
    let sent = entry.sent;
    try {
      const channel = this.options.channelOut?.(entry.channelId) ?? (await botTokenOut(client, entry.channelId));
      while (sent < messages.length) {
        const message = messages[sent];
        if (message && !(await channel.send(message)))
          throw new Error('the couple channel is gone or not a text channel');
        sent += 1;
        await outbox.put({ ...entry, sent });
      }
      const delivered: OutboxEntry = { ...entry, sent, deliveredAt: this.now() };
      await outbox.put(delivered);
      log.info({ sessionId: entry.sessionId, messages: messages.length }, 'summary delivered');
      await this.options.onDelivered?.(delivered);
      return true;
    } catch (error) {
      const attempts = entry.attempts + 1;
      const retryInMs = retryDelayMs(attempts, this.options.retryBaseMs);
      await outbox.put({ ...entry, sent, attempts, nextAttemptAt: this.now() + retryInMs }).catch(() => undefined);
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
    send: async (message) => {
      await channel.send(message);
      return true;
    },
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
