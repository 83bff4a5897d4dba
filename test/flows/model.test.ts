/**
 * Model-based tests: xstate/graph walks every flow's paths — answers, pauses, resumes and ends,
 * generated from the prompt meta alone. Along every path, after every event, what both partners
 * can read is exactly what was given so far, but for sealed answers still pending and drafts
 * under private review; at every final state the summary holds every answer in full, in the order
 * given, and leaks nothing sealed or in draft.
 */

import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AnyMachineSnapshot, createActor } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { SKIPPED_TEXT } from '../../src/engine/answers.js';
import type { FlowDefinition } from '../../src/engine/flow-kit.js';
import { type FlowRegistry, loadFlows } from '../../src/engine/flow-registry.js';
import type { FlowContext, FlowEvent } from '../../src/engine/flow-types.js';
import { resolvePrompt } from '../../src/engine/prompt.js';
import type { SessionStatus } from '../../src/engine/session-record.js';
import { summarize } from '../../src/engine/summary.js';
import { readableByBoth } from '../../src/engine/visibility.js';
import { possibleEvents, serializeShape, simplePathsToEnds, textsOf, type WalkOptions } from '../support/flow-walk.js';
import { flows as allFlows, flowNamed } from '../support/flows.js';
import { playWithOracle } from '../support/readable-oracle.js';

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

/** Replays a path's events on a fresh actor. */
function replay(flow: FlowDefinition, events: FlowEvent[]): AnyMachineSnapshot {
  const actor = createActor(flow.machine, { input: {} });
  actor.start();
  for (const event of events) actor.send(event);
  const snapshot = actor.getSnapshot();
  actor.stop();
  return snapshot;
}

const keyOf = (a: { step: string; seq: number; by: string }) => `${a.step}@${a.seq}/${a.by}`;

/**
 * Heard while it matters: after every event, exactly the answers the oracle says must be readable
 * are readable by both (none missing, none early); at the end, the summary holds every answer that
 * stands, in full, attributed, in the order given, and nothing still sealed or in draft.
 */
function checkPath(flow: FlowDefinition, events: FlowEvent[]): void {
  const run = playWithOracle(flow, events);
  for (const [i, step] of run.steps.entries()) {
    const context = step.snapshot.context as FlowContext;
    const readable = new Map(readableByBoth(flow, context).map((a) => [keyOf(a), a]));
    for (const must of step.mustBeReadable) {
      const found = readable.get(must.key);
      expect(found, `${flow.id}: after event ${i} (${step.event.type}), ${must.key} is not readable`).toBeDefined();
      expect(found?.value).toEqual(must.value);
    }
    for (const hidden of step.hidden) {
      expect(readable.has(hidden.key), `${flow.id}: after event ${i}, ${hidden.key} is readable too early`).toBe(false);
    }
    expect(readable.size, `${flow.id}: after event ${i}, something readable that was never given`).toBe(
      step.mustBeReadable.length,
    );
    // Whatever came before (a question skipped, a loop), the prompt quotes words, never nothing.
    const prompt = resolvePrompt(step.snapshot, flow.machine.id);
    for (const quote of prompt?.quotes ?? []) {
      expect(quote.text.trim(), `${flow.id}: after event ${i}, ${prompt?.step} quotes nothing`).not.toBe('');
    }
    if (prompt) expect(`${prompt.text} ${prompt.why ?? ''}`, `${flow.id}: after event ${i}`).not.toMatch(/undefined/);
  }

  const final = run.steps.at(-1)?.snapshot;
  if (!final) return;
  const context = final.context as FlowContext;
  const summary = summarize({ flow, context, status: statusOf(final), nameOf, at: 0 });
  const hiddenAtEnd = new Set(run.steps.at(-1)?.hidden.map((h) => h.key));
  const everything = JSON.stringify(summary);
  expect(everything, `${flow.id}: the summary reads "undefined"`).not.toContain('undefined');
  for (const section of summary.highlights) {
    for (const line of section.lines ?? []) {
      // Empty, an empty quote, or a label with nothing after it ("…, for Sam’s needs: ").
      expect(line, `${flow.id}: a highlight ends on nothing`).not.toMatch(/^\s*$|“\s*”|:\s+$/);
    }
  }
  for (const key of hiddenAtEnd) {
    const hidden = run.groups.flat().find((g) => g.key === key);
    for (const text of hidden ? textsOf(hidden.value) : []) {
      expect(everything, `${flow.id}: a sealed or draft answer leaked into the summary`).not.toContain(
        JSON.stringify(text).slice(1, -1),
      );
    }
  }
  const standing = run.groups
    .map((group) => group.filter((g) => !hiddenAtEnd.has(g.key)))
    .filter((group) => group.length > 0);
  expect(
    summary.steps.map((s) => s.step),
    `${flow.id}: the summary's answers are not in the order given`,
  ).toEqual(standing.map((group) => group[0]?.step));
  for (const [i, group] of standing.entries()) {
    const section = summary.steps[i];
    expect(section?.entries.map((e) => e.by)).toEqual(group.map((g) => names[g.by]));
    for (const [j, g] of group.entries()) {
      for (const text of textsOf(g.value)) expect(section?.entries[j]?.text).toContain(text);
      // A skipped question reads as skipped, never as an empty answer.
      if (g.value.skipped) expect(section?.entries[j]?.text).toBe(SKIPPED_TEXT);
    }
  }
  expect(new Set(summary.steps.map((s) => s.title)).size, `${flow.id}: two summary headings are the same`).toBe(
    summary.steps.length,
  );
  expect(summary.flowTitle).toBe(flow.title);
  expect(summary.partners).toEqual(['Alex', 'Sam']);
  expect(summary.outcome.length).toBeGreaterThan(0);
}

