/**
 * Every answer is checked against its step's input before a machine sees it. Emptiness and
 * minimum lengths count what a person can see: zero-width characters, direction marks, lone
 * combining marks and Hangul fillers are as empty as spaces. A refusal says what to do.
 */
import { describe, expect, it } from 'vitest';
import { checkAnswer } from '../../src/engine/answer-schema.js';
import type { InputSpec } from '../../src/engine/flow-types.js';

/** Text that looks like nothing, each in its own way. */
const INVISIBLE: [string, string][] = [
  ['spaces', '   '],
  ['line breaks and tabs', '\n\t\n'],
  ['zero-width spaces', '\u200b\u200b\u200b'],
  ['zero-width joiners and non-joiners', '\u200d\u200c\u200d'],
  ['direction marks', '\u200e\u200f'],
  ['a byte-order mark and a word joiner', '\ufeff\u2060'],
  ['lone combining marks', '\u0301\u0308'],
  ['Hangul fillers', '\u3164\u3164'],
  ['a mix', ' \u200b\u3164\u200f\u0301 '],
];

const TEXT: InputSpec = { kind: 'text', label: 'What I did', min: 5, max: 40 };
const PICKER: InputSpec = {
  kind: 'text',
  label: 'Your guess',
  min: 1,
  max: 100,
  picker: {
    label: 'Needs',
    options: [
      { value: 'calm', label: 'Calm' },
      { value: 'trust', label: 'Trust' },
      { value: 'play', label: 'Play' },
    ],
    max: 2,
  },
};
const OPTIONS = [
  { value: 'add', label: 'Add a rule' },
  { value: 'none', label: 'Nothing to add' },
];
const CHOICE: InputSpec = { kind: 'choice', options: OPTIONS };
const OPTIONAL_NOTE: InputSpec = { kind: 'choice', options: OPTIONS, note: { label: 'Why', min: 0, max: 20 } };
const REQUIRED_FOR: InputSpec = {
  kind: 'choice',
  options: OPTIONS,
  note: { label: 'A note (optional)', labelFor: { add: 'Your rule' }, requiredFor: ['add'], min: 0, max: 200 },
};
const NOTE_MIN: InputSpec = { kind: 'choice', options: OPTIONS, note: { label: 'Your reason', min: 4, max: 200 } };
const LIST: InputSpec = { kind: 'list', label: 'Points', min: 3, max: 5, itemMax: 20 };

