import type { EmulatorCore } from './context.js';

export interface SettledOptions {
  /**
   * Asked on every look: true while the bot still has work of its own under way (an interaction handler, a
   * sweep). An in-process bot can tell; a bot in another process cannot, and then only what reaches the local
   * Discord counts.
   */
  busy?: () => boolean;
  /** How long everything must stay quiet before it counts as settled. Default 10 ms. */
  quietMs?: number;
  /** Rejects after this long, saying what was still pending. Default 5000 ms. */
  timeoutMs?: number;
}

const LOOK_EVERY_MS = 2;

/**
 * Resolves once every interaction has had its first response (or was refused, or missed its deadline), no REST
 * request is being served, and `busy()` is false — and all of that has held for `quietMs` with no request coming
 * and going in between. The quiet window is what catches a follow-up the bot posts just after its callback:
 * between the callback's answer and the next request there is a moment when nothing is pending.
 */
export async function settle(core: EmulatorCore, options: SettledOptions = {}): Promise<void> {
  const quietMs = options.quietMs ?? 10;
  const timeoutMs = options.timeoutMs ?? 5000;
  const started = performance.now();
  let quietSince: number | null = null;
  let generation = core.activity.generation;
  // Nothing has come or gone since the last time it settled, and nothing is pending: still settled.
  if (sameAsLastSettled(core) && pendingWork(core, options.busy).length === 0) return;
  for (;;) {
    const now = performance.now();
    const pending = pendingWork(core, options.busy);
    if (pending.length > 0 || core.activity.generation !== generation) {
      quietSince = null;
      generation = core.activity.generation;
    } else if (quietSince === null) {
      quietSince = now;
    } else if (now - quietSince >= quietMs) {
      core.activity.settledAt = mark(core);
      return;
    }
    if (now - started > timeoutMs) {
      throw new Error(
        `The local Discord did not settle within ${timeoutMs} ms; still pending: ${pending.join('; ') || 'activity kept coming'}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, LOOK_EVERY_MS));
  }
}

const mark = (core: EmulatorCore) => `${core.activity.generation}/${core.interactions.all().length}`;

const sameAsLastSettled = (core: EmulatorCore) => core.activity.settledAt === mark(core);

function pendingWork(core: EmulatorCore, busy: (() => boolean) | undefined): string[] {
  const pending = core.interactions
    .awaitingFirstResponse()
    .map((r) => `${r.label} (no first response after ${Math.round(core.interactions.elapsedMs(r))} ms)`);
  pending.push(...core.activity.inFlight().map((request) => `REST ${request} (not answered yet)`));
  if (busy?.()) pending.push('the bot says it is busy (an interaction handler or a sweep is running)');
  return pending;
}
