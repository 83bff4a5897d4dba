import { describe, expect, it } from 'vitest';
import { type Actor, type AnyStateMachine, createActor } from 'xstate';
import flow, { itemRows } from '../../flows/tolerance-questions.js';
import type { AnswerValue, FlowContext, PartnerId } from '../../src/engine/flow-kit.js';
import { type Prompt, resolvePrompt } from '../../src/engine/prompt.js';

type FlowActor = Actor<AnyStateMachine>;

const names: Record<PartnerId, string> = { a: 'Ari', b: 'Bo' };
const nameOf = (p: PartnerId) => names[p];

const start = (): FlowActor => createActor(flow.machine, { input: {} }).start();
const ctx = (actor: FlowActor) => actor.getSnapshot().context as FlowContext;
const promptOf = (actor: FlowActor): Prompt | undefined => resolvePrompt(actor.getSnapshot(), flow.id);
const at = (actor: FlowActor) => promptOf(actor)?.step;

/** Answers the step the flow is waiting on, as the engine would: checks the step, passes its `about`. */
function answer(actor: FlowActor, by: PartnerId, step: string, value: AnswerValue): void {
  const prompt = promptOf(actor);
  expect(prompt?.step, `expected to be at ${step}`).toBe(step);
  expect(prompt?.awaiting, `${by} should be asked at ${step}`).toContain(by);
  actor.send(
    prompt?.about === undefined
      ? { type: 'ANSWER', by, step, value }
      : { type: 'ANSWER', by, step, value, about: prompt.about },
  );
}

/** Both ready, the starter picks who lists first, the lister names the items. */
function toItems(
  order: 'me' | 'partner',
  items: string[],
): { actor: FlowActor; lister: PartnerId; responder: PartnerId } {
  const actor = start();
  answer(actor, 'a', 'ready', { choice: 'ready' });
  answer(actor, 'b', 'ready', { choice: 'ready' });
  answer(actor, 'a', 'order', { choice: order });
  const lister: PartnerId = order === 'me' ? 'a' : 'b';
  const responder: PartnerId = lister === 'a' ? 'b' : 'a';
  answer(actor, lister, 'list', { items });
  return { actor, lister, responder };
}

describe('tolerance questions: getting started', () => {
  it('asks both partners whether now is a good time, and either can say not now', () => {
    const actor = start();
    expect(at(actor)).toBe('ready');
    expect(promptOf(actor)?.awaiting).toEqual(['a', 'b']);
    answer(actor, 'b', 'ready', { choice: 'notNow' });
    expect(actor.getSnapshot().value).toBe('declined');
    expect(ctx(actor).answers).toMatchObject([{ step: 'ready', by: 'b', value: { choice: 'notNow' } }]);
  });

  it('keeps the first "ready" until the second partner answers', () => {
    const actor = start();
    answer(actor, 'a', 'ready', { choice: 'ready' });
    expect(at(actor)).toBe('ready');
    expect(promptOf(actor)?.awaiting).toEqual(['b']);
    answer(actor, 'b', 'ready', { choice: 'ready' });
    expect(at(actor)).toBe('order');
    expect(promptOf(actor)?.awaiting).toEqual(['a']);
  });

  it.each([
    ['me', 'a', 'b'],
    ['partner', 'b', 'a'],
  ] as const)('the starter choosing "%s" makes %s the lister and %s the responder', (order, lister, responder) => {
    const actor = start();
    answer(actor, 'a', 'ready', { choice: 'ready' });
    answer(actor, 'b', 'ready', { choice: 'ready' });
    answer(actor, 'a', 'order', { choice: order });
    expect(ctx(actor).roles).toMatchObject({ lister, responder });
    expect(at(actor)).toBe('list');
    expect(promptOf(actor)?.awaiting).toEqual([lister]);
    answer(actor, lister, 'list', { items: ['late without a message'] });
    expect(at(actor)).toBe('change');
    expect(promptOf(actor)?.awaiting).toEqual([responder]);
  });

  it('asks for one to five items', () => {
    const spec = flow.steps.get('list');
    expect(spec?.input).toMatchObject({ kind: 'list', min: 1, max: 5 });
  });
});