describe('text answers', () => {
  it.each(INVISIBLE)('refuse %s as empty', (_, text) => {
    expect(checkAnswer(TEXT, { text })).toEqual({
      ok: false,
      message: "Your answer can't be empty — a few words are enough.",
    });
  });

  it('count visible characters for the minimum: hidden characters do not make up the length', () => {
    const padded = 'a\u200bb\u200bc\u200bd'; // four letters, seven code units
    expect(checkAnswer(TEXT, { text: padded })).toEqual({
      ok: false,
      message: 'Your answer needs at least 5 characters — a little more, please.',
    });
    expect(checkAnswer(TEXT, { text: `${padded}e` })).toEqual({ ok: true, value: { text: `${padded}e` } });
  });

  it('count a letter with its accent, or an emoji sequence, as one character', () => {
    const accents = 'e\u0301'.repeat(5); // five characters, ten code units
    expect(checkAnswer(TEXT, { text: accents })).toMatchObject({ ok: true });
    expect(checkAnswer(TEXT, { text: 'e\u0301'.repeat(4) })).toMatchObject({ ok: false });
    expect(checkAnswer(TEXT, { text: '👨‍👩‍👧'.repeat(4) })).toMatchObject({ ok: false });
    expect(checkAnswer(TEXT, { text: '👍🏽 okay' })).toMatchObject({ ok: true });
  });

  it('keep the words as typed, without what cannot be seen at either end', () => {
    expect(checkAnswer(TEXT, { text: '\u200b  I lied to you.\n\u3164' })).toEqual({
      ok: true,
      value: { text: 'I lied to you.' },
    });
    expect(checkAnswer(TEXT, { text: 'I lied\u200b to you.' })).toEqual({
      ok: true,
      value: { text: 'I lied\u200b to you.' },
    });
  });

  it('refuse words over the maximum, and anything that is not words', () => {
    expect(checkAnswer(TEXT, { text: 'x'.repeat(41) })).toEqual({
      ok: false,
      message: 'Your answer can be at most 40 characters — please shorten it a little.',
    });
    expect(checkAnswer(TEXT, { text: 'x'.repeat(40) })).toMatchObject({ ok: true });
    expect(checkAnswer(TEXT, 'hello there')).toMatchObject({ ok: false });
    expect(checkAnswer(TEXT, { text: 12345 })).toMatchObject({ ok: false });
    expect(checkAnswer(TEXT, { text: 'hello there', choice: 'x' })).toMatchObject({ ok: false });
  });

  it('take picks from the picker only, each once, up to its maximum; an empty pick list is no picks', () => {
    expect(checkAnswer(PICKER, { text: 'Time together', picks: ['calm', 'trust'] })).toEqual({
      ok: true,
      value: { text: 'Time together', picks: ['calm', 'trust'] },
    });
    expect(checkAnswer(PICKER, { text: 'Time together', picks: [] })).toEqual({
      ok: true,
      value: { text: 'Time together' },
    });
    expect(checkAnswer(PICKER, { text: 'x', picks: ['calm', 'trust', 'play'] })).toEqual({
      ok: false,
      message: 'Please pick at most 2.',
    });
    expect(checkAnswer(PICKER, { text: 'x', picks: ['calm', 'calm'] })).toMatchObject({ ok: false });
    expect(checkAnswer(PICKER, { text: 'x', picks: ['money'] })).toMatchObject({ ok: false });
    expect(checkAnswer(TEXT, { text: 'I lied to you.', picks: ['calm'] })).toMatchObject({ ok: false });
  });

  it('refuse picks without words: the picker goes with the text, not instead of it', () => {
    for (const [, text] of INVISIBLE) {
      expect(checkAnswer(PICKER, { text, picks: ['calm'] })).toMatchObject({ ok: false });
    }
  });
});

describe('choice answers', () => {
  it('take one of the options, and nothing else', () => {
    expect(checkAnswer(CHOICE, { choice: 'none' })).toEqual({ ok: true, value: { choice: 'none' } });
    expect(checkAnswer(CHOICE, { choice: 'maybe' })).toEqual({
      ok: false,
      message: 'Please choose one of: Add a rule, Nothing to add.',
    });
    expect(checkAnswer(CHOICE, { choice: 'none', note: 'hi' })).toEqual({
      ok: false,
      message: 'This step takes no note.',
    });
  });

  it.each(INVISIBLE)('an optional note of %s becomes no note at all', (_, note) => {
    expect(checkAnswer(OPTIONAL_NOTE, { choice: 'none', note })).toEqual({ ok: true, value: { choice: 'none' } });
  });

  it('an optional note keeps its words, trimmed of what cannot be seen, up to its maximum', () => {
    expect(checkAnswer(OPTIONAL_NOTE, { choice: 'none', note: '\u200b I am tired \u200f' })).toEqual({
      ok: true,
      value: { choice: 'none', note: 'I am tired' },
    });
    expect(checkAnswer(OPTIONAL_NOTE, { choice: 'none', note: 'x'.repeat(21) })).toEqual({
      ok: false,
      message: 'The note can be at most 20 characters — please shorten it a little.',
    });
  });

  it.each([['no note', undefined] as [string, string | undefined], ...INVISIBLE])(
    'a choice that needs its note refuses %s, naming the choice and the note it asks for',
    (_, note) => {
      const value = note === undefined ? { choice: 'add' } : { choice: 'add', note };
      expect(checkAnswer(REQUIRED_FOR, value)).toEqual({
        ok: false,
        message: '“Add a rule” needs a few words in “Your rule” — write them, or choose another option.',
      });
    },
  );

  it('the note is required only for the choices that need it', () => {
    expect(checkAnswer(REQUIRED_FOR, { choice: 'add', note: 'No phones' })).toEqual({
      ok: true,
      value: { choice: 'add', note: 'No phones' },
    });
    expect(checkAnswer(REQUIRED_FOR, { choice: 'none' })).toEqual({ ok: true, value: { choice: 'none' } });
    expect(checkAnswer(REQUIRED_FOR, { choice: 'none', note: '\u200b' })).toEqual({
      ok: true,
      value: { choice: 'none' },
    });
  });

  it('a note only some choices take: refused on the others, unless it is invisible (then it is no note)', () => {
    const spec: InputSpec = {
      kind: 'choice',
      options: [
        { value: 'yes', label: 'Yes, that’s it' },
        { value: 'more', label: 'There’s more' },
      ],
      note: { label: 'What’s missing (optional)', min: 0, max: 100, onlyFor: ['more'] },
    };
    expect(checkAnswer(spec, { choice: 'more', note: 'And alone.' })).toEqual({
      ok: true,
      value: { choice: 'more', note: 'And alone.' },
    });
    expect(checkAnswer(spec, { choice: 'yes', note: 'Mostly.' })).toEqual({
      ok: false,
      message: 'This choice takes no note.',
    });
    for (const [, note] of INVISIBLE) {
      expect(checkAnswer(spec, { choice: 'yes', note })).toEqual({ ok: true, value: { choice: 'yes' } });
    }
  });

  it('a note with a minimum refuses invisible text and counts visible characters', () => {
    for (const [, note] of INVISIBLE) {
      expect(checkAnswer(NOTE_MIN, { choice: 'none', note })).toEqual({
        ok: false,
        message: "The note can't be empty — a few words are enough.",
      });
    }
    expect(checkAnswer(NOTE_MIN, { choice: 'none', note: 'a\u200bb\u200bc' })).toEqual({
      ok: false,
      message: 'The note needs at least 4 characters — a little more, please.',
    });
    expect(checkAnswer(NOTE_MIN, { choice: 'none', note: 'e\u0301'.repeat(4) })).toMatchObject({ ok: true });
    expect(checkAnswer(NOTE_MIN, { choice: 'none' })).toMatchObject({ ok: false });
  });
});

