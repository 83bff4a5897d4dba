/**
 * The answers of one complete run of a flow, for the benchmark: derived from the prompt meta
 * alone (what any surface sees), and found by a breadth-first search over the machine's pure
 * transitions, so the run is the shortest that reaches `completed`. Answers are realistic in
 * length rather than minimal, so the stored session has the size it has in use.
 */
import { type AnyMachineSnapshot, getInitialSnapshot, getNextSnapshot } from 'xstate';
import type { FlowDefinition } from '../src/engine/flow-kit.js';
import type { AnswerValue, FlowContext, FlowEvent, InputSpec } from '../src/engine/flow-types.js';
import { resolvePrompt } from '../src/engine/prompt.js';

export type AnswerEvent = Extract<FlowEvent, { type: 'ANSWER' }>;

const SENTENCE = 'I want to say this plainly and kindly, with room for what you felt and what I missed at the time. ';

/** A text of about `wanted` characters, within the step's limits. */
function textOf(tag: string, min: number, max: number, wanted: number): string {
  const target = Math.min(max, Math.max(min, wanted));
  let text = `${tag}: `;
  while (text.length < target) text += SENTENCE;
  return text.slice(0, target).trimEnd().padEnd(Math.max(min, 1), '.');
}

/** The answers a partner could give to a step: every choice, one text, one list. */
function answersFor(input: InputSpec, tag: string, textChars: number): AnswerValue[] {
  switch (input.kind) {
    case 'text': {
      const text = textOf(tag, input.min, input.max, textChars);
      const first = input.picker?.options[0]?.value;
      return [first ? { text, picks: [first] } : { text }];
    }
    case 'choice':
      return input.options.map((o) =>
        input.note && input.note.max > 0
          ? { choice: o.value, note: textOf(`${tag}/${o.value}`, input.note.min, input.note.max, textChars / 2) }
          : { choice: o.value },
      );
    case 'list': {
      const count = Math.min(input.max, Math.max(input.min, 3));
      const items = Array.from({ length: count }, (_, i) => textOf(`${tag}#${i}`, 1, input.itemMax, textChars / 3));
      return [{ items }];
    }
  }
}

/** What decides what can happen next: the state, roles, counters and who has answered. */
function shapeOf(snapshot: AnyMachineSnapshot): string {
  const c = snapshot.context as FlowContext;
  return JSON.stringify([snapshot.value, c.roles, c.counters, Object.keys(c.pending).sort(), c.end?.reason ?? null]);
}

/** The scripted answers of the shortest complete run of `flow`. */
export function completionScript(flow: FlowDefinition, textChars = 300): AnswerEvent[] {
  const machine = flow.machine;
  const start = getInitialSnapshot(machine, {}) as AnyMachineSnapshot;
  const queue: { snapshot: AnyMachineSnapshot; events: AnswerEvent[] }[] = [{ snapshot: start, events: [] }];
  const seen = new Set([shapeOf(start)]);
  for (let head = 0; head < queue.length; head++) {
    const { snapshot, events } = queue[head]!;
    if (snapshot.matches('completed')) return events;
    const prompt = resolvePrompt(snapshot, machine.id);
    if (!prompt) continue;
    for (const by of prompt.awaiting) {
      const context = snapshot.context as FlowContext;
      for (const value of answersFor(prompt.input, `${prompt.step}@${context.step}/${by}`, textChars)) {
        const event: AnswerEvent = { type: 'ANSWER', by, step: prompt.step, value };
        if (prompt.about !== undefined) event.about = prompt.about;
        const next = getNextSnapshot(machine, snapshot, event) as AnyMachineSnapshot;
        const shape = shapeOf(next);
        if (seen.has(shape)) continue;
        seen.add(shape);
        queue.push({ snapshot: next, events: [...events, event] });
      }
    }
  }
  throw new Error(`${flow.id}: no run of answers reaches 'completed'`);
}
