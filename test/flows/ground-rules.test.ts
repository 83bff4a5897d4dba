/**
 * "Ground rules for a hard talk", driven step by step as two partners would. The model test walks
 * every path; these pin down what belongs to this flow: each rule agreed by each partner, rules of
 * their own (bounded), the topic, the talk, and at least three agreed points each.
 */

import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import flow, { alike, BASE_RULES, extraRules, LIMITS, pointsInCommon } from '../../flows/ground-rules.js';
import { checkAnswer } from '../../src/engine/answer-schema.js';
import { type AnswerValue, answersTo, type FlowContext, type PartnerId } from '../../src/engine/flow-kit.js';
import { fillNames, type Prompt, resolvePrompt } from '../../src/engine/prompt.js';

const names: Record<PartnerId, string> = { a: 'Alex', b: 'Sam' };
const nameOf = (p: PartnerId) => names[p];

function session() {
  const actor = createActor(flow.machine, { input: {} }).start();
  const snapshot = () => actor.getSnapshot();
  const context = () => snapshot().context as FlowContext;
  const prompt = (): Prompt => {
    const p = resolvePrompt(snapshot(), flow.id);
    if (!p) throw new Error(`no prompt; the flow is at ${JSON.stringify(snapshot().value)}`);
    return p;
  };
  /** `by` answers step `step`: it must be that step, their turn, and a valid answer. */
  const say = (by: PartnerId, step: string, value: AnswerValue) => {
    const p = prompt();
    expect(p.step, `expected to be at ${step}`).toBe(step);
    expect(p.awaiting, `${by} should be asked at ${step}`).toContain(by);
    const check = checkAnswer(p.input, value);
    if (!check.ok) throw new Error(`invalid answer at ${step}: ${check.message}`);
    actor.send({ type: 'ANSWER', by, step, value: check.value, ...(p.about !== undefined ? { about: p.about } : {}) });
  };
  /** Both answer the current 'both' step, a first. */
  const both = (step: string, a: AnswerValue, b: AnswerValue = a) => {
    say('a', step, a);
    say('b', step, b);
  };
  const text = () => fillNames(prompt().text, context().roles, nameOf);
  return { actor, snapshot, context, prompt, say, both, text };
}

type Session = ReturnType<typeof session>;

const ruleSteps = BASE_RULES.map((r) => `rules.${r.id}`);
const none: AnswerValue = { choice: 'none' };
const add = (rule: string): AnswerValue => ({ choice: 'add', note: rule });

function toRules(): Session {
  const s = session();
  s.both('ready', { choice: 'ready' });
  return s;
}

/** Both keep every base rule. */
function toExtras(): Session {
  const s = toRules();
  for (const step of ruleSteps) s.both(step, { choice: 'agree' });
  return s;
}

/** No extra rules, topics named: the talk. */
function toTalk(): Session {
  const s = toExtras();
  s.both('extras.propose', none);
  s.both('topic', { text: 'How we split the money' }, { text: 'Money, and the secret account' });
  return s;
}

function toAgreed(): Session {
  const s = toTalk();
  s.both('talk', { choice: 'finished' });
  return s;
}

describe('ground-rules: readiness', () => {
  it('asks both, sealed, and begins with the first rule when both are ready', () => {
    const s = session();
    expect(s.prompt()).toMatchObject({ step: 'ready', both: true, sealed: true, awaiting: ['a', 'b'] });
    s.say('a', 'ready', { choice: 'ready' });
    expect(answersTo(s.context(), 'ready')).toEqual([]);
    s.say('b', 'ready', { choice: 'ready' });
    expect(s.prompt().step).toBe('rules.noShouting');
  });

  it.each<[string, PartnerId[]]>([
    ['first to answer', ['b']],
    ['second to answer', ['a', 'b']],
  ])('a “not now” from the %s ends in the declined state', (_, order) => {
    const s = session();
    for (const by of order) s.say(by, 'ready', { choice: by === 'b' ? 'notNow' : 'ready' });
    expect(s.snapshot().status).toBe('done');
    expect(s.snapshot().value).toBe('declined');
    expect(s.context().pending).toEqual({});
  });
});

