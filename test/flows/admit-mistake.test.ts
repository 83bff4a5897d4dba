/**
 * "Admitting a mistake", driven step by step as two partners would: who answers each prompt, what
 * it shows them, and where each answer leads. The model test walks every path; these pin down the
 * behaviour that belongs to this flow.
 */

import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import flow, { LIMITS, RESPONSE_OPTIONS } from '../../flows/admit-mistake.js';
import { checkAnswer } from '../../src/engine/answer-schema.js';
import { type AnswerValue, answersTo, type FlowContext, type PartnerId } from '../../src/engine/flow-kit.js';
import { fillNames, type Prompt, resolvePrompt } from '../../src/engine/prompt.js';

const names: Record<PartnerId, string> = { a: 'Alex', b: 'Sam' };
const nameOf = (p: PartnerId) => names[p];

const CLEAN = 'I read your private messages without asking, twice, and then I hid that I had.';
const HEDGED = 'I’m sorry you feel upset, but I only looked because you were acting strange.';

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
  const text = () => fillNames(prompt().text, context().roles, nameOf);
  return { actor, snapshot, context, prompt, say, text };
}

type Session = ReturnType<typeof session>;

/** Roles chosen and both ready: the owner is `owner`. */
function begin(owner: PartnerId = 'a'): Session & { owner: PartnerId; hurt: PartnerId } {
  const s = session();
  s.say('a', 'roles', { choice: owner === 'a' ? 'me' : 'partner' });
  s.say('a', 'ready', { choice: 'ready' });
  s.say('b', 'ready', { choice: 'ready' });
  return { ...s, owner, hurt: owner === 'a' ? 'b' : 'a' };
}

/** Through the admission (no hedges), the guess and the impact, to the first reflection. */
function toMirror(owner: PartnerId = 'a') {
  const s = begin(owner);
  s.say(s.owner, 'admission', { text: CLEAN });
  s.say(s.owner, 'impactGuess', { text: 'I think it made you feel spied on and foolish.' });
  s.say(s.hurt, 'impact', { text: 'I stopped feeling safe writing anything to anyone.' });
  return s;
}

/** Through the mirror (heard first time), the need and the promise, to the response. */
function toResponse(owner: PartnerId = 'a') {
  const s = toMirror(owner);
  s.say(s.owner, 'mirror.reflect', { text: 'You no longer feel safe writing to anyone.' });
  s.say(s.hurt, 'mirror.confirm', { choice: 'yes' });
  s.say(s.hurt, 'need', { text: 'Ask before you touch my phone, every time.' });
  s.say(s.owner, 'promise', { text: 'I will never open your phone or messages; if I feel worried, I will say so.' });
  return s;
}

describe('admit-mistake: roles', () => {
  it('the starter who chooses “I will” names what they did; the other is the one who was hurt', () => {
    const s = begin('a');
    expect(s.context().roles).toMatchObject({ owner: 'a', hurt: 'b' });
    expect(s.prompt().awaiting).toEqual(['a']);
    s.say('a', 'admission', { text: CLEAN });
    s.say('a', 'impactGuess', { text: 'I think it made you feel spied on.' });
    expect(s.prompt()).toMatchObject({ step: 'impact', awaiting: ['b'] });
  });

  it('“My partner will” gives the roles the other way round, and prompts use display names', () => {
    const s = session();
    s.say('a', 'roles', { choice: 'partner' });
    expect(s.context().roles).toMatchObject({ owner: 'b', hurt: 'a' });
    expect(s.text()).toContain('Sam will name something they did, and Alex will say how it affected them');
    s.say('a', 'ready', { choice: 'ready' });
    s.say('b', 'ready', { choice: 'ready' });
    expect(s.prompt()).toMatchObject({ step: 'admission', awaiting: ['b'] });
  });
});

