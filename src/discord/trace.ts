/**
 * Which session an interaction touched, noted by handlers as they load it, so the router's one log
 * line can name the session, flow and step without reading the store again.
 */
import type { Interaction } from 'discord.js';
import type { SessionView } from '../engine/session.js';

export interface SessionTrace {
  sessionId: string;
  flow: string;
  step?: string;
  status: string;
}

const traces = new WeakMap<Interaction, SessionTrace>();

export function noteSession(interaction: Interaction, view: SessionView | undefined): void {
  if (!view) return;
  const trace: SessionTrace = { sessionId: view.record.id, flow: view.flow.id, status: view.status };
  if (view.prompt) trace.step = view.prompt.step;
  traces.set(interaction, trace);
}

export function sessionTraceOf(interaction: Interaction): SessionTrace | undefined {
  return traces.get(interaction);
}