describe('ground-rules: the base rules', () => {
  it('asks each partner about each of the four rules, in order, sealed, with the rule as what it is about', () => {
    const s = toRules();
    for (const [i, rule] of BASE_RULES.entries()) {
      const p = s.prompt();
      expect(p).toMatchObject({ step: `rules.${rule.id}`, both: true, sealed: true, awaiting: ['a', 'b'] });
      expect(p.about).toBe(rule.text);
      expect(p.text).toContain(rule.text);
      expect(p.title).toBe(`Rule ${i + 1} of 4`);
      s.say('b', p.step, { choice: 'agree' });
      expect(answersTo(s.context(), p.step)).toEqual([]);
      s.say('a', p.step, { choice: 'agree' });
      expect(answersTo(s.context(), p.step).map((a) => [a.by, a.value.choice, a.about])).toEqual([
        ['a', 'agree', rule.text],
        ['b', 'agree', rule.text],
      ]);
      expect(p.sealed).toBe(true);
    }
    expect(s.prompt().step).toBe('extras.propose');
  });

  it('covers shouting, interrupting, mocking looks or gestures, and walking away', () => {
    expect(BASE_RULES.map((r) => r.short)).toEqual([
      'no shouting',
      'no interrupting',
      'no mocking looks or gestures',
      'no walking away',
    ]);
  });

  it('a rule one partner cannot promise is not counted as agreed, and the summary says for whom', () => {
    const s = toRules();
    for (const step of ruleSteps) {
      s.both(
        step,
        { choice: 'agree' },
        step === 'rules.noWalkingAway'
          ? { choice: 'cannot', note: 'I need to be able to leave the room.' }
          : { choice: 'agree' },
      );
    }
    s.both('extras.propose', none);
    s.both('topic', { text: 'Money' });
    expect(s.text()).toContain('Your rules: no shouting; no interrupting; no mocking looks or gestures.');
    expect(s.text()).not.toContain('no walking away');
    const h = flow.highlights(s.context(), nameOf);
    expect(h.find((x) => x.title === 'Rules you both agreed to')?.lines).toEqual(
      BASE_RULES.slice(0, 3).map((r) => r.text),
    );
    expect(h.find((x) => x.title === 'Rules not agreed this time')?.lines).toEqual([
      `${BASE_RULES[3]?.text} (not yet for Sam)`,
    ]);
  });
});

describe('ground-rules: rules of their own', () => {
  it('nobody adds a rule: straight on to the topic', () => {
    const s = toExtras();
    s.both('extras.propose', none);
    expect(s.prompt()).toMatchObject({ step: 'topic', both: true, sealed: true });
  });

  it('choosing “add” with an empty note adds nothing', () => {
    const s = toExtras();
    s.both('extras.propose', { choice: 'add', note: '   ' }, none);
    expect(s.prompt().step).toBe('topic');
    expect(extraRules(s.context())).toEqual([]);
  });

  it('suggestions are sealed until both are in, then each goes to the other partner', () => {
    const s = toExtras();
    s.say('a', 'extras.propose', add('No phones on the table'));
    expect(s.prompt()).toMatchObject({ step: 'extras.propose', sealed: true, awaiting: ['b'] });
    expect(answersTo(s.context(), 'extras.propose')).toEqual([]);
    s.say('b', 'extras.propose', add('We sit side by side'));

    expect(s.prompt()).toMatchObject({ step: 'extras.replyToA', awaiting: ['b'], about: 'No phones on the table' });
    expect(s.prompt().quotes).toEqual([{ by: 'a', text: 'No phones on the table', label: 'Suggested rule' }]);
    expect(s.text()).toBe('Alex suggests this rule for your conversation. Will you keep it?');
    s.say('b', 'extras.replyToA', { choice: 'accept' });

    expect(s.prompt()).toMatchObject({ step: 'extras.replyToB', awaiting: ['a'], about: 'We sit side by side' });
    expect(s.text()).toBe('Sam suggests this rule for your conversation. Will you keep it?');
    s.say('a', 'extras.replyToB', { choice: 'decline', note: 'Across the table is fine for me.' });

    expect(s.prompt().step).toBe('extras.propose');
    expect(s.text()).toBe('Is there one more rule you would like to add?');
    s.both('extras.propose', none);
    expect(s.prompt().step).toBe('topic');
    expect(extraRules(s.context())).toEqual([
      { by: 'a', rule: 'No phones on the table', reply: 'accept' },
      { by: 'b', rule: 'We sit side by side', reply: 'decline', note: 'Across the table is fine for me.' },
    ]);
  });

  it('only the partner who suggested nothing is asked to reply', () => {
    const s = toExtras();
    s.both('extras.propose', none, add('We use “I” sentences'));
    expect(s.prompt()).toMatchObject({ step: 'extras.replyToB', awaiting: ['a'] });
  });

  it(`suggestions are bounded: after ${LIMITS.extraRounds} rounds the flow moves on`, () => {
    const s = toExtras();
    for (let round = 1; round <= LIMITS.extraRounds; round++) {
      s.both('extras.propose', add(`A rule ${round}`), add(`B rule ${round}`));
      s.say('b', 'extras.replyToA', { choice: 'accept' });
      s.say('a', 'extras.replyToB', { choice: round === 1 ? 'accept' : 'decline' });
    }
    expect(s.prompt().step).toBe('topic');
    expect(answersTo(s.context(), 'extras.propose')).toHaveLength(2 * LIMITS.extraRounds);
    expect(extraRules(s.context()).map((r) => [r.rule, r.reply])).toEqual([
      ['A rule 1', 'accept'],
      ['B rule 1', 'accept'],
      ['A rule 2', 'accept'],
      ['B rule 2', 'decline'],
    ]);

    s.both('topic', { text: 'Money' });
    expect(
      s
        .prompt()
        .quotes.filter((q) => q.label === 'Added rule')
        .map((q) => [q.by, q.text]),
    ).toEqual([
      ['a', 'A rule 1'],
      ['b', 'B rule 1'],
      ['a', 'A rule 2'],
    ]);
    expect(s.text()).toContain('and the rules you added (below)');
    s.both('talk', { choice: 'finished' });
    s.both('agreed', { items: ['one', 'two', 'three'] });
    const h = flow.highlights(s.context(), nameOf);
    expect(h.find((x) => x.title === 'Rules you both agreed to')?.lines).toEqual([
      ...BASE_RULES.map((r) => r.text),
      'A rule 1 (suggested by Alex)',
      'B rule 1 (suggested by Sam)',
      'A rule 2 (suggested by Alex)',
    ]);
    expect(h.find((x) => x.title === 'Rules not agreed this time')?.lines).toEqual([
      'B rule 2 (suggested by Sam; not this time for Alex)',
    ]);
  });
});