describe('admit-mistake: readiness', () => {
  it('asks both, sealed: the first answer stays hidden until the second is in', () => {
    const s = session();
    s.say('a', 'roles', { choice: 'me' });
    expect(s.prompt()).toMatchObject({ step: 'ready', both: true, sealed: true, awaiting: ['a', 'b'] });
    s.say('b', 'ready', { choice: 'ready' });
    expect(s.prompt()).toMatchObject({ step: 'ready', awaiting: ['a'], answered: ['b'] });
    expect(answersTo(s.context(), 'ready')).toEqual([]);
    s.say('a', 'ready', { choice: 'ready' });
    expect(answersTo(s.context(), 'ready').map((a) => [a.by, a.value.choice])).toEqual([
      ['a', 'ready'],
      ['b', 'ready'],
    ]);
    expect(flow.steps.get('ready')?.sealed).toBe(true);
    expect(s.prompt().step).toBe('admission');
  });

  it('a “not now” from the first to answer ends the session kindly, in the declined state', () => {
    const s = session();
    s.say('a', 'roles', { choice: 'me' });
    s.say('b', 'ready', { choice: 'notNow' });
    expect(s.snapshot().status).toBe('done');
    expect(s.snapshot().value).toBe('declined');
    expect(answersTo(s.context(), 'ready').map((a) => [a.by, a.value.choice])).toEqual([['b', 'notNow']]);
  });

  it('a “not now” after the other said yes also declines, and leaves nothing pending', () => {
    const s = session();
    s.say('a', 'roles', { choice: 'me' });
    s.say('a', 'ready', { choice: 'ready' });
    s.say('b', 'ready', { choice: 'notNow' });
    expect(s.snapshot().value).toBe('declined');
    expect(s.context().pending).toEqual({});
    expect(answersTo(s.context(), 'ready').map((a) => [a.by, a.value.choice])).toEqual([
      ['a', 'ready'],
      ['b', 'notNow'],
    ]);
  });
});

describe('admit-mistake: apology coaching', () => {
  it('skips the private review when the admission is plain and owned', () => {
    const s = begin();
    s.say('a', 'admission', { text: CLEAN });
    expect(s.prompt().step).toBe('impactGuess');
  });

  it('shows hedges privately to the author only, quoting their words, and changes nothing', () => {
    const s = begin('b');
    s.say('b', 'admission', { text: HEDGED });
    const review = s.prompt();
    expect(review).toMatchObject({ step: 'review', private: true, awaiting: ['b'] });
    expect(review.input).toMatchObject({ kind: 'choice' });
    expect(review.input.kind === 'choice' && review.input.options.map((o) => o.label)).toEqual([
      'Keep my words as they are',
      'Rewrite it',
    ]);
    expect(review.quotes).toEqual([{ by: 'b', text: HEDGED, label: 'Your words' }]);
    for (const words of ['“sorry you feel”', '“but”', '“only”', '“because you”']) expect(review.text).toContain(words);
    expect(answersTo(s.context(), 'admission').map((a) => a.value.text)).toEqual([HEDGED]);
  });

  it('“Keep my words” moves on with the words exactly as written, and keeps the choice out of the record', () => {
    const s = begin();
    s.say('a', 'admission', { text: HEDGED });
    s.say('a', 'review', { choice: 'keep' });
    expect(s.prompt().step).toBe('impactGuess');
    expect(answersTo(s.context(), 'admission').map((a) => a.value.text)).toEqual([HEDGED]);
    expect(answersTo(s.context(), 'review')).toEqual([]);
  });

  it('“Rewrite it” drops the draft and asks again; a plain rewrite then goes straight on', () => {
    const s = begin();
    s.say('a', 'admission', { text: HEDGED });
    s.say('a', 'review', { choice: 'rewrite' });
    expect(s.prompt()).toMatchObject({ step: 'admission', awaiting: ['a'] });
    expect(answersTo(s.context(), 'admission')).toEqual([]);
    s.say('a', 'admission', { text: CLEAN });
    expect(s.prompt().step).toBe('impactGuess');
    expect(answersTo(s.context(), 'admission').map((a) => a.value.text)).toEqual([CLEAN]);
  });

  it(`offers at most ${LIMITS.rewrites} rewrites, then moves on with the words as given`, () => {
    const s = begin();
    for (let i = 0; i < LIMITS.rewrites; i++) {
      s.say('a', 'admission', { text: `${HEDGED} (${i})` });
      s.say('a', 'review', { choice: 'rewrite' });
    }
    s.say('a', 'admission', { text: HEDGED });
    expect(s.prompt().step).toBe('impactGuess');
    expect(answersTo(s.context(), 'admission').map((a) => a.value.text)).toEqual([HEDGED]);
  });

  it('counts each prompt as new, so a stale review button cannot answer the next admission', () => {
    const s = begin();
    s.say('a', 'admission', { text: HEDGED });
    const first = s.prompt().key;
    s.say('a', 'review', { choice: 'rewrite' });
    s.say('a', 'admission', { text: HEDGED });
    expect(s.prompt().step).toBe('review');
    expect(s.prompt().key).not.toBe(first);
  });
});