describe('tolerance questions: the per-item loop', () => {
  it('visits exactly the listed items, in order, naming each in the prompt', () => {
    const items = ['Working late without a message', 'Moving abroad for a job', 'Leaving dishes for days'];
    const { actor, responder } = toItems('me', items);
    const seen: string[] = [];
    for (const [i, item] of items.entries()) {
      const prompt = promptOf(actor);
      expect(prompt?.step).toBe('change');
      expect(prompt?.about).toBe(item);
      expect(prompt?.text).toContain(`${i + 1} of ${items.length}`);
      expect(prompt?.quotes).toEqual([{ by: 'a', text: item, label: `Item ${i + 1} of ${items.length}` }]);
      seen.push(prompt?.about ?? '');
      answer(actor, responder, 'change', { choice: 'yes' });
    }
    expect(seen).toEqual(items);
    expect(
      ctx(actor)
        .answers.filter((a) => a.step === 'change')
        .map((a) => a.about),
    ).toEqual(items);
    // All items done: on to the swap question, not a fourth item.
    expect(at(actor)).toBe('swap');
    // Each prompt was counted once: ready, order, list, three items, swap.
    expect(ctx(actor).step).toBe(7);
  });

  it('counts each item as a new prompt (a new key), even though it is the same step', () => {
    const { actor, responder } = toItems('me', ['one', 'two']);
    const first = promptOf(actor)?.key;
    answer(actor, responder, 'change', { choice: 'yes' });
    const second = promptOf(actor)?.key;
    expect(at(actor)).toBe('change');
    expect(second).not.toBe(first);
  });

  it('asks question two only for items that will not fully change', () => {
    const { actor, lister, responder } = toItems('partner', ['yes-item', 'partly-item', 'no-item', 'yes-again']);
    answer(actor, responder, 'change', { choice: 'yes' });
    expect(at(actor)).toBe('change');
    expect(promptOf(actor)?.about).toBe('partly-item');

    answer(actor, responder, 'change', { choice: 'partly', note: 'I can text, the hours stay' });
    expect(at(actor)).toBe('tolerate');
    const tolerate = promptOf(actor);
    expect(tolerate?.awaiting).toEqual([lister]);
    expect(tolerate?.about).toBe('partly-item');
    expect(tolerate?.quotes.map((q) => q.text)).toEqual(['partly-item', 'Partly — I can text, the hours stay']);
    answer(actor, lister, 'tolerate', { choice: 'unsure' });

    expect(promptOf(actor)?.about).toBe('no-item');
    answer(actor, responder, 'change', { choice: 'no' });
    expect(at(actor)).toBe('tolerate');
    expect(promptOf(actor)?.about).toBe('no-item');
    answer(actor, lister, 'tolerate', { choice: 'no', note: 'not for years' });

    expect(promptOf(actor)?.about).toBe('yes-again');
    answer(actor, responder, 'change', { choice: 'yes' });
    expect(at(actor)).toBe('swap');

    const tolerated = ctx(actor).answers.filter((a) => a.step === 'tolerate');
    expect(tolerated.map((a) => [a.about, a.by])).toEqual([
      ['partly-item', lister],
      ['no-item', lister],
    ]);
  });

  it('goes from question two on the last item straight to the swap question', () => {
    const { actor, lister, responder } = toItems('me', ['only item']);
    answer(actor, responder, 'change', { choice: 'no' });
    answer(actor, lister, 'tolerate', { choice: 'yes' });
    expect(at(actor)).toBe('swap');
  });
});

