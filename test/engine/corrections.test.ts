/**
 * Corrections and additions. An author may change their answer until the other partner has read
 * it — that is, until the other has answered a later prompt, or the same 'both' prompt (those are
 * revealed together); after that they may only add to it. A recorded choice stays (the
 * conversation went on from it); only its words change. Drafts under private review are their
 * author's to keep or rewrite, never to correct.
 */
import { describe, expect, it } from 'vitest';
import admit from '../../flows/admit-mistake.js';
import groundRules from '../../flows/ground-rules.js';
import needs from '../../flows/needs-discovery.js';
import { readByOther } from '../../src/engine/answers.js';
import { canAdd, canRevise } from '../../src/engine/flow-kit.js';
import { type AnswerRecord, emptyContext, type FlowContext } from '../../src/engine/flow-types.js';
import { couple } from '../flows/couple.js';

const CLEAN = 'I read your private messages without asking, twice, and then I hid that I had.';
const CLEANER = 'I read your private messages without asking, twice, and then I lied about it.';
const HEDGED = 'I’m sorry you feel upset, but I only looked because you were acting strange.';

const answer = (step: string, seq: number, by: 'a' | 'b', value: AnswerRecord['value'] = { text: 'x' }) =>
  ({ step, seq, by, value }) as AnswerRecord;
const contextWith = (answers: AnswerRecord[], extra: Partial<FlowContext> = {}): FlowContext => ({
  ...emptyContext(),
  answers,
  step: Math.max(0, ...answers.map((a) => a.seq)) + 1,
  ...extra,
});

describe('readByOther: the other partner has acted on anything after it', () => {
  const admission = answer('admission', 3, 'a');

  it('not while only its author has gone on', () => {
    expect(readByOther(contextWith([admission]), admission)).toBe(false);
    expect(readByOther(contextWith([admission, answer('impactGuess', 4, 'a')]), admission)).toBe(false);
  });

  it('not by an answer of the other’s given before it', () => {
    expect(readByOther(contextWith([answer('roles.confirm', 2, 'b'), admission]), admission)).toBe(false);
  });

  it('once the other answers a later prompt', () => {
    expect(readByOther(contextWith([admission, answer('impact', 5, 'b')]), admission)).toBe(true);
  });

  it('at once, for both answers of the same “both” prompt (revealed together)', () => {
    const a = answer('ready', 2, 'a', { choice: 'ready' });
    const b = answer('ready', 2, 'b', { choice: 'ready' });
    const context = contextWith([a, b]);
    expect(readByOther(context, a)).toBe(true);
    expect(readByOther(context, b)).toBe(true);
  });
});

describe('canRevise and canAdd', () => {
  const admission = answer('admission', 3, 'a', { text: CLEAN });
  const check = answer('mirror.check', 8, 'b', { choice: 'yes', note: 'You got it.' });

  it('a pending answer to a “both” prompt may be changed by its author, its choice included', () => {
    const context = contextWith([], { step: 7, pendingStep: 'ready', pending: { a: { choice: 'ready' } } });
    expect(canRevise(context, 'a', { step: 'ready', seq: 7 }, 'notNow')).toBe(true);
    expect(canRevise(context, 'a', { step: 'ready', seq: 7 }, 'ready')).toBe(true);
    // Not by the partner who has not answered, nor for an earlier moment of that step.
    expect(canRevise(context, 'b', { step: 'ready', seq: 7 }, 'ready')).toBe(false);
    expect(canRevise(context, 'a', { step: 'ready', seq: 6 }, 'ready')).toBe(false);
    expect(canAdd(context, 'a', { step: 'ready', seq: 7 })).toBe(false);
  });

  it('a recorded answer nobody else has read may have its words changed, but not its choice', () => {
    const context = contextWith([admission, check]);
    expect(canRevise(context, 'a', { step: 'admission', seq: 3 }, undefined)).toBe(false); // b answered later
    expect(canRevise(contextWith([admission]), 'a', { step: 'admission', seq: 3 }, undefined)).toBe(true);
    expect(canRevise(context, 'b', { step: 'mirror.check', seq: 8 }, 'yes')).toBe(true);
    expect(canRevise(context, 'b', { step: 'mirror.check', seq: 8 }, 'more')).toBe(false);
  });

  it('only its author may change or add to an answer', () => {
    const context = contextWith([admission, answer('impact', 5, 'b')]);
    expect(canRevise(contextWith([admission]), 'b', { step: 'admission', seq: 3 }, undefined)).toBe(false);
    expect(canAdd(context, 'b', { step: 'admission', seq: 3 })).toBe(false);
    expect(canAdd(context, 'a', { step: 'admission', seq: 3 })).toBe(true);
  });

  it('adding is for answers already read; changing is for answers not yet read', () => {
    const unread = contextWith([admission]);
    const read = contextWith([admission, answer('impact', 5, 'b')]);
    const ref = { step: 'admission', seq: 3 };
    expect([canRevise(unread, 'a', ref, undefined), canAdd(unread, 'a', ref)]).toEqual([true, false]);
    expect([canRevise(read, 'a', ref, undefined), canAdd(read, 'a', ref)]).toEqual([false, true]);
  });

  it('a draft can be neither changed nor added to, even with a later answer of the other’s', () => {
    const draft = { ...answer('admission', 3, 'a', { text: HEDGED }), draft: true as const };
    const ref = { step: 'admission', seq: 3 };
    expect(canRevise(contextWith([draft]), 'a', ref, undefined)).toBe(false);
    expect(canAdd(contextWith([draft, answer('other', 5, 'b')]), 'a', ref)).toBe(false);
  });

  it('nothing can be changed or added to an answer that does not exist', () => {
    const context = contextWith([admission]);
    expect(canRevise(context, 'a', { step: 'admission', seq: 4 }, undefined)).toBe(false);
    expect(canRevise(context, 'a', { step: 'nowhere', seq: 3 }, undefined)).toBe(false);
    expect(canAdd(context, 'a', { step: 'nowhere', seq: 3 })).toBe(false);
  });
});

