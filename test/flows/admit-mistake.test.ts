/**
 * "Admitting a mistake", driven step by step as two partners would: who is asked each prompt, what
 * it shows them, and where each answer leads. The model test walks every path; these pin down the
 * behaviour that belongs to this flow: roles agreed by both, the private review of the admission
 * and of the promise, mirroring before anything else is said, and a response that may be "not yet".
 */

import { describe, expect, it } from 'vitest';
import flow, { FEELINGS, LIMITS, RESPONSE_OPTIONS } from '../../flows/admit-mistake.js';
import { answersTo } from '../../src/engine/answers.js';
import { emptyContext, type PartnerId } from '../../src/engine/flow-types.js';
import { newlyReadable } from '../../src/engine/visibility.js';
import { type Couple, couple, expectFitsDiscord, longReasons, readinessWords, recorder } from './couple.js';

const CLEAN = 'I read your private messages without asking, twice, and then I hid that I had.';
const HEDGED = 'I’m sorry you feel upset, but I only looked because you were acting strange.';
const GUESS = 'I think it made you feel spied on and foolish.';
const IMPACT = 'I stopped feeling safe writing anything to anyone.';
const NEED = 'Ask before you touch my phone, every time.';
const PROMISE = 'I will ask before I touch your phone, every time, and I will tell you when I feel worried.';
const VAGUE = 'I will try to be better.';

type Roles = Couple & { owner: PartnerId; hurt: PartnerId };

/** a proposes who names what they did, b agrees, both are ready: the owner is `owner`. */
function begin(owner: PartnerId = 'a'): Roles {
  const s = couple(flow);
  s.say('a', 'roles.propose', { choice: owner === 'a' ? 'me' : 'partner' });
  s.say('b', 'roles.confirm', { choice: 'yes' });
  s.both('ready', { choice: 'ready' });
  return Object.assign(s, { owner, hurt: owner === 'a' ? ('b' as const) : ('a' as const) });
}

/** Through a plain admission, the guess and the impact, to the first reflection. */
function toMirror(owner: PartnerId = 'a'): Roles {
  const s = begin(owner);
  s.say(s.owner, 'admission', { text: CLEAN });
  s.say(s.owner, 'impactGuess', { text: GUESS });
  s.say(s.hurt, 'impact', { text: IMPACT, picks: ['hurt', 'lonely'] });
  return s;
}

/** Heard at the first reflection, validated: to what would help. */
function toNeed(owner: PartnerId = 'a'): Roles {
  const s = toMirror(owner);
  s.say(s.owner, 'mirror.reflect', { text: 'You no longer feel safe writing to anyone.' });
  s.say(s.hurt, 'mirror.check', { choice: 'yes' });
  s.say(s.owner, 'mirror.validate', { text: 'It makes sense that you stopped trusting any message.' });
  return s;
}

/** What would help, and a concrete promise: to the response. */
function toResponse(owner: PartnerId = 'a'): Roles {
  const s = toNeed(owner);
  s.say(s.hurt, 'need', { text: NEED });
  s.say(s.owner, 'promise', { text: PROMISE });
  return s;
}

/** One question asked and answered, back at the response. */
function ask(s: Roles, n: number) {
  s.say(s.hurt, 'response', { choice: 'question' });
  s.say(s.hurt, 'question', { text: `Question ${n}: when did it start?` });
  s.say(s.owner, 'answer', { text: `Answer ${n}: in the spring.` });
}

const labels = (s: Couple) => {
  const input = s.prompt().input;
  return input.kind === 'choice' ? input.options.map((o) => s.fill(o.label)) : [];
};