describe('tolerance questions: swapping roles', () => {
  it('keeps the first swap answer sealed in pending until the second arrives', () => {
    const { actor, responder } = toItems('me', ['x']);
    answer(actor, responder, 'change', { choice: 'yes' });
    answer(actor, 'b', 'swap', { choice: 'swap' });
    expect(ctx(actor).pending).toEqual({ b: { choice: 'swap' } });
    expect(ctx(actor).answers.some((a) => a.step === 'swap')).toBe(false);
    expect(promptOf(actor)?.sealed).toBe(true);
    expect(promptOf(actor)?.awaiting).toEqual(['a']);
    answer(actor, 'a', 'swap', { choice: 'swap' });
    expect(ctx(actor).pending).toEqual({});
    expect(ctx(actor).answers.filter((a) => a.step === 'swap')).toMatchObject([
      { by: 'a', value: { choice: 'swap' } },
      { by: 'b', value: { choice: 'swap' } },
    ]);
  });

  it('swaps only when both want to', () => {
    const { actor, responder } = toItems('me', ['x']);
    answer(actor, responder, 'change', { choice: 'yes' });
    answer(actor, 'a', 'swap', { choice: 'swap' });
    answer(actor, 'b', 'swap', { choice: 'finish' });
    expect(actor.getSnapshot().value).toBe('completed');
  });

  it('swaps once: the other partner lists, the first answers, and then the flow ends', () => {
    const { actor } = toItems('me', ['a-item']);
    answer(actor, 'b', 'change', { choice: 'yes' });
    answer(actor, 'a', 'swap', { choice: 'swap' });
    answer(actor, 'b', 'swap', { choice: 'swap' });

    expect(ctx(actor).roles).toMatchObject({ lister: 'b', responder: 'a' });
    expect(at(actor)).toBe('list');
    expect(promptOf(actor)?.awaiting).toEqual(['b']);
    answer(actor, 'b', 'list', { items: ['b-first', 'b-second'] });

    // The index starts again at the first item of the new list.
    expect(promptOf(actor)).toMatchObject({ step: 'change', awaiting: ['a'], about: 'b-first' });
    expect(promptOf(actor)?.text).toContain('1 of 2');
    answer(actor, 'a', 'change', { choice: 'no' });
    expect(promptOf(actor)).toMatchObject({ step: 'tolerate', awaiting: ['b'], about: 'b-first' });
    answer(actor, 'b', 'tolerate', { choice: 'no' });
    expect(promptOf(actor)).toMatchObject({ step: 'change', awaiting: ['a'], about: 'b-second' });
    answer(actor, 'a', 'change', { choice: 'yes' });

    // No second offer to swap.
    expect(actor.getSnapshot().value).toBe('completed');
    expect(ctx(actor).answers.filter((a) => a.step === 'swap')).toHaveLength(2);
    expect(
      ctx(actor)
        .answers.filter((a) => a.step === 'change')
        .map((a) => a.about),
    ).toEqual(['a-item', 'b-first', 'b-second']);
  });

  it('survives a pause in the middle of the loop and comes back to the same item', () => {
    const { actor, responder } = toItems('me', ['one', 'two', 'three']);
    answer(actor, responder, 'change', { choice: 'yes' });
    actor.send({ type: 'PAUSE', by: 'a', at: 1 });
    expect(actor.getSnapshot().value).toBe('paused');
    actor.send({ type: 'RESUME', by: 'b', at: 2 });
    expect(promptOf(actor)).toMatchObject({ step: 'change', about: 'two' });
    actor.send({ type: 'END', by: 'b', at: 3 });
    expect(actor.getSnapshot().value).toBe('ended');
  });
});

