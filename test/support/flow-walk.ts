/**
 * Drives flows the way a model-based test needs: which events are possible from a snapshot
 * (derived from the prompt meta alone, like any surface), distinctive answers whose every
 * character can be looked for later, and a way to tell which answers a path expects to see
 * in the summary.
 */
import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import { getAdjacencyMap } from 'xstate/graph';
import type { AnswerValue, FlowContext, FlowEvent, InputSpec, PartnerId } from '../../src/engine/flow-types.js';
import { resolvePrompt } from '../../src/engine/prompt.js';

/** Choice values that withdraw an earlier answer (the author rewrites their words). */
export const REWRITE_CHOICES = new Set(['rewrite']);

export type TextSize = 'short' | 'max';

/**
 * A text no other answer contains, with markdown, mentions and non-ASCII in it, at a chosen
 * length. `seq` keeps answers in loops apart.
 */
export function distinctiveText(tag: string, min: number, max: number, size: TextSize): string {
  const head = `‹${tag}› *bold* _it_ <@123> @everyone é ✓ `;
  const target = size === 'max' ? max : Math.min(max, Math.max(min, head.length + 12));
  let text = head;
  let n = 0;
  while (text.length < target) text += `${tag}:${n++} `;
  text = text.slice(0, target);
  // Trimmed by validation: never end (or start) on a space, so the answer survives as typed.
  return text.replace(/\s+$/, 'x');
}

export function sampleAnswers(input: InputSpec, tag: string, size: TextSize): AnswerValue[] {
  switch (input.kind) {
    case 'text': {
      const text = distinctiveText(tag, input.min, input.max, size);
      const first = input.picker?.options[0]?.value;
      return [first ? { text, picks: [first] } : { text }];
    }
    case 'choice':
      return input.options.map((o) => {
        const takesNote = input.note && (input.note.onlyFor === undefined || input.note.onlyFor.includes(o.value));
        if (!input.note || !takesNote) return { choice: o.value };
        return { choice: o.value, note: distinctiveText(`${tag}/${o.value}`, input.note.min, input.note.max, size) };
      });
    case 'list': {
      const count = size === 'max' ? input.max : input.min;
      return [
        {
          items: Array.from({ length: count }, (_, i) =>
            distinctiveText(`${tag}#${i}`, 1, input.itemMax, size).replace(/\n/g, ' '),
          ),
        },
      ];
    }
  }
}

export interface WalkOptions {
  size?: TextSize;
  /** Offer PAUSE / RESUME / END as well as answers. */
  interruptions?: boolean;
  /** Offer only the first sample answer for each step (keeps graphs small for loops). */
  firstAnswerOnly?: boolean;
  /**
   * Offer, at every written step, skipping it as after a safety pause (`{ skipped: true }`). The
   * engine allows that only for the step a safety pause set aside, for everyone it awaits at once;
   * the machine must cope wherever, and for whomever, it comes.
   */
  skips?: boolean;
}

/** Every event a partner could send from this snapshot (for xstate/graph's `events`). */
export function possibleEvents(machineId: string, options: WalkOptions = {}) {
  return (snapshot: AnyMachineSnapshot): FlowEvent[] => {
    const events: FlowEvent[] = [];
    const context = snapshot.context as FlowContext;
    if (snapshot.status !== 'active') return events;
    if (snapshot.matches('paused')) {
      if (options.interruptions) {
        events.push({ type: 'RESUME', by: 'a', at: 2 }, { type: 'RESUME', by: 'b', at: 2 });
        events.push({ type: 'END', by: 'b', at: 3 });
      }
      return events;
    }
    const prompt = resolvePrompt(snapshot, machineId);
    if (!prompt) return events;
    for (const by of prompt.awaiting) {
      const tag = `${prompt.step}@${context.step}/${by}`;
      const answers = sampleAnswers(prompt.input, tag, options.size ?? 'short');
      for (const value of options.firstAnswerOnly ? answers.slice(0, 1) : answers) {
        const event: FlowEvent = { type: 'ANSWER', by, step: prompt.step, value };
        if (prompt.about !== undefined) event.about = prompt.about;
        events.push(event);
      }
      if (options.skips && prompt.input.kind !== 'choice') {
        const event: FlowEvent = { type: 'ANSWER', by, step: prompt.step, value: { skipped: true } };
        if (prompt.about !== undefined) event.about = prompt.about;
        events.push(event);
      }
    }
    if (options.interruptions) {
      events.push({ type: 'PAUSE', by: 'a', at: 1 });
      events.push({ type: 'END', by: 'b', at: 3 });
    }
    return events;
  };
}

