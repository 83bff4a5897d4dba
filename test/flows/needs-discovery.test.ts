import { describe, expect, it } from 'vitest';
import { type Actor, type AnyStateMachine, createActor } from 'xstate';
import flow, { NEEDS } from '../../flows/needs-discovery.js';
import type { AnswerValue, FlowContext, PartnerId } from '../../src/engine/flow-kit.js';
import { type Prompt, resolvePrompt } from '../../src/engine/prompt.js';

type FlowActor = Actor<AnyStateMachine>;

const names: Record<PartnerId, string> = { a: 'Ari', b: 'Bo' };
const nameOf = (p: PartnerId) => names[p];

const start = (): FlowActor => createActor(flow.machine, { input: {} }).start();
const ctx = (actor: FlowActor) => actor.getSnapshot().context as FlowContext;
const promptOf = (actor: FlowActor): Prompt | undefined => resolvePrompt(actor.getSnapshot(), flow.id);
const at = (actor: FlowActor) => promptOf(actor)?.step;

function answer(actor: FlowActor, by: PartnerId, step: string, value: AnswerValue): void {
  const prompt = promptOf(actor);
  expect(prompt?.step, `expected to be at ${step}`).toBe(step);
  expect(prompt?.awaiting, `${by} should be asked at ${step}`).toContain(by);
  actor.send({ type: 'ANSWER', by, step, value });
}

const ORDER = ['guess', 'interests', 'likes', 'wants', 'expects', 'grow', 'compare', 'act'];

/** Both partners answer every step up to (not including) `stop`. */
function runUntil(stop: string, values: Partial<Record<string, Record<PartnerId, AnswerValue>>> = {}): FlowActor {
  const actor = start();
  for (const stepId of ORDER) {
    if (stepId === stop) break;
    const given = values[stepId];
    answer(actor, 'a', stepId, given?.a ?? { text: `a ${stepId}` });
    answer(actor, 'b', stepId, given?.b ?? { text: `b ${stepId}` });
  }
  return actor;
}

const fullValues: Record<string, Record<PartnerId, AnswerValue>> = {
  guess: {
    a: { text: 'Bo needs more quiet evenings', picks: ['calm', 'companionship'] },
    b: { text: 'Ari needs to hear the truth', picks: ['honesty'] },
  },
  wants: {
    a: { text: 'Tell me where you are when plans change', picks: ['openness', 'honesty'] },
    b: { text: 'Sit with me after work, phones away', picks: ['companionship', 'closeness'] },
  },
  act: {
    a: { text: 'Phones in the drawer from eight', picks: ['companionship'] },
    b: { text: 'A message whenever my plans change', picks: ['openness'] },
  },
};

function fullRun(): FlowActor {
  const actor = runUntil('none', fullValues);
  expect(actor.getSnapshot().value).toBe('completed');
  return actor;
}

describe('needs discovery: the steps', () => {
  it('starts with a guess and asks both partners every step, in order', () => {
    const actor = start();
    const visited: string[] = [];
    for (const stepId of ORDER) {
      const prompt = promptOf(actor);
      expect(prompt?.both).toBe(true);
      expect(prompt?.sealed).toBe(true);
      expect(prompt?.awaiting).toEqual(['a', 'b']);
      visited.push(prompt?.step ?? '');
      answer(actor, 'b', stepId, { text: 'b' });
      answer(actor, 'a', stepId, { text: 'a' });
    }
    expect(visited).toEqual(ORDER);
    expect(actor.getSnapshot().value).toBe('completed');
    expect(ctx(actor).answers).toHaveLength(ORDER.length * 2);
  });

  it('frames the guess with the premise that neither knows the other fully yet', () => {
    expect(promptOf(start())?.text).toMatch(/less well than we think/);
  });

  it('offers a needs picker on the guess, the wants and the choice of what to act on', () => {
    const withPicker = [...flow.steps.entries()]
      .filter(([, spec]) => spec.input.kind === 'text' && spec.input.picker)
      .map(([id]) => id);
    expect(withPicker).toEqual(['guess', 'wants', 'act']);
    const act = flow.steps.get('act')?.input;
    expect(act?.kind === 'text' && act.picker?.max).toBe(1);
  });

  it('keeps the needs list within Discord’s limits, with short unique ids', () => {
    expect(NEEDS.length).toBeLessThanOrEqual(25);
    expect(new Set(NEEDS.map((n) => n.value)).size).toBe(NEEDS.length);
    for (const need of NEEDS) {
      expect(need.value).toMatch(/^[a-z]{2,20}$/);
      expect(need.label.length).toBeLessThanOrEqual(80);
    }
    for (const category of ['Connection', 'Honesty', 'Play', 'Peace', 'Autonomy', 'Meaning', 'Well-being']) {
      expect(NEEDS.some((n) => n.label.startsWith(`${category}:`))).toBe(true);
    }
    for (const spec of flow.steps.values()) {
      expect(spec.title.length).toBeLessThanOrEqual(45);
      if (spec.input.kind === 'text') expect(spec.input.label.length).toBeLessThanOrEqual(45);
    }
  });
});

