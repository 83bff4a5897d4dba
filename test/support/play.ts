/**
 * Plays whole sessions through the engine as two partners would: a script of answers taken from
 * the flow's own graph, applied one input at a time through SessionService.
 */
import type { AnyMachineSnapshot } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import type { FlowDefinition } from '../../src/engine/flow-kit.js';
import type { FlowEvent, PartnerId } from '../../src/engine/flow-types.js';
import type { ApplyOutcome, SessionService } from '../../src/engine/session.js';
import type { Person } from '../../src/engine/session-record.js';
import { possibleEvents, serializeShape, simplePathsToEnds, type TextSize } from './flow-walk.js';

export const alex: Person = { id: '100000000000000001', name: 'Alex' };
export const sam: Person = { id: '100000000000000002', name: 'Sam' };
export const outsider: Person = { id: '100000000000000003', name: 'Robin' };
export const partners: Record<PartnerId, Person> = { a: alex, b: sam };

type AnswerEvent = Extract<FlowEvent, { type: 'ANSWER' }>;

/**
 * The answers of one complete run: the longest simple path to `completed` when there are few
 * enough to enumerate, so loops and optional steps are exercised; otherwise the shortest.
 */
export function completionScript(flow: FlowDefinition, size: TextSize = 'short'): AnswerEvent[] {
  const walkOptions = { size };
  const simple = simplePathsToEnds(flow.machine, walkOptions, 5000);
  let events: FlowEvent[] | undefined;
  if (simple) {
    const complete = simple.filter((p) => p.state.matches('completed'));
    events = complete.reduce<FlowEvent[] | undefined>(
      (a, p) => (!a || p.events.length > a.length ? p.events : a),
      undefined,
    );
  } else {
    const paths = getShortestPaths(flow.machine, {
      events: possibleEvents(flow.machine.id, walkOptions),
      serializeState: serializeShape,
      toState: (s: AnyMachineSnapshot) => s.matches('completed'),
      input: {},
    } as never) as unknown as { state: AnyMachineSnapshot; steps: { event: FlowEvent }[] }[];
    events = paths.find((p) => p.state.matches('completed'))?.steps.map((s) => s.event);
  }
  if (!events) throw new Error(`${flow.id}: no path reaches 'completed'`);
  return events.filter((e): e is AnswerEvent => e.type === 'ANSWER');
}

let counter = 0;
export const inputId = () => `input-${++counter}`;

/** Answers the current prompt with the scripted event's value, as `people` (default: Alex and Sam). */
export async function answer(
  service: SessionService,
  channelId: string,
  event: AnswerEvent,
  people: Record<PartnerId, Person> = partners,
): Promise<ApplyOutcome> {
  const view = await service.view(channelId);
  return service.apply(channelId, {
    id: inputId(),
    userId: people[event.by].id,
    action: 'answer',
    step: view?.prompt?.key ?? 'none',
    value: event.value,
  });
}
