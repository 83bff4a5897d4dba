import { performance } from 'node:perf_hooks';
import type { APIModalInteractionResponseCallbackData, InteractionResponseType, InteractionType } from 'discord.js';
import type { Recorder } from './recorder.js';

export interface FirstResponse {
  callbackType: InteractionResponseType;
  /** From the moment the interaction was dispatched to the moment the callback request arrived. */
  latencyMs: number;
  ephemeral: boolean;
}

export interface InteractionRecord {
  id: string;
  token: string;
  type: InteractionType;
  /** What the user did, for messages: "/talk", "button 'Start' (start:1)", "modal answer:1". */
  label: string;
  userId: string;
  guildId: string;
  channelId: string;
  /** The message a component is on (or the modal was opened from); null for slash commands. */
  sourceMessageId: string | null;
  /** The interaction that opened this modal, for modal submits. */
  openedBy: string | null;
  createdAt: number;
  firstResponse: FirstResponse | null;
  /** The message `@original` refers to once acknowledged. */
  originalMessageId: string | null;
  modal: APIModalInteractionResponseCallbackData | null;
  followUpIds: string[];
  missedDeadline: boolean;
  /** Why Discord refused the bot's first response, when it did (the bot may still answer within the deadline). */
  refusal: string | null;
}

/** One line of the latency report the e2e benchmark reads. */
export interface InteractionTiming {
  interactionId: string;
  label: string;
  userId: string;
  callbackType: InteractionResponseType | null;
  latencyMs: number | null;
  missedDeadline: boolean;
}

export interface InteractionRules {
  /** Discord fails an interaction that gets no response within 3 s. */
  firstResponseDeadlineMs: number;
  /** Interaction tokens (follow-ups, edits) work for 15 minutes. */
  tokenLifetimeMs: number;
}

export type NewInteraction = Omit<
  InteractionRecord,
  'createdAt' | 'firstResponse' | 'originalMessageId' | 'modal' | 'followUpIds' | 'missedDeadline' | 'refusal'
>;

interface Waiter {
  resolve(response: FirstResponse): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Every interaction dispatched to the bot, with the clock Discord runs on it: the 3-second first-response
 * deadline, the 15-minute token, and the latency of each first response.
 */
export class InteractionRegistry {
  private readonly records = new Map<string, InteractionRecord>();
  private readonly waiters = new Map<string, Waiter>();

  constructor(
    private readonly rules: InteractionRules,
    private readonly recorder: Recorder,
  ) {}

  create(input: NewInteraction): InteractionRecord {
    const record: InteractionRecord = {
      ...input,
      createdAt: performance.now(),
      firstResponse: null,
      originalMessageId: null,
      modal: null,
      followUpIds: [],
      missedDeadline: false,
      refusal: null,
    };
    this.records.set(record.id, record);
    return record;
  }

  get(id: string): InteractionRecord | undefined {
    return this.records.get(id);
  }

  byToken(token: string): InteractionRecord | undefined {
    return [...this.records.values()].find((r) => r.token === token);
  }

  all(): InteractionRecord[] {
    return [...this.records.values()];
  }

  timings(): InteractionTiming[] {
    return this.all().map((r) => ({
      interactionId: r.id,
      label: r.label,
      userId: r.userId,
      callbackType: r.firstResponse?.callbackType ?? null,
      latencyMs: r.firstResponse?.latencyMs ?? null,
      missedDeadline: r.missedDeadline,
    }));
  }

  elapsedMs(record: InteractionRecord): number {
    return performance.now() - record.createdAt;
  }

  isPastDeadline(record: InteractionRecord): boolean {
    return this.elapsedMs(record) > this.rules.firstResponseDeadlineMs;
  }

  isTokenExpired(record: InteractionRecord): boolean {
    return this.elapsedMs(record) > this.rules.tokenLifetimeMs;
  }

  get deadlineMs(): number {
    return this.rules.firstResponseDeadlineMs;
  }

  /** Resolves with the bot's first response; rejects when the deadline passes (and records that as a violation). */
  waitForFirstResponse(record: InteractionRecord): Promise<FirstResponse> {
    if (record.firstResponse) return Promise.resolve(record.firstResponse);
    return new Promise((resolve, reject) => {
      const remaining = Math.max(0, this.rules.firstResponseDeadlineMs - this.elapsedMs(record));
      const timer = setTimeout(() => this.missDeadline(record), remaining);
      this.waiters.set(record.id, { resolve, reject, timer });
    });
  }

  /** Marks the first response; `latencyMs` is measured when the callback arrived, before it was processed. */
  acknowledge(
    record: InteractionRecord,
    callbackType: InteractionResponseType,
    ephemeral: boolean,
    latencyMs: number,
  ): FirstResponse {
    const response = { callbackType, latencyMs, ephemeral };
    record.firstResponse = response;
    const waiter = this.takeWaiter(record);
    waiter?.resolve(response);
    return response;
  }

  /**
   * The bot's first callback was refused (invalid body, wrong type). Discord would show "This interaction
   * failed" after 3 s; the test learns why at once instead of waiting.
   */
  refuseFirstResponse(record: InteractionRecord, reason: string) {
    record.refusal = reason;
    this.takeWaiter(record)?.reject(
      new Error(`${record.label}: the bot's response was refused by Discord (${reason})`),
    );
  }

  /** Interactions still waiting for their first response: not answered, not refused, deadline not yet passed. */
  awaitingFirstResponse(): InteractionRecord[] {
    return this.all().filter((r) => !r.firstResponse && !r.missedDeadline && r.refusal === null);
  }

  close() {
    for (const [id, waiter] of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`The local Discord stopped before interaction ${id} got a response`));
    }
    this.waiters.clear();
  }

  private missDeadline(record: InteractionRecord) {
    if (record.firstResponse) return;
    record.missedDeadline = true;
    const deadline = this.rules.firstResponseDeadlineMs;
    this.recorder.violation(`INTERACTION ${record.id}`, `${record.label}: no response within ${deadline} ms`);
    this.takeWaiter(record)?.reject(
      new Error(
        `${record.label}: the bot did not respond within ${deadline} ms (Discord shows "This interaction failed")`,
      ),
    );
  }

  private takeWaiter(record: InteractionRecord): Waiter | undefined {
    const waiter = this.waiters.get(record.id);
    if (!waiter) return undefined;
    clearTimeout(waiter.timer);
    this.waiters.delete(record.id);
    return waiter;
  }
}