describe('admit-mistake: who names what they did is agreed by both', () => {
  it('a proposes, b agrees: the proposer who says “I will” names what they did', () => {
    const s = couple(flow);
    expect(s.prompt()).toMatchObject({ step: 'roles.propose', awaiting: ['a'], both: false });
    expect(s.text()).toContain('Who will name what they did?');
    expect(labels(s)).toEqual(['I will', 'I’d like Sam to']);
    s.say('a', 'roles.propose', { choice: 'me' });

    expect(s.prompt()).toMatchObject({ step: 'roles.confirm', awaiting: ['b'] });
    expect(s.text()).toBe(
      'Alex names something they did that hurt Sam, and Sam says how it landed. Is that right for you?',
    );
    expect(s.options()).toEqual(['yes', 'swap', 'notNow']);
    s.say('b', 'roles.confirm', { choice: 'yes' });

    expect(s.context().roles).toMatchObject({ owner: 'a', hurt: 'b' });
    expect(s.prompt()).toMatchObject({ step: 'ready', awaiting: ['a', 'b'] });
    s.both('ready', { choice: 'ready' });
    expect(s.prompt()).toMatchObject({ step: 'admission', awaiting: ['a'] });
  });

  it('a may propose that b names what they did, and b agrees to it', () => {
    const s = couple(flow);
    s.say('a', 'roles.propose', { choice: 'partner' });
    expect(s.text()).toBe(
      'Sam names something they did that hurt Alex, and Alex says how it landed. Is that right for you?',
    );
    s.say('b', 'roles.confirm', { choice: 'yes' });
    expect(s.context().roles).toMatchObject({ owner: 'b', hurt: 'a' });
    s.both('ready', { choice: 'ready' });
    expect(s.prompt()).toMatchObject({ step: 'admission', awaiting: ['b'] });
  });

  it('b may turn it round: the swap goes back to a, who agrees to it', () => {
    const s = couple(flow);
    s.say('a', 'roles.propose', { choice: 'me' });
    s.say('b', 'roles.confirm', { choice: 'swap' });
    expect(s.context().roles).toMatchObject({ owner: 'b', hurt: 'a' });
    expect(s.prompt()).toMatchObject({ step: 'roles.confirmSwap', awaiting: ['a'] });
    expect(s.text()).toBe(
      'Sam would rather turn it round. Sam names something they did that hurt Alex, and Alex says how it landed. Is that right for you?',
    );
    expect(s.options()).toEqual(['yes', 'notNow']);
    s.say('a', 'roles.confirmSwap', { choice: 'yes' });
    s.both('ready', { choice: 'ready' });
    expect(s.prompt()).toMatchObject({ step: 'admission', awaiting: ['b'] });
    expect(
      s
        .summary()
        .steps.slice(0, 3)
        .map((g) => [g.title, g.entries.map((e) => `${e.by}: ${e.text}`)]),
    ).toEqual([
      ['What Alex proposed', ['Alex: I will']],
      ['What Sam said to it', ['Sam: The other way round']],
      ['What Alex said to the swap', ['Alex: Yes, that’s right for me']],
    ]);
  });

  it('b may say not now: the session ends kindly, and the summary says who said it where', () => {
    const s = couple(flow);
    s.say('a', 'roles.propose', { choice: 'me' });
    s.say('b', 'roles.confirm', { choice: 'notNow' });
    expect(s.snapshot().value).toBe('declined');
    expect(s.context().end).toMatchObject({ by: 'b', reason: 'declined', step: 'roles.confirm' });
    const summary = s.summary();
    expect(summary.status).toBe('declined');
    expect(summary.outcome).toBe(
      'Sam said “not now” at “Does that work for you?”. That is a fine answer: trust can’t be hurried.',
    );
    expect(summary.nextStep).toContain('/talk');
    expect(summary.highlights).toEqual([]);
  });

  it('a may say not now to the swap: it ends kindly too, in a’s name', () => {
    const s = couple(flow);
    s.say('a', 'roles.propose', { choice: 'partner' });
    s.say('b', 'roles.confirm', { choice: 'swap' });
    s.say('a', 'roles.confirmSwap', { choice: 'notNow' });
    expect(s.snapshot().value).toBe('declined');
    expect(s.summary().outcome).toMatch(/^Alex said “not now” at “The other way round\?”\./);
  });

  // BUG (kit: summary.ts entryOf → answerText): an option label's `{b}` placeholder is filled in the
  // prompt but not in the summary, so the record reads "Alex: I’d like {b} to". Discord's buttons
  // (src/discord/answer-buttons.ts) show the raw label too.
  it('the summary records a proposal with names, not placeholders', () => {
    const s = couple(flow);
    s.say('a', 'roles.propose', { choice: 'partner' });
    s.say('b', 'roles.confirm', { choice: 'yes' });
    expect(s.summary().steps[0]?.entries[0]?.text).toBe('I’d like Sam to');
  });
});