/** Admitting a mistake, at the admission: Alex names what they did, Sam was hurt. */
function atAdmission() {
  const s = couple(admit);
  s.say('a', 'roles.propose', { choice: 'me' });
  s.say('b', 'roles.confirm', { choice: 'yes' });
  s.both('ready', { choice: 'ready' });
  return s;
}

describe('REVISE and ADD on a real flow machine', () => {
  it('a pending sealed answer may change, choice and all, and the revealed answer is the changed one', () => {
    const s = couple(groundRules);
    s.both('ready', { choice: 'ready' });
    for (const rule of ['noShouting', 'noInterrupting', 'noMocking', 'noWalkingAway']) {
      s.both(`rules.${rule}`, { choice: 'agree' });
    }
    s.both('extras.propose', { choice: 'none' });
    s.both('topic', { text: 'Money' });
    const ref = s.ref();
    s.say('a', 'talkMode', { choice: 'floor' });
    s.send({ type: 'REVISE', by: 'a', target: ref, value: { choice: 'free' } });
    expect(s.context().pending).toEqual({ a: { choice: 'free' } });
    s.say('b', 'talkMode', { choice: 'floor' });
    expect(s.prompt().step).toBe('talkFree');
    expect(
      s
        .context()
        .answers.filter((a) => a.step === 'talkMode')
        .map((a) => a.value.choice),
    ).toEqual(['free', 'floor']);
  });

  it('a pending sealed text may change before the other answers; the other’s pending answer is theirs alone', () => {
    const s = couple(needs);
    const ref = s.ref();
    s.say('a', 'guess', { text: 'Sam needs quiet' });
    s.send({ type: 'REVISE', by: 'b', target: ref, value: { text: 'not mine to change' } });
    expect(s.context().pending).toEqual({ a: { text: 'Sam needs quiet' } });
    s.send({ type: 'REVISE', by: 'a', target: ref, value: { text: 'Sam needs quiet evenings together' } });
    s.say('b', 'guess', { text: 'Alex needs the truth' });
    expect(s.context().answers.map((a) => [a.by, a.value.text])).toEqual([
      ['a', 'Sam needs quiet evenings together'],
      ['b', 'Alex needs the truth'],
    ]);
  });

  it('a recorded answer’s words may change until the other partner answers a later step, then only be added to', () => {
    const s = atAdmission();
    const ref = s.ref();
    s.say('a', 'admission', { text: CLEAN });
    const before = { value: s.snapshot().value, step: s.context().step };
    s.send({ type: 'REVISE', by: 'a', target: ref, value: { text: CLEANER } });
    // A correction moves nothing on: same step, same prompt key.
    expect({ value: s.snapshot().value, step: s.context().step }).toEqual(before);
    expect(s.context().answers.at(-1)?.value).toEqual({ text: CLEANER });

    // Not read yet: adding is refused, and the owner's own next answer changes nothing.
    s.send({ type: 'ADD', by: 'a', target: ref, text: 'Too early.' });
    expect(s.context().answers.at(-1)?.additions).toBeUndefined();
    s.say('a', 'impactGuess', { text: 'I think it made you feel spied on.' });
    s.send({ type: 'REVISE', by: 'a', target: ref, value: { text: CLEAN } });
    expect(s.context().answers.find((a) => a.step === 'admission')?.value).toEqual({ text: CLEAN });

    // Sam answers a later step: read. Words stay as they were; an addition is kept beside them.
    s.say('b', 'impact', { text: 'I stopped feeling safe.' });
    s.send({ type: 'REVISE', by: 'a', target: ref, value: { text: CLEANER } });
    expect(s.context().answers.find((a) => a.step === 'admission')?.value).toEqual({ text: CLEAN });
    s.send({ type: 'ADD', by: 'a', target: ref, text: 'It happened three times, not two.' });
    expect(s.context().answers.find((a) => a.step === 'admission')).toMatchObject({
      value: { text: CLEAN },
      additions: ['It happened three times, not two.'],
    });
    expect(s.summary().steps.find((g) => g.step === 'admission')?.entries).toEqual([
      { by: 'Alex', text: CLEAN, additions: ['It happened three times, not two.'] },
    ]);
  });

  it('a recorded choice stays: its note may change, the choice may not', () => {
    const s = atAdmission();
    s.say('a', 'admission', { text: CLEAN });
    s.say('a', 'impactGuess', { text: 'I think it made you feel spied on.' });
    s.say('b', 'impact', { text: 'I stopped feeling safe.' });
    s.say('a', 'mirror.reflect', { text: 'You stopped feeling safe.' });
    const ref = s.ref();
    s.say('b', 'mirror.check', { choice: 'more', note: 'And alone.' });
    expect(s.prompt().step).toBe('mirror.reflect');

    s.send({ type: 'REVISE', by: 'b', target: ref, value: { choice: 'yes' } });
    expect(s.context().answers.at(-1)?.value).toEqual({ choice: 'more', note: 'And alone.' });
    expect(s.prompt().step).toBe('mirror.reflect');

    s.send({ type: 'REVISE', by: 'b', target: ref, value: { choice: 'more', note: 'And alone with it, for months.' } });
    expect(s.context().answers.at(-1)?.value).toEqual({ choice: 'more', note: 'And alone with it, for months.' });
    // The next reflection quotes the words as they are now.
    expect(s.prompt().quotes.at(-1)?.text).toBe('And alone with it, for months.');
  });

  it('a draft under private review is neither corrected nor added to', () => {
    const s = atAdmission();
    const ref = s.ref();
    s.say('a', 'admission', { text: HEDGED });
    expect(s.prompt().step).toBe('review');
    s.send({ type: 'REVISE', by: 'a', target: ref, value: { text: CLEAN } });
    s.send({ type: 'ADD', by: 'a', target: ref, text: 'More.' });
    expect(s.context().answers.at(-1)).toEqual({
      step: 'admission',
      seq: ref.seq,
      by: 'a',
      value: { text: HEDGED },
      draft: true,
    });
  });

  it('both answers of a revealed “both” prompt are read at once: they can be added to, not changed', () => {
    const s = couple(admit);
    s.say('a', 'roles.propose', { choice: 'me' });
    s.say('b', 'roles.confirm', { choice: 'yes' });
    const ref = s.ref();
    s.both('ready', { choice: 'ready' });
    s.send({ type: 'REVISE', by: 'a', target: ref, value: { choice: 'ready' } });
    s.send({ type: 'ADD', by: 'b', target: ref, text: 'Ready, and a little nervous.' });
    expect(s.context().answers.filter((a) => a.step === 'ready')).toEqual([
      { step: 'ready', seq: ref.seq, by: 'a', value: { choice: 'ready' } },
      { step: 'ready', seq: ref.seq, by: 'b', value: { choice: 'ready' }, additions: ['Ready, and a little nervous.'] },
    ]);
  });

  it('nothing is changed while the conversation is paused', () => {
    const s = atAdmission();
    const ref = s.ref();
    s.say('a', 'admission', { text: CLEAN });
    s.send({ type: 'PAUSE', by: 'b', at: 1 });
    s.send({ type: 'REVISE', by: 'a', target: ref, value: { text: CLEANER } });
    expect(s.context().answers.at(-1)?.value).toEqual({ text: CLEAN });
  });

  // BUG (kit: `readiness` decides "not now" from the event alone): a partner who said "ready", then
  // changed it to "not now" before the other answered, is not heard — when the other says "ready"
  // both are revealed, one of them "Not now", and the conversation goes on to the admission.
  it('a “ready” changed to “not now” before the other answers ends the session kindly, at once', () => {
    const s = couple(admit);
    s.say('a', 'roles.propose', { choice: 'me' });
    s.say('b', 'roles.confirm', { choice: 'yes' });
    const ref = s.ref();
    s.say('a', 'ready', { choice: 'ready' });
    s.send({ type: 'REVISE', by: 'a', target: ref, value: { choice: 'notNow' } });
    expect(s.snapshot().value).toBe('declined');
    expect(s.snapshot().context.end).toMatchObject({ by: 'a', reason: 'declined', step: 'ready' });
  });
});