describe('ground-rules: topic and talk', () => {
  it('topics are sealed, then both shown while the bot waits for both to wrap up', () => {
    const s = toExtras();
    s.both('extras.propose', none);
    s.say('b', 'topic', { text: 'The secret account' });
    expect(answersTo(s.context(), 'topic')).toEqual([]);
    s.say('a', 'topic', { text: 'How we split the money' });

    const talk = s.prompt();
    expect(talk).toMatchObject({ step: 'talk', both: true, sealed: false, awaiting: ['a', 'b'] });
    expect(talk.quotes).toEqual([
      { by: 'a', text: 'How we split the money', label: 'Topic' },
      { by: 'b', text: 'The secret account', label: 'Topic' },
    ]);
    expect(s.text()).toContain(
      'Your rules: no shouting; no interrupting; no mocking looks or gestures; no walking away.',
    );
    expect(s.text()).toContain('Pause');
    s.say('a', 'talk', { choice: 'finished' });
    expect(s.prompt()).toMatchObject({ step: 'talk', awaiting: ['b'] });
    s.say('b', 'talk', { choice: 'finished' });
    expect(s.prompt().step).toBe('agreed');
  });

  it('a pause during the talk resumes at the talk', () => {
    const s = toTalk();
    s.actor.send({ type: 'PAUSE', by: 'a', at: 1, until: 1_000_000 });
    expect(s.snapshot().value).toBe('paused');
    s.actor.send({ type: 'RESUME', by: 'b', at: 2 });
    expect(s.prompt().step).toBe('talk');
  });
});