describe('admit-mistake: readiness', () => {
  it('asks both, sealed: the first answer stays hidden until the second is in', () => {
    const s = couple(flow);
    s.say('a', 'roles.propose', { choice: 'me' });
    s.say('b', 'roles.confirm', { choice: 'yes' });
    expect(s.prompt()).toMatchObject({ step: 'ready', both: true, sealed: true, awaiting: ['a', 'b'] });
    s.say('b', 'ready', { choice: 'ready' });
    expect(s.prompt()).toMatchObject({ step: 'ready', awaiting: ['a'], answered: ['b'] });
    expect(answersTo(s.context(), 'ready')).toEqual([]);
    expect(s.readable().map(([, step]) => step)).not.toContain('ready');
    s.say('a', 'ready', { choice: 'ready' });
    expect(answersTo(s.context(), 'ready').map((a) => [a.by, a.value.choice])).toEqual([
      ['a', 'ready'],
      ['b', 'ready'],
    ]);
    expect(s.prompt().step).toBe('admission');
  });

  it.each<[string, PartnerId[]]>([
    ['first to answer', ['b']],
    ['second to answer', ['a', 'b']],
  ])('a “not now” from the %s ends the session kindly, leaving nothing pending', (_, order) => {
    const s = couple(flow);
    s.say('a', 'roles.propose', { choice: 'me' });
    s.say('b', 'roles.confirm', { choice: 'yes' });
    for (const by of order) s.say(by, 'ready', { choice: by === 'b' ? 'notNow' : 'ready' });
    expect(s.snapshot().value).toBe('declined');
    expect(s.context().pending).toEqual({});
    expect(s.summary().outcome).toMatch(/^Sam said “not now” at “Is now a good time\?”/);
  });

  it('does not mention a counsellor or a therapist', () => {
    for (const words of readinessWords(flow)) expect(words).not.toMatch(/counsel|therap/i);
  });
});

describe('admit-mistake: the admission, and its private review', () => {
  it('a plain, owned admission goes straight on, and both can read it at once', () => {
    const s = begin();
    s.say('a', 'admission', { text: CLEAN });
    expect(s.prompt()).toMatchObject({ step: 'impactGuess', awaiting: ['a'] });
    expect(answersTo(s.context(), 'admission')).toMatchObject([{ by: 'a', value: { text: CLEAN } }]);
    expect(answersTo(s.context(), 'admission')[0]?.draft).toBeUndefined();
    expect(s.readable()).toContainEqual(['a', 'admission', { text: CLEAN }]);
  });

  it('a hedged admission is kept as a draft: its author alone sees what the coach noticed', () => {
    const s = begin('b');
    s.say('b', 'admission', { text: HEDGED });
    const review = s.prompt();
    expect(review).toMatchObject({ step: 'review', private: true, awaiting: ['b'] });
    expect(labels(s)).toEqual(['Keep my words as they are', 'Rewrite them']);
    expect(s.quotes()).toEqual([['Your words', HEDGED]]);
    for (const words of ['“sorry you feel”', '“but”', '“only”', '“because you”']) expect(review.text).toContain(words);
    expect(review.text).toContain('It can be wrong.');
    expect(answersTo(s.context(), 'admission')).toMatchObject([{ by: 'b', value: { text: HEDGED }, draft: true }]);
    expect(s.readable().map(([, step]) => step)).not.toContain('admission');
  });

  it('“Keep” publishes the words exactly as written; the choice itself is not recorded', () => {
    const s = begin();
    s.say('a', 'admission', { text: HEDGED });
    s.say('a', 'review', { choice: 'keep' });
    expect(s.prompt()).toMatchObject({ step: 'impactGuess', awaiting: ['a'] });
    const [admission] = answersTo(s.context(), 'admission');
    expect(admission?.value).toEqual({ text: HEDGED });
    expect(admission?.draft).toBeUndefined();
    expect(answersTo(s.context(), 'review')).toEqual([]);
    expect(s.readable()).toContainEqual(['a', 'admission', { text: HEDGED }]);
  });

  it('kept, the admission becomes readable by both at that moment, not before', () => {
    const s = begin();
    s.say('a', 'admission', { text: HEDGED });
    const before = s.context();
    s.say('a', 'review', { choice: 'keep' });
    expect(newlyReadable(flow, before, s.context()).map((a) => [a.by, a.step, a.value.text])).toEqual([
      ['a', 'admission', HEDGED],
    ]);
  });

  it('“Rewrite” takes the draft back: nobody saw it, and the form starts from the author’s own words', () => {
    const s = begin();
    s.say('a', 'admission', { text: HEDGED });
    s.say('a', 'review', { choice: 'rewrite' });
    expect(s.prompt()).toMatchObject({ step: 'admission', awaiting: ['a'], prefill: { text: HEDGED } });
    expect(answersTo(s.context(), 'admission')).toEqual([]);
    expect(s.readable().map(([, step]) => step)).not.toContain('admission');
    s.say('a', 'admission', { text: CLEAN });
    expect(s.prompt().step).toBe('impactGuess');
    expect(s.prompt().prefill).toBeUndefined();
    expect(s.context().drafts).toEqual({});
    expect(answersTo(s.context(), 'admission').map((a) => a.value.text)).toEqual([CLEAN]);
  });

  it(`offers at most ${LIMITS.rewrites} rewrites, then moves on with the words as given`, () => {
    const s = begin();
    for (let i = 0; i < LIMITS.rewrites; i++) {
      s.say('a', 'admission', { text: `${HEDGED} (${i})` });
      expect(s.prompt().step).toBe('review');
      s.say('a', 'review', { choice: 'rewrite' });
      expect(s.prompt().prefill).toEqual({ text: `${HEDGED} (${i})` });
    }
    s.say('a', 'admission', { text: HEDGED });
    expect(s.prompt().step).toBe('impactGuess');
    expect(answersTo(s.context(), 'admission')).toEqual([expect.objectContaining({ value: { text: HEDGED } })]);
    expect(answersTo(s.context(), 'admission')[0]?.draft).toBeUndefined();
  });

  it('counts each prompt as new, so a stale review button cannot answer the next draft', () => {
    const s = begin();
    s.say('a', 'admission', { text: HEDGED });
    const first = s.prompt().key;
    s.say('a', 'review', { choice: 'rewrite' });
    s.say('a', 'admission', { text: HEDGED });
    expect(s.prompt().step).toBe('review');
    expect(s.prompt().key).not.toBe(first);
  });

  it('a draft never reaches the summary: ended during the review, the admission is simply not there', () => {
    const s = begin();
    s.say('a', 'admission', { text: HEDGED });
    s.send({ type: 'END', by: 'a', at: 5, step: 'review' });
    const summary = s.summary();
    expect(JSON.stringify(summary)).not.toContain('acting strange');
    expect(summary.highlights).toEqual([]);
    expect(summary.outcome).toBe('Alex ended the conversation at “A private note on your words”.');
  });
});