describe('list answers', () => {
  it.each(INVISIBLE)('do not count an item of %s', (_, blank) => {
    expect(checkAnswer(LIST, { items: ['one', blank, 'two'] })).toEqual({
      ok: false,
      message: 'Please write at least 3 points, one per line — you have room for up to 5.',
    });
    expect(checkAnswer(LIST, { items: ['one', blank, 'two', 'three'] })).toEqual({
      ok: true,
      value: { items: ['one', 'two', 'three'] },
    });
  });

  it('refuse a list of nothing but invisible items', () => {
    expect(checkAnswer(LIST, { items: INVISIBLE.map(([, text]) => text) })).toMatchObject({ ok: false });
    expect(checkAnswer({ ...LIST, min: 1 }, { items: ['\u200b', '\u3164'] })).toEqual({
      ok: false,
      message: 'Please write at least one point.',
    });
  });

  it('ask for exactly that many when the list has one size (no “up to” that is not there)', () => {
    const three = { ...LIST, min: 3, max: 3 };
    expect(checkAnswer(three, { items: ['one', 'two'] })).toEqual({
      ok: false,
      message: 'Please write exactly 3, one per line.',
    });
    expect(checkAnswer(three, { items: ['one', 'two', 'three', 'four'] })).toEqual({
      ok: false,
      message: 'Please keep it to 3, one per line.',
    });
    expect(checkAnswer(three, { items: ['one', 'two', 'three'] })).toMatchObject({ ok: true });
  });

  it('trim each item of what cannot be seen, and keep the rest as typed', () => {
    expect(checkAnswer(LIST, { items: ['\u200b one ', 'two\u200f', '\u3164three', 'fo\u200bur'] })).toEqual({
      ok: true,
      value: { items: ['one', 'two', 'three', 'fo\u200bur'] },
    });
  });

  it('bound the number of items and the length of each', () => {
    expect(checkAnswer(LIST, { items: ['1', '2', '3', '4', '5', '6'] })).toEqual({
      ok: false,
      message: 'Please keep it to at most 5 points.',
    });
    expect(checkAnswer(LIST, { items: ['one', 'two', 'x'.repeat(21)] })).toEqual({
      ok: false,
      message: 'Each point can be at most 20 characters — please shorten the long one.',
    });
    expect(checkAnswer(LIST, { items: 'one\ntwo\nthree' })).toMatchObject({ ok: false });
  });
});