describe('ground-rules: agreed points', () => {
  it('asks each partner, sealed, for at least three points', () => {
    const s = toAgreed();
    const p = s.prompt();
    expect(p).toMatchObject({ step: 'agreed', both: true, sealed: true });
    expect(p.input).toMatchObject({ kind: 'list', min: 3 });
    expect(checkAnswer(p.input, { items: ['We both want this to work', 'Money is shared'] })).toMatchObject({
      ok: false,
    });
    expect(checkAnswer(p.input, { items: ['one', '', 'two', ' '] })).toMatchObject({ ok: false });
    expect(checkAnswer(p.input, { items: ['one', 'two', 'three'] })).toMatchObject({ ok: true });
  });

  it('completes with each partner’s points, the topic and the points both wrote alike at a glance', () => {
    const s = toAgreed();
    s.say('b', 'agreed', {
      items: ['We both want to stay together.', 'No more secret accounts', 'We talk every Sunday'],
    });
    expect(answersTo(s.context(), 'agreed')).toEqual([]);
    s.say('a', 'agreed', {
      items: ['no more secret accounts!', 'We check the budget monthly', 'We both want to stay together', 'Be kind'],
    });
    expect(s.snapshot().value).toBe('completed');
    expect(flow.highlights(s.context(), nameOf)).toEqual([
      { title: 'Rules you both agreed to', lines: BASE_RULES.map((r) => r.text) },
      {
        title: 'What you wanted to talk about',
        lines: ['Alex: How we split the money', 'Sam: Money, and the secret account'],
      },
      {
        title: 'Points Alex agrees on',
        lines: ['no more secret accounts!', 'We check the budget monthly', 'We both want to stay together', 'Be kind'],
      },
      {
        title: 'Points Sam agrees on',
        lines: ['We both want to stay together.', 'No more secret accounts', 'We talk every Sunday'],
      },
      {
        title: 'Points you both wrote alike',
        lines: [
          'no more secret accounts! / No more secret accounts',
          'We both want to stay together / We both want to stay together.',
        ],
      },
    ]);
  });

  it('leaves out the “alike” section when nothing matches', () => {
    const s = toAgreed();
    s.both('agreed', { items: ['one thing', 'two things', 'three things'] }, { items: ['apples', 'pears', 'plums'] });
    expect(flow.highlights(s.context(), nameOf).map((h) => h.title)).not.toContain('Points you both wrote alike');
  });
});

describe('ground-rules: what counts as alike', () => {
  it.each<[string, string, boolean]>([
    ['We talk every Sunday', 'we talk every sunday.', true],
    ['No more secret bank accounts', 'no secret bank accounts anymore', true],
    ['We both want this to work', 'We want to split the rent', false],
    ['Honesty', 'honesty!', true],
    ['Honesty', 'Kindness', false],
    ['', '', false],
  ])('%j ~ %j → %s', (one, two, expected) => {
    expect(alike(one, two)).toBe(expected);
  });

  it('pairs each point at most once', () => {
    expect(pointsInCommon(['Honesty', 'honesty'], ['HONESTY'])).toEqual([['Honesty', 'HONESTY']]);
  });
});

describe('ground-rules: the prompts themselves', () => {
  it('fit Discord, ask one question, and mention a counsellor exactly once', () => {
    const s = session();
    const seen: Prompt[] = [];
    const texts: string[] = [];
    const visit = (by: PartnerId, step: string, value: AnswerValue) => {
      if (s.prompt().awaiting.length === 2) {
        seen.push(s.prompt());
        texts.push(s.text());
      }
      s.say(by, step, value);
    };
    const both = (step: string, value: AnswerValue) => {
      visit('a', step, value);
      visit('b', step, value);
    };
    both('ready', { choice: 'ready' });
    for (const step of ruleSteps) both(step, { choice: 'agree' });
    visit('a', 'extras.propose', add('No phones'));
    visit('b', 'extras.propose', add('Hold hands'));
    seen.push(s.prompt());
    texts.push(s.text());
    s.say('b', 'extras.replyToA', { choice: 'accept' });
    seen.push(s.prompt());
    texts.push(s.text());
    s.say('a', 'extras.replyToB', { choice: 'accept' });
    both('extras.propose', none);
    both('topic', { text: 'Money' });
    both('talk', { choice: 'finished' });
    both('agreed', { items: ['one', 'two', 'three'] });
    expect(s.snapshot().value).toBe('completed');
    expect(new Set(seen.map((p) => p.step))).toEqual(new Set(flow.steps.keys()));

    for (const p of seen) {
      expect(p.title.length, p.step).toBeLessThanOrEqual(45);
      if (p.input.kind === 'text' || p.input.kind === 'list') expect(p.input.label.length).toBeLessThanOrEqual(45);
      if (p.input.kind === 'list') expect(p.input.max).toBeLessThanOrEqual(10);
      if (p.input.kind === 'choice') {
        expect(p.input.options.length).toBeLessThanOrEqual(5);
        for (const o of p.input.options) expect(o.label.length).toBeLessThanOrEqual(80);
        if (p.input.note) expect(p.input.note.label.length).toBeLessThanOrEqual(45);
      }
    }
    for (const [i, text] of texts.entries()) {
      expect(text.match(/\?/g)?.length ?? 0, seen[i]?.step).toBeLessThanOrEqual(1);
      expect(text).not.toMatch(/\{\w+\}/);
    }
    expect(texts.filter((t) => /counsellor/.test(t))).toHaveLength(1);
  });
});