describe('admit-mistake: how it affected them, mirrored', () => {
  it('asks the hurt partner how it affected them, quoting the admission but not the guess', () => {
    const s = begin();
    s.say('a', 'admission', { text: CLEAN });
    expect(s.text()).toBe('Before Sam answers: how do you imagine this affected them?');
    s.say('a', 'impactGuess', { text: GUESS });
    expect(s.prompt()).toMatchObject({ step: 'impact', awaiting: ['b'] });
    expect(s.text()).toBe('Alex has named what they did. How did it affect you? Take all the room you need.');
    expect(s.quotes()).toEqual([['What Alex named', CLEAN]]);
    const input = s.prompt().input;
    expect(input.kind === 'text' && input.picker?.options).toEqual(FEELINGS);
  });

  it('the owner reflects first, without defending; the hurt partner’s words and feelings are quoted', () => {
    const s = toMirror();
    expect(s.prompt()).toMatchObject({ step: 'mirror.reflect', awaiting: ['a'] });
    expect(s.text()).toBe(
      'In your own words, what did you hear Sam say about how it affected them? Say it back without explaining or defending; that can come later.',
    );
    expect(s.quotes()).toEqual([['How it affected Sam', `Hurt, Lonely\n${IMPACT}`]]);
  });

  it('heard at once: check, then validate, then on to what would help', () => {
    const s = toMirror();
    s.say('a', 'mirror.reflect', { text: 'You stopped feeling safe writing to anyone.' });
    expect(s.prompt()).toMatchObject({ step: 'mirror.check', awaiting: ['b'] });
    expect(s.text()).toBe('Did Alex get it, or is there more?');
    expect(s.quotes()).toEqual([['What Alex heard', 'You stopped feeling safe writing to anyone.']]);
    expect(labels(s)).toEqual(['Yes, that’s it', 'There’s more']);
    s.say('b', 'mirror.check', { choice: 'yes' });

    expect(s.prompt()).toMatchObject({ step: 'mirror.validate', awaiting: ['a'] });
    expect(s.text()).toBe(
      'What makes sense to you about what Sam said? You can understand it without agreeing with all of it.',
    );
    expect(s.quotes()).toEqual([['How it affected Sam', `Hurt, Lonely\n${IMPACT}`]]);
    s.say('a', 'mirror.validate', { text: 'It makes sense you stopped trusting messages.' });
    expect(s.prompt()).toMatchObject({ step: 'need', awaiting: ['b'] });
    expect(s.highlights().map((h) => h.title)).not.toContain('Still open');
  });

  it('“There’s more” with a note: the next reflection says so and quotes what was added', () => {
    const s = toMirror();
    s.say('a', 'mirror.reflect', { text: 'You stopped feeling safe.' });
    s.say('b', 'mirror.check', { choice: 'more', note: 'And I felt alone with it.' });
    expect(s.prompt()).toMatchObject({ step: 'mirror.reflect', awaiting: ['a'] });
    expect(s.text()).toBe('Sam said there is more (below). Try once more: what did you hear?');
    expect(s.quotes()).toEqual([
      ['How it affected Sam', `Hurt, Lonely\n${IMPACT}`],
      ['What Sam added', 'And I felt alone with it.'],
    ]);
  });

  it('“There’s more” without a note: the reflection does not claim anything was said', () => {
    const s = toMirror();
    s.say('a', 'mirror.reflect', { text: 'You stopped feeling safe.' });
    s.say('b', 'mirror.check', { choice: 'more', note: '  \u200b ' });
    expect(answersTo(s.context(), 'mirror.check').at(-1)?.value).toEqual({ choice: 'more' });
    expect(s.text()).toBe('Sam feels there is more to it. Try once more: what did you hear?');
    expect(s.text()).not.toContain('below');
    expect(s.quotes()).toEqual([['How it affected Sam', `Hurt, Lonely\n${IMPACT}`]]);
  });

  it(`gives at most ${LIMITS.reflections} reflections, says when a round is the last, then validates`, () => {
    const s = toMirror('b');
    for (let round = 1; round <= LIMITS.reflections; round++) {
      s.say('b', 'mirror.reflect', { text: `Reflection ${round} of what I heard.` });
      const last = round === LIMITS.reflections;
      expect(s.text()).toBe(
        last
          ? 'Did Sam get it this time? If something is still missing, say so in the note; it will be kept.'
          : 'Did Sam get it, or is there more?',
      );
      s.say('a', 'mirror.check', { choice: 'more', note: `Missing part ${round}` });
    }
    expect(s.prompt()).toMatchObject({ step: 'mirror.validate', awaiting: ['b'] });
    expect(answersTo(s.context(), 'mirror.reflect')).toHaveLength(LIMITS.reflections);
    expect(answersTo(s.context(), 'mirror.check').map((a) => a.value.note)).toEqual([
      'Missing part 1',
      'Missing part 2',
      'Missing part 3',
    ]);
    s.say('b', 'mirror.validate', { text: 'That you felt unsafe makes sense to me.' });
    expect(s.prompt().step).toBe('need');
    expect(s.highlights().find((h) => h.title === 'Still open')?.lines).toEqual([
      'Alex felt part of what they said was not yet heard.',
    ]);
  });
});