describe('admit-mistake: guess, impact and mirroring', () => {
  it('asks the hurt partner how it affected them, quoting the admission but not the guess', () => {
    const s = begin();
    s.say('a', 'admission', { text: CLEAN });
    s.say('a', 'impactGuess', { text: 'I think it made you feel spied on.' });
    expect(s.prompt().quotes).toEqual([{ by: 'a', text: CLEAN, label: 'What was named' }]);
  });

  it('a confirmed reflection moves on after one round', () => {
    const s = toMirror();
    expect(s.prompt().quotes.map((q) => q.text)).toEqual(['I stopped feeling safe writing anything to anyone.']);
    s.say('a', 'mirror.reflect', { text: 'You stopped feeling safe writing to anyone.' });
    expect(s.prompt()).toMatchObject({ step: 'mirror.confirm', awaiting: ['b'] });
    expect(s.prompt().quotes).toEqual([
      { by: 'a', text: 'You stopped feeling safe writing to anyone.', label: 'What they heard' },
    ]);
    s.say('b', 'mirror.confirm', { choice: 'yes' });
    expect(s.prompt()).toMatchObject({ step: 'need', awaiting: ['b'] });
  });

  it('“Something’s missing” loops back with the correction quoted, and the loop is bounded', () => {
    const s = toMirror('b');
    for (let round = 1; round <= LIMITS.reflections; round++) {
      s.say('b', 'mirror.reflect', { text: `Reflection number ${round} of what I heard.` });
      s.say('a', 'mirror.confirm', { choice: 'missing', note: `Missing part ${round}` });
      if (round < LIMITS.reflections) {
        expect(s.prompt().step).toBe('mirror.reflect');
        expect(s.prompt().quotes.map((q) => [q.label, q.text])).toEqual([
          ['How it affected them', 'I stopped feeling safe writing anything to anyone.'],
          ['What was missing', `Missing part ${round}`],
        ]);
      }
    }
    expect(s.prompt().step).toBe('need');
    expect(answersTo(s.context(), 'mirror.reflect')).toHaveLength(LIMITS.reflections);
    expect(answersTo(s.context(), 'mirror.confirm').map((a) => a.value.note)).toEqual([
      'Missing part 1',
      'Missing part 2',
      'Missing part 3',
    ]);
  });

  it('tells the hurt partner when a round is the last one', () => {
    const s = toMirror();
    for (let round = 1; round < LIMITS.reflections; round++) {
      s.say('a', 'mirror.reflect', { text: `Reflection number ${round} of what I heard.` });
      expect(s.text()).toBe('Did Alex get it?');
      s.say('b', 'mirror.confirm', { choice: 'missing' });
    }
    s.say('a', 'mirror.reflect', { text: 'Last reflection of what I heard.' });
    expect(s.text()).toContain('this time');
    expect(s.text()).toContain('note');
  });
});