describe('needs discovery: sealed answers', () => {
  it.each(ORDER)(
    'keeps the first answer to "%s" in pending, out of the answers, until the second arrives',
    (stepId) => {
      const actor = runUntil(stepId);
      const before = ctx(actor).answers.length;
      answer(actor, 'b', stepId, { text: 'first in' });
      expect(ctx(actor).pending).toEqual({ b: { text: 'first in' } });
      expect(ctx(actor).answers).toHaveLength(before);
      expect(promptOf(actor)?.awaiting).toEqual(['a']);
      expect(promptOf(actor)?.answered).toEqual(['b']);

      answer(actor, 'a', stepId, { text: 'second in' });
      expect(ctx(actor).pending).toEqual({});
      expect(ctx(actor).answers.slice(before)).toMatchObject([
        { step: stepId, by: 'a', value: { text: 'second in' } },
        { step: stepId, by: 'b', value: { text: 'first in' } },
      ]);
    },
  );

  it('does not move on when the same partner answers twice', () => {
    const actor = start();
    answer(actor, 'a', 'guess', { text: 'one' });
    actor.send({ type: 'ANSWER', by: 'a', step: 'guess', value: { text: 'two' } });
    expect(at(actor)).toBe('guess');
    expect(ctx(actor).answers).toEqual([]);
  });
});

describe('needs discovery: guesses beside answers', () => {
  it('shows each guess beside the real answer at the compare step', () => {
    const actor = runUntil('compare', fullValues);
    const quotes = promptOf(actor)?.quotes ?? [];
    expect(quotes.map((q) => [q.by, q.label, q.text])).toEqual([
      ['b', 'Guessed what their partner needs', 'Honesty: the plain truth\nAri needs to hear the truth'],
      [
        'a',
        'What they need, in their own words',
        'Honesty: openness about plans and choices, Honesty: the plain truth\nTell me where you are when plans change',
      ],
      [
        'a',
        'Guessed what their partner needs',
        'Peace: calm and ease, Connection: time together\nBo needs more quiet evenings',
      ],
      [
        'b',
        'What they need, in their own words',
        'Connection: time together, Connection: closeness and affection\nSit with me after work, phones away',
      ],
    ]);
  });

  it('quotes what each asked for and counts on when choosing a need to act on', () => {
    const actor = runUntil('act', fullValues);
    const quotes = promptOf(actor)?.quotes ?? [];
    expect(quotes.map((q) => [q.by, q.label])).toEqual([
      ['a', 'What they’d like from their partner'],
      ['a', 'What they count on'],
      ['b', 'What they’d like from their partner'],
      ['b', 'What they count on'],
    ]);
    expect(quotes[1]?.text).toBe('a expects');
  });

  it('tables each guess beside the real answer in the summary, and notes needs named in both', () => {
    const sections = flow.highlights(ctx(fullRun()), nameOf);
    const table = sections.find((s) => s.table);
    expect(table?.title).toBe('Each guess beside the real answer');
    expect(table?.table).toEqual({
      columns: ['Needs of', 'Guessed by their partner', 'In their own words'],
      rows: [
        [
          'Ari',
          'Honesty: the plain truth\nAri needs to hear the truth',
          'Honesty: openness about plans and choices, Honesty: the plain truth\nTell me where you are when plans change',
        ],
        [
          'Bo',
          'Peace: calm and ease, Connection: time together\nBo needs more quiet evenings',
          'Connection: time together, Connection: closeness and affection\nSit with me after work, phones away',
        ],
      ],
    });
    expect(table?.lines).toEqual([
      'Named both in the guess and by Ari: Honesty: the plain truth.',
      'Named both in the guess and by Bo: Connection: time together.',
    ]);
  });

  it('marks a missing answer in the table rather than leaving a gap', () => {
    const actor = runUntil('wants', fullValues);
    answer(actor, 'a', 'wants', { text: 'more time' });
    actor.send({ type: 'END', by: 'a', at: 1 });
    const rows = flow.highlights(ctx(actor), nameOf).find((s) => s.table)?.table?.rows;
    // Ari's answer to "wants" was sealed and never revealed (Bo had not answered): no answer shown.
    expect(rows?.map((row) => row[2])).toEqual(['No answer', 'No answer']);
  });
});

describe('needs discovery: the one need each chose', () => {
  it('highlights the need each partner chose to act on, by its label, with what they will do', () => {
    const sections = flow.highlights(ctx(fullRun()), nameOf);
    expect(sections.find((s) => s.title === 'The one need each chose to act on')?.lines).toEqual([
      'Ari chose Bo’s need “Connection: time together”: Phones in the drawer from eight',
      'Bo chose Ari’s need “Honesty: openness about plans and choices”: A message whenever my plans change',
    ]);
  });

  it('keeps a choice without a picked need, in the partner’s own words', () => {
    const actor = runUntil('none', { ...fullValues, act: { a: { text: 'Not sure yet' }, b: fullValues.act!.b } });
    const lines = flow.highlights(ctx(actor), nameOf).find((s) => s.title.startsWith('The one need'))?.lines;
    expect(lines?.[0]).toBe('Ari, for Bo’s needs: Not sure yet');
  });

  it('has no chosen needs to highlight when the session ended before that step', () => {
    const actor = runUntil('act', fullValues);
    answer(actor, 'a', 'act', { text: 'sealed, never revealed' });
    actor.send({ type: 'END', by: 'b', at: 1 });
    const sections = flow.highlights(ctx(actor), nameOf);
    expect(sections.map((s) => s.title)).toEqual(['Each guess beside the real answer']);
    expect(JSON.stringify(sections)).not.toContain('sealed, never revealed');
  });
});