describe('admit-mistake: the promise, and its private review', () => {
  it('the promise prompt shows what the hurt partner said would help', () => {
    const s = toNeed();
    expect(s.text()).toContain('What would help you begin to trust Alex again?');
    s.say('b', 'need', { text: NEED });
    expect(s.prompt()).toMatchObject({ step: 'promise', awaiting: ['a'] });
    expect(s.text()).toContain('what can Sam expect from you?');
    expect(s.quotes()).toEqual([['What would help Sam', NEED]]);
  });

  it('a concrete promise goes straight to the response', () => {
    const s = toResponse();
    expect(s.prompt()).toMatchObject({ step: 'response', awaiting: ['b'] });
    expect(answersTo(s.context(), 'promise')[0]?.draft).toBeUndefined();
  });

  it('a vague promise is a private draft: the coach quotes the wish and asks for an act', () => {
    const s = toNeed();
    s.say('b', 'need', { text: NEED });
    s.say('a', 'promise', { text: VAGUE });
    expect(s.prompt()).toMatchObject({ step: 'promiseReview', private: true, awaiting: ['a'] });
    expect(s.quotes()).toEqual([['Your promise', VAGUE]]);
    expect(s.text()).toContain('“try to”, “be better”');
    expect(s.text()).toContain('names a wish rather than something you will do');
    expect(answersTo(s.context(), 'promise')).toMatchObject([{ value: { text: VAGUE }, draft: true }]);
    expect(s.readable().map(([, step]) => step)).not.toContain('promise');
  });

  it('a promise with no commitment in it, or with blame in it, is reviewed too', () => {
    for (const [text, words] of [
      ['Things are going to be different between us now.', 'There isn’t yet a word on what you will do differently.'],
      ['I will stop checking your phone if you stop hiding it.', '“if you”'],
    ]) {
      const s = toNeed();
      s.say('b', 'need', { text: NEED });
      s.say('a', 'promise', { text });
      expect(s.prompt().step, text).toBe('promiseReview');
      expect(s.text()).toContain(words);
    }
  });

  it('“Keep” publishes the promise as written, and the response quotes it', () => {
    const s = toNeed();
    s.say('b', 'need', { text: NEED });
    s.say('a', 'promise', { text: VAGUE });
    s.say('a', 'promiseReview', { choice: 'keep' });
    expect(s.prompt()).toMatchObject({ step: 'response', awaiting: ['b'] });
    expect(answersTo(s.context(), 'promise')).toEqual([expect.objectContaining({ value: { text: VAGUE } })]);
    expect(answersTo(s.context(), 'promise')[0]?.draft).toBeUndefined();
    expect(answersTo(s.context(), 'promiseReview')).toEqual([]);
    expect(s.quotes()).toEqual([
      ['What Alex named', CLEAN],
      ['What Alex promised', VAGUE],
    ]);
  });

  it(`“Rewrite” starts from the author’s own promise, at most ${LIMITS.rewrites} times`, () => {
    const s = toNeed();
    s.say('b', 'need', { text: NEED });
    for (let i = 0; i < LIMITS.rewrites; i++) {
      s.say('a', 'promise', { text: `${VAGUE} (${i})` });
      s.say('a', 'promiseReview', { choice: 'rewrite' });
      expect(s.prompt()).toMatchObject({ step: 'promise', prefill: { text: `${VAGUE} (${i})` } });
      expect(answersTo(s.context(), 'promise')).toEqual([]);
    }
    s.say('a', 'promise', { text: VAGUE });
    expect(s.prompt().step).toBe('response');
    expect(answersTo(s.context(), 'promise').map((a) => [a.value.text, a.draft])).toEqual([[VAGUE, undefined]]);
  });

  it('the admission’s rewrites and the promise’s are counted apart', () => {
    const s = begin();
    for (let i = 0; i < LIMITS.rewrites; i++) {
      s.say('a', 'admission', { text: HEDGED });
      s.say('a', 'review', { choice: 'rewrite' });
    }
    s.say('a', 'admission', { text: HEDGED });
    s.say('a', 'impactGuess', { text: GUESS });
    s.say('b', 'impact', { text: IMPACT });
    s.say('a', 'mirror.reflect', { text: 'You stopped feeling safe.' });
    s.say('b', 'mirror.check', { choice: 'yes' });
    s.say('a', 'mirror.validate', { text: 'That makes sense.' });
    s.say('b', 'need', { text: NEED });
    s.say('a', 'promise', { text: VAGUE });
    expect(s.prompt().step).toBe('promiseReview');
  });
});