describe('admit-mistake: need, promise and response', () => {
  it('the promise prompt shows what the hurt partner said would help', () => {
    const s = toMirror();
    s.say('a', 'mirror.reflect', { text: 'You no longer feel safe writing to anyone.' });
    s.say('b', 'mirror.confirm', { choice: 'yes' });
    s.say('b', 'need', { text: 'Ask before you touch my phone.' });
    expect(s.prompt()).toMatchObject({ step: 'promise', awaiting: ['a'] });
    expect(s.prompt().quotes).toEqual([{ by: 'b', text: 'Ask before you touch my phone.', label: 'What would help' }]);
  });

  it.each(['accept', 'time'])('“%s” completes the flow', (choice) => {
    const s = toResponse();
    expect(s.prompt().quotes.map((q) => q.label)).toEqual(['What was named', 'What was promised']);
    s.say('b', 'response', { choice });
    expect(s.snapshot().value).toBe('completed');
  });

  it('a question goes to the other partner and back to the response', () => {
    const s = toResponse('b');
    s.say('a', 'response', { choice: 'question' });
    s.say('a', 'question', { text: 'Did you read my messages to my sister?' });
    expect(s.prompt()).toMatchObject({ step: 'answer', awaiting: ['b'] });
    expect(s.prompt().quotes).toEqual([
      { by: 'a', text: 'Did you read my messages to my sister?', label: 'The question' },
    ]);
    s.say('b', 'answer', { text: 'Yes, I did, and I am sorry I did.' });
    expect(s.prompt()).toMatchObject({ step: 'response', awaiting: ['a'] });
    s.say('a', 'response', { choice: 'accept' });
    expect(s.snapshot().value).toBe('completed');
  });

  it(`allows ${LIMITS.questions} questions; asking for more closes gently and says so`, () => {
    const s = toResponse();
    for (let i = 1; i <= LIMITS.questions; i++) {
      expect(s.text()).not.toContain('further questions');
      s.say('b', 'response', { choice: 'question' });
      s.say('b', 'question', { text: `Question ${i}?` });
      s.say('a', 'answer', { text: `Answer ${i}.` });
    }
    expect(s.text()).toContain('further questions');
    s.say('b', 'response', { choice: 'question', note: 'I still wonder about the summer.' });
    expect(s.snapshot().value).toBe('completed');
    expect(answersTo(s.context(), 'question')).toHaveLength(LIMITS.questions);
    const open = flow.highlights(s.context(), nameOf).find((h) => h.title === 'Still open');
    expect(open?.lines).toEqual(['Sam has more questions — a good place to start next time.']);
  });
});

describe('admit-mistake: highlights', () => {
  it('lead with the admission as rewritten, what would help, the promise and the response', () => {
    const s = begin('b');
    s.say('b', 'admission', { text: HEDGED });
    s.say('b', 'review', { choice: 'rewrite' });
    s.say('b', 'admission', { text: CLEAN });
    s.say('b', 'impactGuess', { text: 'I think it made you feel spied on.' });
    s.say('a', 'impact', { text: 'I stopped writing to anyone.' });
    s.say('b', 'mirror.reflect', { text: 'You stopped writing to anyone.' });
    s.say('a', 'mirror.confirm', { choice: 'yes' });
    s.say('a', 'need', { text: 'Ask first.' });
    s.say('b', 'promise', { text: 'I will always ask before I touch your phone.' });
    s.say('a', 'response', { choice: 'accept', note: 'Thank you for saying it plainly.' });
    expect(flow.highlights(s.context(), nameOf)).toEqual([
      { title: 'What Sam named', lines: [CLEAN] },
      { title: 'What would help Alex', lines: ['Ask first.'] },
      { title: 'What Sam promised', lines: ['I will always ask before I touch your phone.'] },
      {
        title: 'Alex’s response',
        lines: [`${RESPONSE_OPTIONS[0]?.label}\nThank you for saying it plainly.`],
      },
    ]);
  });

  it('name what is still open: not fully heard, and time needed', () => {
    const s = toMirror();
    for (let round = 1; round <= LIMITS.reflections; round++) {
      s.say('a', 'mirror.reflect', { text: `Reflection number ${round} of what I heard.` });
      s.say('b', 'mirror.confirm', { choice: 'missing' });
    }
    s.say('b', 'need', { text: 'Time.' });
    s.say('a', 'promise', { text: 'I will give you time and answer anything you ask.' });
    s.say('b', 'response', { choice: 'time' });
    const open = flow.highlights(s.context(), nameOf).find((h) => h.title === 'Still open');
    expect(open?.lines).toEqual([
      'Sam felt part of what they said was not yet heard.',
      'Sam is taking time with this; there is no deadline.',
    ]);
  });

  it('show only what exists when the session ends early', () => {
    const s = begin();
    s.say('a', 'admission', { text: CLEAN });
    s.actor.send({ type: 'END', by: 'b', at: 5 });
    expect(s.snapshot().value).toBe('ended');
    expect(flow.highlights(s.context(), nameOf)).toEqual([{ title: 'What Alex named', lines: [CLEAN] }]);
  });
});