describe('tolerance questions: the summary highlights', () => {
  function fullRun(): FlowActor {
    const { actor } = toItems('me', ['Late nights out', 'Moving abroad', 'Late nights out', 'Loud music']);
    answer(actor, 'b', 'change', { choice: 'yes', note: 'I will be home by eleven' });
    answer(actor, 'b', 'change', { choice: 'no', note: 'It is my dream' });
    answer(actor, 'a', 'tolerate', { choice: 'no', note: 'I need to stay near my family' });
    answer(actor, 'b', 'change', { choice: 'partly' });
    answer(actor, 'a', 'tolerate', { choice: 'unsure' });
    answer(actor, 'b', 'change', { choice: 'partly' });
    answer(actor, 'a', 'tolerate', { choice: 'yes' });
    answer(actor, 'a', 'swap', { choice: 'swap' });
    answer(actor, 'b', 'swap', { choice: 'swap' });
    answer(actor, 'b', 'list', { items: ['Checking my phone'] });
    answer(actor, 'a', 'change', { choice: 'no' });
    answer(actor, 'b', 'tolerate', { choice: 'no' });
    expect(actor.getSnapshot().value).toBe('completed');
    return actor;
  }

  it('tables every item with who raised it and both answers, keeping same-worded items apart', () => {
    const sections = flow.highlights(ctx(fullRun()), nameOf);
    const table = sections.find((s) => s.table)?.table;
    expect(table?.columns).toEqual(['Raised by', 'Item', 'Will it change?', 'Can they live with it?']);
    expect(table?.rows).toEqual([
      ['Ari', 'Late nights out', 'Yes', '—'],
      ['Ari', 'Moving abroad', 'No', 'No'],
      ['Ari', 'Late nights out', 'Partly', 'Not sure yet'],
      ['Ari', 'Loud music', 'Partly', 'Yes'],
      ['Bo', 'Checking my phone', 'No', 'No'],
    ]);
  });

  it('calls out, gently, exactly the items where "won\'t change" meets "can\'t live with it"', () => {
    const sections = flow.highlights(ctx(fullRun()), nameOf);
    const hard = sections.find((s) => s.title.includes('can’t live with it'));
    const lines = hard?.lines ?? [];
    expect(lines[0]).toMatch(/not a verdict/);
    const items = lines.slice(1);
    expect(items).toHaveLength(2);
    expect(items[0]).toContain('“Moving abroad”');
    expect(items[0]).toContain('Bo would not change it');
    expect(items[0]).toContain('It is my dream');
    expect(items[0]).toContain('I need to stay near my family');
    expect(items[1]).toContain('“Checking my phone”');
    expect(items[1]).toContain('Ari would not change it');
    expect(lines.join('\n')).not.toContain('Loud music');
    expect(lines.join('\n')).not.toContain('Late nights out');
  });

  it('lists what is still open and the changes offered', () => {
    const sections = flow.highlights(ctx(fullRun()), nameOf);
    expect(sections.find((s) => s.title === 'Still open')?.lines).toEqual([
      '“Late nights out” — Ari is not sure yet whether they could live with it.',
    ]);
    expect(sections.find((s) => s.title === 'Changes offered')?.lines).toEqual([
      'Bo is willing to change “Late nights out” (“I will be home by eleven”).',
      'Bo is willing to change part of “Late nights out”.',
      'Bo is willing to change part of “Loud music”.',
    ]);
  });

  it('says so kindly when no item meets both, and shows unanswered items as open', () => {
    const { actor } = toItems('me', ['one', 'two']);
    answer(actor, 'b', 'change', { choice: 'no' });
    answer(actor, 'a', 'tolerate', { choice: 'yes' });
    actor.send({ type: 'END', by: 'a', at: 5 });
    const sections = flow.highlights(ctx(actor), nameOf);
    expect(sections.find((s) => s.title.includes('can’t live with it'))?.lines).toEqual([
      'None of the items landed here this time.',
    ]);
    expect(sections.find((s) => s.table)?.table?.rows).toEqual([
      ['Ari', 'one', 'No', 'Yes'],
      ['Ari', 'two', 'Not answered', 'Not answered'],
    ]);
  });

  it('has nothing to highlight when the couple said not now', () => {
    const actor = start();
    answer(actor, 'a', 'ready', { choice: 'notNow' });
    expect(flow.highlights(ctx(actor), nameOf)).toEqual([]);
    expect(itemRows(ctx(actor))).toEqual([]);
  });

  it('mentions a counsellor once, in the closing step, and nowhere in the prompts', () => {
    expect(flow.nextStep).toMatch(/counsellor/);
    const wording = [...flow.steps.values()].map(
      (s) => `${s.title} ${typeof s.text === 'string' ? s.text : ''} ${s.why ?? ''}`,
    );
    expect(wording.join(' ')).not.toMatch(/counsellor/);
  });
});

describe('tolerance questions: prompt limits', () => {
  it('keeps titles, labels and options within what Discord can show', () => {
    expect([...flow.steps.keys()]).toEqual(['ready', 'order', 'list', 'change', 'tolerate', 'swap']);
    for (const spec of flow.steps.values()) {
      expect(spec.title.length).toBeLessThanOrEqual(45);
      const input = spec.input;
      if (input.kind === 'choice') {
        expect(input.options.length).toBeLessThanOrEqual(5);
        for (const o of input.options) expect(o.label.length).toBeLessThanOrEqual(80);
        if (input.note) expect(input.note.label.length).toBeLessThanOrEqual(45);
      } else {
        expect(input.label.length).toBeLessThanOrEqual(45);
      }
    }
  });
});