/**
 * The part of a snapshot that decides what can happen next. Answer texts and the step counter
 * are left out, so loops revisit states and the graph stays finite.
 */
export function serializeShape(snapshot: AnyMachineSnapshot): string {
  const c = snapshot.context as FlowContext;
  return JSON.stringify([
    snapshot.value,
    c.roles,
    c.counters,
    // Who is in, and what they chose: a pending choice (or a skip) decides where the step goes once both are in.
    Object.entries(c.pending)
      .map(([by, value]) => [by, value?.skipped ? 'skipped' : (value?.choice ?? null)])
      .sort(),

    // Where a pause resumes to (deep history), so pauses from different steps stay apart.
    c.pause ? [c.pause.safety ?? false, c.pause.resumeVotes, resumeTarget(snapshot)] : null,
    c.end?.reason ?? null,
  ]);
}

function resumeTarget(snapshot: AnyMachineSnapshot): string[] {
  const history = (snapshot as unknown as { historyValue?: Record<string, { id: string }[]> }).historyValue ?? {};
  return Object.values(history).flatMap((nodes) => nodes.map((n) => n.id));
}

/** The texts a partner typed in an event, each of which must survive in full. */
export function textsOf(value: AnswerValue): string[] {
  return [value.text, value.note, ...(value.items ?? [])].filter((t): t is string => Boolean(t));
}

export interface GivenAnswer {
  by: PartnerId;
  step: string;
  texts: string[];
}

/**
 * The answers a path gave that the summary must hold: all of them, except drafts their author
 * chose to rewrite (a private step's "rewrite" withdraws that partner's previous answer).
 */
export function expectedAnswers(events: readonly FlowEvent[]): GivenAnswer[] {
  const given: GivenAnswer[] = [];
  for (const event of events) {
    if (event.type !== 'ANSWER') continue;
    if (event.value.choice !== undefined && REWRITE_CHOICES.has(event.value.choice)) {
      const index = given.findLastIndex((g) => g.by === event.by && g.texts.length > 0);
      if (index >= 0) given.splice(index, 1);
      continue;
    }
    given.push({ by: event.by, step: event.step, texts: textsOf(event.value) });
  }
  return given;
}

export interface WalkedPath {
  state: AnyMachineSnapshot;
  events: FlowEvent[];
}

/**
 * Every simple path (no state twice) from the start to a final state, or undefined when there
 * are more than `budget` of them — xstate/graph's getSimplePaths enumerates paths to every state
 * without a bound, which explodes on flows with loops over items.
 */
export function simplePathsToEnds(
  machine: AnyStateMachine,
  options: WalkOptions,
  budget: number,
): WalkedPath[] | undefined {
  const adjacency = getAdjacencyMap(machine, {
    events: possibleEvents(machine.id, options),
    serializeState: serializeShape,
    input: {},
    limit: 200_000,
  } as never) as Record<
    string,
    { state: AnyMachineSnapshot; transitions: Record<string, { event: FlowEvent; state: AnyMachineSnapshot }> }
  >;
  const start = Object.keys(adjacency)[0];
  if (start === undefined) return [];
  const paths: WalkedPath[] = [];
  const onPath = new Set<string>();
  const events: FlowEvent[] = [];
  let exceeded = false;
  const visit = (key: string): void => {
    if (exceeded) return;
    const node = adjacency[key];
    if (!node) return;
    if (node.state.status === 'done') {
      paths.push({ state: node.state, events: [...events] });
      if (paths.length > budget) exceeded = true;
      return;
    }
    onPath.add(key);
    for (const { event, state } of Object.values(node.transitions)) {
      const next = serializeShape(state);
      if (onPath.has(next)) continue;
      events.push(event);
      visit(next);
      events.pop();
    }
    onPath.delete(key);
  };
  visit(start);
  return exceeded ? undefined : paths;
}