describe('admit-mistake: the response', () => {
  it('offers accept, time, not ready and a question; keeping questions is not offered yet', () => {
    const s = toResponse();
    expect(s.text()).toBe(
      'You’ve heard Alex name what they did and what will change. Where are you with it right now?',
    );
    expect(labels(s)).toEqual([
      'I accept what you’ve said',
      'I need time with this',
      'I’m not ready to accept this',
      'I’d like to ask something first',
    ]);
    expect(s.check({ choice: 'later', note: 'Later.' })).toMatchObject({ ok: false });
  });

  it.each<[string, string, RegExp]>([
    ['accept', 'Sam accepts what was said.', /^Give the promise time/],
    ['time', 'Sam needs time with this. There is no deadline.', /^There is no deadline/],
    [
      'notReady',
      'Sam is not ready to accept this yet. That is Sam’s to decide.',
      /^“Not ready” stands, and trust can’t be hurried\./,
    ],
  ])('“%s” completes the flow, and the summary says it truthfully', (choice, words, next) => {
    const s = toResponse();
    s.say('b', 'response', { choice, note: 'Thank you for saying it plainly.' });
    s.followUp();
    expect(s.snapshot().value).toBe('completed');
    expect(s.highlights()).toEqual([
      { title: 'What Alex named', lines: [CLEAN] },
      { title: 'What would help Sam', lines: [NEED] },
      { title: 'What Alex promised', lines: [PROMISE] },
      { title: 'Sam’s response', lines: [words, 'Thank you for saying it plainly.'] },
    ]);
    expect(s.summary().nextStep).toMatch(next);
    expect(s.summary().nextStep).not.toMatch(/\{\w+\}/);
  });

  it('only “not ready” points to a counsellor, once, in the closing step', () => {
    for (const choice of ['accept', 'time', 'notReady']) {
      const s = toResponse();
      s.say('b', 'response', { choice });
      s.followUp();
      expect(/counsellor/.test(s.summary().nextStep), choice).toBe(choice === 'notReady');
    }
  });

  it('a question goes to the owner, quoted, and comes back to the response', () => {
    const s = toResponse('b');
    s.say('a', 'response', { choice: 'question' });
    expect(s.prompt()).toMatchObject({ step: 'question', awaiting: ['a'] });
    expect(s.text()).toBe('What would you like to ask Sam?');
    s.say('a', 'question', { text: 'Did you read my messages to my sister?' });
    expect(s.prompt()).toMatchObject({ step: 'answer', awaiting: ['b'] });
    expect(s.quotes()).toEqual([['Alex’s question', 'Did you read my messages to my sister?']]);
    s.say('b', 'answer', { text: 'Yes, I did, and I am sorry I did.' });
    expect(s.prompt()).toMatchObject({ step: 'response', awaiting: ['a'] });
    s.say('a', 'response', { choice: 'accept' });
    s.followUp();
    expect(s.snapshot().value).toBe('completed');
  });

  it(`after ${LIMITS.questions} questions, “ask” becomes “keep my other questions for next time”`, () => {
    const s = toResponse();
    for (let i = 1; i <= LIMITS.questions; i++) ask(s, i);
    expect(s.text()).toBe(
      'You’ve asked 3 questions today, and any others can be kept for next time. Where are you with it right now?',
    );
    expect(s.options()).toEqual(['accept', 'time', 'notReady', 'later']);
    expect(labels(s).at(-1)).toBe('Keep my other questions for next time');
    // The question button is gone, and a stale one is refused.
    expect(s.check({ choice: 'question' })).toMatchObject({ ok: false });
  });

  it('keeping questions needs the questions in the note, then asks for the response again, then ends', () => {
    const s = toResponse();
    for (let i = 1; i <= LIMITS.questions; i++) ask(s, i);
    const input = s.prompt().input;
    expect(input.kind === 'choice' && input.note?.labelFor?.later).toBe('The questions you’d like to keep');
    for (const note of [undefined, '   ', '\u200b\u200d']) {
      const refused = s.check(note === undefined ? { choice: 'later' } : { choice: 'later', note });
      expect(refused).toEqual({
        ok: false,
        message:
          '“Keep my other questions for next time” needs a few words in “The questions you’d like to keep” — write them, or choose another option.',
      });
    }
    s.say('b', 'response', { choice: 'later', note: 'What happened in the summer.' });

    expect(s.prompt()).toMatchObject({ step: 'response', awaiting: ['b'] });
    expect(s.text()).toBe('Your other questions are kept for next time. Where are you with it right now?');
    expect(s.options()).toEqual(['accept', 'time', 'notReady']);
    s.say('b', 'response', { choice: 'time' });

    s.followUp();
    expect(s.snapshot().value).toBe('completed');
    expect(answersTo(s.context(), 'question')).toHaveLength(LIMITS.questions);
    const h = s.highlights();
    expect(h.find((x) => x.title === 'Sam’s response')?.lines).toEqual([
      'Sam needs time with this. There is no deadline.',
    ]);
    expect(h.find((x) => x.title === 'Questions Sam kept for next time')?.lines).toEqual([
      'What happened in the summer.',
    ]);
  });
});

