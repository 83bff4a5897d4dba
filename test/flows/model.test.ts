/**
 * Model-based tests: xstate/graph walks every flow's paths — answers, pauses, resumes and ends,
 * generated from the prompt meta alone — and at every final state checks that the summary holds
 * every answer given on that path, in full, and leaks no sealed answer that was never revealed.
 */

import { beforeAll, describe, expect, it } from 'vitest';
import { type AnyMachineSnapshot, createActor } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import type { FlowContext, FlowDefinition, FlowEvent } from '../../src/engine/flow-kit.js';
import { type FlowRegistry, loadFlows } from '../../src/engine/flow-registry.js';
import type { SessionStatus } from '../../src/engine/session-record.js';
import { summarize } from '../../src/engine/summary.js';
import {
  expectedAnswers,
  possibleEvents,
  serializeShape,
  simplePathsToEnds,
  textsOf,
  type WalkOptions,
} from '../support/flow-walk.js';
import { flowNamed } from '../support/flows.js';

const names = { a: 'Alex', b: 'Sam' } as const;
const nameOf = (p: 'a' | 'b') => names[p];

/** More paths than this and a flow is walked by shortest paths to every state plus loop paths. */
const SIMPLE_PATH_BUDGET = 4000;

const statusOf = (s: AnyMachineSnapshot): SessionStatus =>
  s.matches('completed') ? 'completed' : s.matches('declined') ? 'declined' : s.matches('ended') ? 'ended' : 'active';

type Path = { state: AnyMachineSnapshot; events: FlowEvent[] };

function walk(flow: FlowDefinition, options: WalkOptions): { paths: Path[]; strategy: string } {
  const simple = simplePathsToEnds(flow.machine, options, SIMPLE_PATH_BUDGET);
  if (simple) return { paths: simple, strategy: 'simple' };
  // Too many to walk: the shortest path to every state, and each extended to an end by its own
  // shortest way there, so every state is checked at a final state.
  const traversal = { events: possibleEvents(flow.machine.id, options), serializeState: serializeShape, input: {} };
  const toEveryState = getShortestPaths(flow.machine, traversal as never) as unknown as {
    state: AnyMachineSnapshot;
    steps: { event: FlowEvent }[];
  }[];
  const paths = toEveryState.map((p) => {
    const prefix = p.steps.map((s) => s.event);
    if (p.state.status === 'done') return { state: p.state, events: prefix };
    const rest = getShortestPaths(flow.machine, {
      ...traversal,
      fromState: p.state,
      toState: (s: AnyMachineSnapshot) => s.status === 'done',
    } as never) as unknown as { state: AnyMachineSnapshot; steps: { event: FlowEvent }[] }[];
    const end = rest.find((r) => r.state.status === 'done');
    return { state: end?.state ?? p.state, events: [...prefix, ...(end?.steps.map((s) => s.event) ?? [])] };
  });
  return { paths, strategy: 'shortest-to-every-state' };
}

/** Replays a path's events on a fresh actor (the path's own final state is what we check against). */
function replay(flow: FlowDefinition, events: FlowEvent[]): AnyMachineSnapshot {
  const actor = createActor(flow.machine, { input: {} });
  actor.start();
  for (const event of events) actor.send(event);
  const snapshot = actor.getSnapshot();
  actor.stop();
  return snapshot;
}

function checkPath(flow: FlowDefinition, events: FlowEvent[]): void {
  const final = replay(flow, events);
  const context = final.context as FlowContext;
  const summary = summarize({ flow, context, status: statusOf(final), nameOf, at: 0 });
  const everything = JSON.stringify(summary);

  // Sealed answers still pending at the end were never revealed: they must not appear.
  const sealedPending = context.pendingStep !== null && flow.steps.get(context.pendingStep)?.sealed === true;
  const hidden = new Set<string>();
  if (sealedPending) {
    for (const value of Object.values(context.pending)) for (const t of value ? textsOf(value) : []) hidden.add(t);
  }
  for (const text of hidden)
    expect(everything, `${flow.id}: a sealed, unrevealed answer leaked`).not.toContain(
      JSON.stringify(text).slice(1, -1),
    );
  if (sealedPending) expect(summary.unrevealed.length).toBeGreaterThan(0);

  for (const given of expectedAnswers(events)) {
    for (const text of given.texts) {
      if (hidden.has(text)) continue;
      const found = summary.steps.some((s) => s.entries.some((e) => e.text.includes(text) && e.by === names[given.by]));
      expect(
        found,
        `${flow.id}: ${given.step} by ${given.by} is missing in full from the summary: ${text.slice(0, 60)}…`,
      ).toBe(true);
    }
  }
  expect(summary.flowTitle).toBe(flow.title);
  expect(summary.partners).toEqual(['Alex', 'Sam']);
  expect(summary.outcome.length).toBeGreaterThan(0);
}

let flows: FlowRegistry;
beforeAll(async () => {
  flows = await loadFlows();
});

describe('every flow, walked by its model', () => {
  it('finds the four flows', () => {
    expect([...flows.keys()].sort()).toEqual([
      'admit-mistake',
      'ground-rules',
      'needs-discovery',
      'tolerance-questions',
    ]);
  });

  it.each(['admit-mistake', 'ground-rules', 'needs-discovery', 'tolerance-questions'])(
    '%s: every path to every end holds every answer in full',
    (id) => {
      const flow = flowNamed(id);
      // Answers at full length on the plain walk; pauses, resumes and ends on a second walk.
      const answersWalk = walk(flow, { size: 'max' });
      const interruptWalk = walk(flow, { size: 'short', interruptions: true, firstAnswerOnly: true });
      let finals = 0;
      const reached = new Set<string>();
      for (const { paths } of [answersWalk, interruptWalk]) {
        for (const path of paths) {
          reached.add(statusOf(path.state));
          if (path.state.status !== 'done') continue;
          finals++;
          checkPath(flow, path.events);
        }
      }
      console.log(
        `[model] ${id}: ${answersWalk.paths.length} ${answersWalk.strategy} answer paths, ${interruptWalk.paths.length} ${interruptWalk.strategy} interruption paths, ${finals} ending in a final state`,
      );
      expect(reached).toContain('completed');
      expect(reached).toContain('ended');
      expect(finals).toBeGreaterThan(0);
    },
    120_000,
  );

  it('every waiting state offers pause and end to both partners, and resumes where it stopped', () => {
    for (const flow of flows.values()) {
      const paths = getShortestPaths(flow.machine, {
        events: possibleEvents(flow.machine.id, { firstAnswerOnly: true }),
        serializeState: serializeShape,
        input: {},
      } as never) as unknown as { state: AnyMachineSnapshot; steps: { event: FlowEvent }[] }[];
      for (const path of paths) {
        if (path.state.status !== 'active' || path.state.matches('paused')) continue;
        const events = path.steps.map((s) => s.event);
        for (const by of ['a', 'b'] as const) {
          const paused = replay(flow, [...events, { type: 'PAUSE', by, at: 1 }]);
          expect(paused.matches('paused'), `${flow.id}: pause by ${by}`).toBe(true);
          const resumed = replay(flow, [
            ...events,
            { type: 'PAUSE', by, at: 1 },
            { type: 'RESUME', by: by === 'a' ? 'b' : 'a', at: 2 },
          ]);
          expect(resumed.value).toEqual(path.state.value);
          const ended = replay(flow, [...events, { type: 'END', by, at: 3 }]);
          expect(ended.matches('ended')).toBe(true);
          expect((ended.context as FlowContext).end?.by).toBe(by);
        }
      }
    }
  });
});