let flows: FlowRegistry;
beforeAll(async () => {
  flows = await loadFlows();
});

describe('every flow, walked by its model', () => {
  it('finds the five flows a couple chooses, and the check-in Mend starts itself', () => {
    expect([...flows.keys()].sort()).toEqual([
      'admit-mistake',
      'check-in',
      'gratitude',
      'ground-rules',
      'needs-discovery',
      'tolerance-questions',
    ]);
    expect([...flows.values()].filter((f) => !f.listed).map((f) => f.id)).toEqual(['check-in']);
  });

  it.each([...allFlows.keys()])(
    '%s: along every path each answer is readable as it is given, and the summary holds them all, in order',
    (id) => {
      const flow = flowNamed(id);
      // Answers at full length on the plain walk; pauses, resumes and ends on a second walk; written
      // steps skipped (as after a safety pause) on a third.
      const answersWalk = walk(flow, { size: 'max' });
      const interruptWalk = walk(flow, { size: 'short', interruptions: true, firstAnswerOnly: true });
      const skipWalk = walk(flow, { size: 'short', skips: true, firstAnswerOnly: true });
      let finals = 0;
      let skipped = 0;
      const reached = new Set<string>();
      for (const { paths } of [answersWalk, interruptWalk, skipWalk]) {
        for (const path of paths) {
          reached.add(statusOf(path.state));
          if (path.state.status !== 'done') continue;
          finals++;
          if (path.events.some((e) => e.type === 'ANSWER' && e.value.skipped)) skipped++;
          checkPath(flow, path.events);
        }
      }
      console.log(
        `[model] ${id}: ${answersWalk.paths.length} ${answersWalk.strategy} answer paths, ${interruptWalk.paths.length} ${interruptWalk.strategy} interruption paths, ${skipWalk.paths.length} ${skipWalk.strategy} skip paths, ${finals} ending in a final state`,
      );
      // Only a written answer can be skipped (after a safety pause); a flow of choices has none.
      const written = [...flow.steps.values()].some((s) => s.input.kind !== 'choice');
      if (written) expect(skipped, `${id}: no path skipped a written step`).toBeGreaterThan(0);
      expect(reached).toContain('completed');
      expect(reached).toContain('ended');
      expect(finals).toBeGreaterThan(0);
    },
    // A walk is pure CPU (ground rules' takes ~40 s alone); on a shared 2-core machine it can take
    // several times that, and a timeout there says nothing about the flow.
    300_000,
  );

  it('no flow calls itself “not a therapist” any more, nor names a therapist anywhere', async () => {
    for (const id of flows.keys()) {
      const source = await readFile(new URL(`../../flows/${id}.ts`, import.meta.url), 'utf8');
      expect(source, id).not.toMatch(/therap/i);
    }
  });

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