describe('admit-mistake: the summary', () => {
  it('keeps every answer in the order given, one group per prompt, with unique headings that name people', () => {
    const s = toMirror();
    s.say('a', 'mirror.reflect', { text: 'You stopped feeling safe.' });
    s.say('b', 'mirror.check', { choice: 'more', note: 'And alone.' });
    s.say('a', 'mirror.reflect', { text: 'Unsafe, and alone.' });
    s.say('b', 'mirror.check', { choice: 'yes' });
    s.say('a', 'mirror.validate', { text: 'That makes sense to me.' });
    s.say('b', 'need', { text: NEED });
    s.say('a', 'promise', { text: PROMISE });
    ask(s, 1);
    s.say('b', 'response', { choice: 'notReady' });
    s.followUp();
    const summary = s.summary();
    expect(summary.at).toBe(1_767_225_600_000);
    expect(summary.outcome).toBe('You went through every step together.');
    expect(summary.steps.map((g) => g.title)).toEqual([
      'What Alex proposed',
      'What Sam said to it',
      'Ready to begin? — Alex and Sam',
      'What Alex named',
      'How Alex imagined it affected Sam',
      'How it affected Sam',
      'What Alex heard about how it affected Sam (1)',
      'Sam on what Alex heard about how it affected Sam (1)',
      'What Alex heard about how it affected Sam (2)',
      'Sam on what Alex heard about how it affected Sam (2)',
      'What makes sense to Alex about how it affected Sam',
      'What would help Sam',
      'What Alex promised',
      'Sam’s response (1)',
      'Sam’s question',
      'Alex’s answer',
      'Sam’s response (2)',
      'When to check in — Alex and Sam',
    ]);
    expect(new Set(summary.steps.map((g) => g.title)).size).toBe(summary.steps.length);
    expect(summary.steps.find((g) => g.title === 'Ready to begin? — Alex and Sam')?.entries).toEqual([
      { by: 'Alex', text: 'Yes, I’m ready' },
      { by: 'Sam', text: 'Yes, I’m ready' },
    ]);
  });

  it('an early end says who ended it and where, and shows only what exists', () => {
    const s = begin();
    s.say('a', 'admission', { text: CLEAN });
    s.say('a', 'impactGuess', { text: GUESS });
    s.send({ type: 'END', by: 'b', at: 5, step: 'impact' });
    expect(s.snapshot().value).toBe('ended');
    expect(s.summary().outcome).toBe('Sam ended the conversation at “How it affected you”.');
    expect(s.highlights()).toEqual([{ title: 'What Alex named', lines: [CLEAN] }]);
  });
});