describe('admit-mistake: pause, and the prompts themselves', () => {
  it('a pause in the middle of mirroring resumes at the same step for the same partner', () => {
    const s = toMirror();
    s.say('a', 'mirror.reflect', { text: 'You no longer feel safe writing to anyone.' });
    s.actor.send({ type: 'PAUSE', by: 'b', at: 1 });
    expect(s.snapshot().value).toBe('paused');
    s.actor.send({ type: 'RESUME', by: 'a', at: 2 });
    expect(s.prompt()).toMatchObject({ step: 'mirror.confirm', awaiting: ['b'] });
  });

  it('every prompt fits Discord, asks one question, uses names rather than labels, and the counsellor is mentioned once', () => {
    // Visit every step once: a hedged admission (review), a correction and a question.
    const s = session();
    const seen: Prompt[] = [];
    const texts: string[] = [];
    const visit = (by: PartnerId, step: string, value: AnswerValue) => {
      seen.push(s.prompt());
      texts.push(s.text());
      s.say(by, step, value);
    };
    visit('a', 'roles', { choice: 'me' });
    visit('a', 'ready', { choice: 'ready' });
    s.say('b', 'ready', { choice: 'ready' });
    visit('a', 'admission', { text: HEDGED });
    visit('a', 'review', { choice: 'keep' });
    visit('a', 'impactGuess', { text: 'I think it made you feel spied on.' });
    visit('b', 'impact', { text: 'I stopped writing to anyone.' });
    visit('a', 'mirror.reflect', { text: 'You stopped writing to anyone.' });
    visit('b', 'mirror.confirm', { choice: 'missing' });
    visit('a', 'mirror.reflect', { text: 'You stopped writing to anyone, even friends.' });
    visit('b', 'mirror.confirm', { choice: 'yes' });
    visit('b', 'need', { text: 'Ask first.' });
    visit('a', 'promise', { text: 'I will always ask before I touch your phone.' });
    visit('b', 'response', { choice: 'question' });
    visit('b', 'question', { text: 'Why?' });
    visit('a', 'answer', { text: 'Because I was afraid, and that is mine to deal with.' });
    visit('b', 'response', { choice: 'accept' });
    expect(s.snapshot().value).toBe('completed');
    expect(new Set(seen.map((p) => p.step))).toEqual(new Set(flow.steps.keys()));

    for (const p of seen) {
      expect(p.title.length, p.step).toBeLessThanOrEqual(45);
      if (p.input.kind === 'text' || p.input.kind === 'list') expect(p.input.label.length).toBeLessThanOrEqual(45);
      if (p.input.kind === 'text') expect(p.input.max).toBeLessThanOrEqual(4000);
      if (p.input.kind === 'choice') {
        expect(p.input.options.length).toBeLessThanOrEqual(5);
        for (const o of p.input.options) expect(o.label.length).toBeLessThanOrEqual(80);
        if (p.input.note) expect(p.input.note.label.length).toBeLessThanOrEqual(45);
      }
      if (p.why) expect(p.why.split(/[.!?](\s|$)/).filter((x) => x?.trim()).length, p.step).toBe(1);
    }
    for (const [i, text] of texts.entries()) {
      expect(text.match(/\?/g)?.length ?? 0, seen[i]?.step).toBeLessThanOrEqual(1);
      expect(text).not.toMatch(/\{\w+\}/);
      expect(text).not.toMatch(/offender|victim|perpetrator|cheat/i);
    }
    expect(texts.filter((t) => /counsellor/.test(t))).toHaveLength(1);
  });

  it('every step asks a role the flow defines, or both', () => {
    for (const [id, spec] of flow.steps) {
      expect(['owner', 'hurt', 'a', 'both'], id).toContain(spec.to);
      if (spec.private) expect(spec.to, id).toBe('owner');
    }
  });
});
