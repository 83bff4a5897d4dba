/**
 * Prometheus metrics, behind a small typed API: the bot says what happened
 * (`metrics.sessionStarted(flowId)`) and never touches prom-client objects, so names, labels and
 * units stay consistent in one place. Labels are bounded sets only (flow ids, interaction kinds,
 * outcomes, HTTP statuses, store operations) — never user or session ids, never text.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Why a session ended before completing (the engine's EndInfo reasons). */
export type EndedEarlyReason = 'ended' | 'declined' | 'expired' | 'incompatible';

export interface Metrics {
  /** The registry /metrics renders (also for tests). */
  readonly registry: Registry;
  /** A session began: counts it and adds it to the active gauge. */
  sessionStarted(flow: string): void;
  /** A session reached its summary: counts it and removes it from the active gauge. */
  sessionCompleted(flow: string): void;
  /** A session ended before its summary (a partner ended it, declined, it expired, or could not be restored). */
  sessionEndedEarly(flow: string, reason: EndedEarlyReason): void;
  /** Sets the active count outright (at startup, from the store, since the gauge starts at 0). */
  setActiveSessions(flow: string, count: number): void;
  /** One interaction handled: `kind` (command, button, modal, …), `outcome` (ok, rejected, error, …). */
  interactionHandled(kind: string, outcome: string, durationMs: number): void;
  /** A Discord REST call failed; `status` is the HTTP status, or 0 when there was no response. */
  discordRestError(status: number): void;
  /** A store call failed; `operation` is get, set, delete, keys or ping. */
  storeError(operation: string): void;
  /** Prometheus text exposition of everything above plus process metrics. */
  render(): Promise<{ contentType: string; body: string }>;
}

export interface MetricsOptions {
  /** Node process metrics (CPU, memory, event loop lag, GC); on by default. */
  defaultMetrics?: boolean;
}

/** Buckets in seconds around Discord's 3 s answer deadline. */
const INTERACTION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });

  const started = new Counter({
    name: 'mend_sessions_started_total',
    help: 'Sessions started, by flow.',
    labelNames: ['flow'] as const,
    registers: [registry],
  });
  const completed = new Counter({
    name: 'mend_sessions_completed_total',
    help: 'Sessions that reached their summary, by flow.',
    labelNames: ['flow'] as const,
    registers: [registry],
  });
  const endedEarly = new Counter({
    name: 'mend_sessions_ended_early_total',
    help: 'Sessions that ended before their summary, by flow and reason (ended, declined, expired, incompatible).',
    labelNames: ['flow', 'reason'] as const,
    registers: [registry],
  });
  const active = new Gauge({
    name: 'mend_sessions_active',
    help: 'Sessions started and not yet finished (paused ones included), by flow.',
    labelNames: ['flow'] as const,
    registers: [registry],
  });
  const interactions = new Histogram({
    name: 'mend_interaction_duration_seconds',
    help: 'Time to handle one Discord interaction, by kind and outcome.',
    labelNames: ['kind', 'outcome'] as const,
    buckets: INTERACTION_BUCKETS,
    registers: [registry],
  });
  const restErrors = new Counter({
    name: 'mend_discord_rest_errors_total',
    help: 'Discord REST calls that failed, by HTTP status (0: no response).',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const storeErrors = new Counter({
    name: 'mend_store_errors_total',
    help: 'Store calls that failed, by operation.',
    labelNames: ['operation'] as const,
    registers: [registry],
  });

  // Our own count per flow, so the gauge never goes below zero (a session started before a
  // restart can finish after it, before the startup count is set).
  const activeCounts = new Map<string, number>();
  const setActive = (flow: string, count: number) => {
    activeCounts.set(flow, Math.max(0, count));
    active.set({ flow }, Math.max(0, count));
  };

  return {
    registry,
    sessionStarted(flow) {
      started.inc({ flow });
      setActive(flow, (activeCounts.get(flow) ?? 0) + 1);
    },
    sessionCompleted(flow) {
      completed.inc({ flow });
      setActive(flow, (activeCounts.get(flow) ?? 0) - 1);
    },
    sessionEndedEarly(flow, reason) {
      endedEarly.inc({ flow, reason });
      setActive(flow, (activeCounts.get(flow) ?? 0) - 1);
    },
    setActiveSessions(flow, count) {
      setActive(flow, count);
    },
    interactionHandled(kind, outcome, durationMs) {
      interactions.observe({ kind, outcome }, Math.max(0, durationMs) / 1000);
    },
    discordRestError(status) {
      restErrors.inc({ status: String(Number.isInteger(status) ? status : 0) });
    },
    storeError(operation) {
      storeErrors.inc({ operation });
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