describe('admit-mistake: pause, and the prompts themselves', () => {
  it('a pause in the middle of mirroring resumes at the same step for the same partner', () => {
    const s = toMirror();
    s.say('a', 'mirror.reflect', { text: 'You no longer feel safe writing to anyone.' });
    s.send({ type: 'PAUSE', by: 'b', at: 1 });
    expect(s.snapshot().value).toBe('paused');
    s.send({ type: 'RESUME', by: 'a', at: 2 });
    expect(s.prompt()).toMatchObject({ step: 'mirror.check', awaiting: ['b'] });
  });

  // BUG (kit: deep history re-enters the `mirror` state on RESUME, and its entry resets the round
  // counter): after a pause the mirror starts again from its first round, so its bound and its
  // "this time" wording no longer hold.
  it('a pause during mirroring keeps the rounds already given', () => {
    const s = toMirror();
    for (let round = 1; round < LIMITS.reflections; round++) {
      s.say('a', 'mirror.reflect', { text: `Reflection ${round}.` });
      s.say('b', 'mirror.check', { choice: 'more' });
    }
    s.send({ type: 'PAUSE', by: 'b', at: 1 });
    s.send({ type: 'RESUME', by: 'a', at: 2 });
    expect(s.text()).toBe('Sam feels there is more to it. Try once more: what did you hear?');
    s.say('a', 'mirror.reflect', { text: 'Last reflection.' });
    expect(s.text()).toContain('this time');
  });

  it('every prompt fits Discord, asks one question, and uses names rather than role labels', () => {
    // Visit every step: a swap, a hedged admission and a vague promise (the reviews), a mirror
    // round with more to it, questions up to the limit, and the questions kept.
    const s = couple(flow);
    const r = recorder(s);
    r.say('a', 'roles.propose', { choice: 'partner' });
    r.say('b', 'roles.confirm', { choice: 'swap' });
    r.say('a', 'roles.confirmSwap', { choice: 'yes' });
    r.both('ready', { choice: 'ready' });
    r.say('a', 'admission', { text: HEDGED });
    r.say('a', 'review', { choice: 'rewrite' });
    r.say('a', 'admission', { text: CLEAN });
    r.say('a', 'impactGuess', { text: GUESS });
    r.say('b', 'impact', { text: IMPACT });
    r.say('a', 'mirror.reflect', { text: 'You stopped feeling safe.' });
    r.say('b', 'mirror.check', { choice: 'more', note: 'And alone.' });
    r.say('a', 'mirror.reflect', { text: 'Unsafe and alone.' });
    r.say('b', 'mirror.check', { choice: 'yes' });
    r.say('a', 'mirror.validate', { text: 'That makes sense.' });
    r.say('b', 'need', { text: NEED });
    r.say('a', 'promise', { text: VAGUE });
    r.say('a', 'promiseReview', { choice: 'keep' });
    for (let i = 1; i <= LIMITS.questions; i++) {
      r.say('b', 'response', { choice: 'question' });
      r.say('b', 'question', { text: `Why, ${i}?` });
      r.say('a', 'answer', { text: 'Because I was afraid, and that is mine to deal with.' });
    }
    r.say('b', 'response', { choice: 'later', note: 'The summer.' });
    r.say('b', 'response', { choice: 'accept' });
    r.both('followUp', { choice: 'none' });
    expect(s.snapshot().value).toBe('completed');
    expect(new Set(r.seen.map((x) => x.prompt.step))).toEqual(new Set(flow.steps.keys()));
    for (const { prompt, fill } of r.seen) {
      expectFitsDiscord(prompt, fill);
      expect(fill(prompt.text), prompt.step).not.toMatch(/counsel/i);
    }
  });

  // WORDING (PRODUCT.md, the bot's voice: "say why it matters in one short sentence at most"): the
  // response's reason is two sentences ("There is no right answer here. Needing time, …").
  it('says why a step matters in one short sentence at most', () => {
    expect(longReasons(flow, emptyContext())).toEqual([]);
  });

  it('every step asks a role the flow defines; the private reviews only their author', () => {
    for (const [id, spec] of flow.steps) {
      expect(['owner', 'hurt', 'a', 'b', 'both'], id).toContain(spec.to);
      if (spec.private) expect(spec.to, id).toBe('owner');
    }
    expect(RESPONSE_OPTIONS.map((o) => o.value)).toEqual(['accept', 'time', 'notReady', 'question', 'later']);
  });
});
