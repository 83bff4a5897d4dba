/**
 * What every Discord handler gets: the engine's services and the bot's own helpers. Built once in
 * bot.ts; handlers never reach for globals. Showing the channel what changed (`present`) and
 * taking an answer (`answering`) are reached through here rather than imported, because the
 * messages they post carry the buttons of the very handlers that call them.
 */
import type { ButtonInteraction, Client, ModalSubmitInteraction } from 'discord.js';
import type { Logger } from 'pino';
import type { Couples } from '../engine/couples.js';
import type { FlowRegistry } from '../engine/flow-registry.js';
import type { AnswerRecord, AnswerValue } from '../engine/flow-types.js';
import type { Prompt } from '../engine/prompt.js';
import type { ApplyOutcome, SessionService, SessionView } from '../engine/session.js';
import type { Store } from '../engine/store.js';
import type { KeepingTimes } from './gate/consent-note.js';
import type { InteractionWebhooks } from './interaction-webhook.js';
import type { SummaryPoster } from './summary-post.js';

/** The counters and timings the bot reports (a no-op set when metrics are off). */
export interface BotMetrics {
  sessionStarted(flowId: string): void;
  sessionFinished(flowId: string, status: string): void;
  interactionHandled(kind: string, outcome: string, seconds: number): void;
  restError(): void;
  storeError(): void;
}

export const noMetrics: BotMetrics = {
  sessionStarted: () => undefined,
  sessionFinished: () => undefined,
  interactionHandled: () => undefined,
  restError: () => undefined,
  storeError: () => undefined,
};

/** What handling an interaction came to: one word for the log line, and the session it touched. */
export interface Handled {
  outcome: string;
  view?: SessionView | undefined;
}

export type AcceptedOutcome = Extract<ApplyOutcome, { ok: true }>;

/** Shows the couple's channel what an accepted input changed, or where a session stands. */
export interface Presenter {
  /**
   * Answers that became readable, the next prompt, a break, or the end and its summary. Answers
   * already `displayed` (in the prompt message the answer came from) are not posted again.
   */
  outcome(outcome: AcceptedOutcome, displayed?: readonly AnswerRecord[]): Promise<void>;
  /** The prompt a session waits on (at its start, after a break, or on request). */
  prompt(view: SessionView): Promise<void>;
}

type AnsweringInteraction = ButtonInteraction | ModalSubmitInteraction;

/** Takes one partner's answer to a prompt (a choice button or a form), a change to it, or an addition. */
export interface Answering {
  /** `value` may be read off the prompt it answers (a form's fields, by what the step asks). */
  submit(
    interaction: AnsweringInteraction,
    key: string,
    value: AnswerValue | ((prompt: Prompt) => AnswerValue),
  ): Promise<Handled>;
  /** New words (or, while sealed and waiting, a new choice) for the answer given to the prompt `key`. */
  revise(interaction: AnsweringInteraction, key: string, value: AnswerValue): Promise<Handled>;
  /** A few words added to the answer given to the prompt `key`, once the other has read it. */
  add(interaction: AnsweringInteraction, key: string, text: string): Promise<Handled>;
}

export interface BotContext {
  client: Client;
  sessions: SessionService;
  flows: FlowRegistry;
  store: Store;
  /** Each couple's record: their channels, and the gate (consent, safety check, hold). */
  couples: Couples;
  /** How long Mend keeps what a couple writes (said in the consent note). */
  keeping: KeepingTimes;
  poster: SummaryPoster;
  /** Follow-ups through an interaction's own webhook (not bound to the global rate limit). */
  webhooks: InteractionWebhooks;
  log: Logger;
  metrics: BotMetrics;
  now: () => number;
  /** Shown privately to a partner whose answer triggered the safety pause. */
  safetyResources: string;
  present: Presenter;
  answering: Answering;
}
