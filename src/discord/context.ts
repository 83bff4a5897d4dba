/**
 * What every Discord handler gets: the engine's services and the bot's own helpers. Built once in
 * bot.ts; handlers never reach for globals.
 */
import type { Client } from 'discord.js';
import type { Logger } from 'pino';
import type { FlowRegistry } from '../engine/flow-registry.js';
import type { SessionService } from '../engine/session.js';
import type { Store } from '../engine/store.js';
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

export interface BotContext {
  client: Client;
  sessions: SessionService;
  flows: FlowRegistry;
  store: Store;
  poster: SummaryPoster;
  log: Logger;
  metrics: BotMetrics;
  now: () => number;
  /** Shown privately to a partner whose answer triggered the safety pause. */
  safetyResources: string;
}
