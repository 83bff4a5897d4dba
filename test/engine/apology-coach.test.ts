import { describe, expect, it } from 'vitest';
import { type CoachKind, coachApology, coachPromise, describeNote } from '../../src/engine/apology-coach.js';

const kinds = (text: string, options?: { expectRepair?: boolean }): CoachKind[] =>
  coachApology(text, options).notes.map((n) => n.kind);

describe('apology coach: deflections it notices', () => {
  it.each<[string, CoachKind, string]>([
    ['I lied to you about the money, but I had my reasons.', 'but', 'but'],
    ['I read your messages. However, anyone would have.', 'but', 'However'],
    ['I am sorry if I hurt you.', 'conditional', 'sorry if'],
    ['I went through your phone, if you must know.', 'conditional', 'if you'],
    ['I’m sorry you feel that way about what I did.', 'their-feelings', 'sorry you feel'],
    ['I’m sorry for how you took it when I left.', 'their-feelings', 'sorry for how you'],
    ['I shouted because you never listen.', 'blame', 'because you'],
    ['You made me so angry that I threw the plate.', 'blame', 'You made me'],
    ['I only looked at your phone once.', 'minimising', 'only'],
    ['I just had a drink with them, it was no big deal.', 'minimising', 'no big deal'],
    ['Mistakes were made on my side.', 'passive', 'Mistakes were made'],
    ['It just happened between us.', 'passive', 'It just happened'],
    ['I didn’t mean to hurt you.', 'intent', 'I didn’t mean to'],
    ['I was stressed and I snapped at you.', 'excuse', 'I was stressed'],
  ])('%j → %s', (text, kind, words) => {
    const result = coachApology(text);
    const note = result.notes.find((n) => n.kind === kind);
    expect(note, `expected a ${kind} note`).toBeDefined();
    expect(note?.found).toContain(words);
    expect(result.needsReview).toBe(true);
  });

  it('notices love or trust offered instead of an admission', () => {
    const result = coachApology('I love you and I trust you. Let’s move on.');
    expect(result.ownsIt).toBe(false);
    expect(result.notes.find((n) => n.kind === 'affection')?.found).toEqual(['I love you', 'I trust you']);
    expect(kinds('I love you and I trust you.')).toContain('no-ownership');
  });

  it('leaves love alone when it comes with a plain admission', () => {
    const result = coachApology('I hid the debt from you for a year. I love you.');
    expect(result.ownsIt).toBe(true);
    expect(kinds('I hid the debt from you for a year. I love you.')).not.toContain('affection');
  });

  it('lets the stronger reading claim overlapping words (“if you hadn’t” is blame, not a conditional)', () => {
    const result = coachApology('I yelled, if you hadn’t pushed me it would not have happened.');
    expect(result.notes.find((n) => n.kind === 'blame')?.found).toContain('if you hadn’t');
    expect(result.notes.find((n) => n.kind === 'conditional')).toBeUndefined();
  });

  it('reports each phrase once per kind, in the author’s own spelling', () => {
    const result = coachApology('I JUST went out, just once, BUT it was fine, but still.');
    expect(result.notes.find((n) => n.kind === 'minimising')?.found).toEqual(['JUST']);
    expect(result.notes.find((n) => n.kind === 'but')?.found).toEqual(['BUT']);
  });
});

describe('apology coach: responsibility and repair', () => {
  it.each([
    'I lied to you about where I was on Friday.',
    'I have been seeing someone else.',
    'I didn’t tell you about the debt.',
    'I never called you back that night.',
    'I had an affair.',
    'I was dishonest with you.',
    'That was my fault.',
    'I take full responsibility for the money.',
    'I’m the one who broke the promise.',
    'I used your card without asking.',
  ])('owns the act: %j', (text) => {
    expect(coachApology(text).ownsIt).toBe(true);
    expect(kinds(text)).not.toContain('no-ownership');
  });

  it.each([
    'I’m sorry.',
    'I love you so much.',
    'I feel terrible about everything.',
    'I didn’t know it would matter.',
    'I used to be better at this.',
    'Things got out of hand.',
  ])('does not own an act: %j', (text) => {
    expect(coachApology(text).ownsIt).toBe(false);
    expect(kinds(text)).toContain('no-ownership');
  });

  it('finds repair, and notes its absence only when asked to', () => {
    expect(coachApology('I lied. From now on I will tell you the same day.').offersRepair).toBe(true);
    expect(coachApology('I lied to you. I’ll show you my messages whenever you ask.').offersRepair).toBe(true);
    expect(coachApology('I lied to you.').offersRepair).toBe(false);
    expect(kinds('I lied to you.')).toEqual([]);
    expect(kinds('I lied to you.', { expectRepair: true })).toEqual(['no-repair']);
    expect(kinds('I lied to you and I will stop.', { expectRepair: true })).toEqual([]);
  });

  it('has nothing to say about a plain, owned admission', () => {
    const result = coachApology('I read your private messages without asking. It was wrong, and it is on me.');
    expect(result.notes).toEqual([]);
    expect(result.needsReview).toBe(false);
  });

  it('says nothing about an empty text', () => {
    expect(coachApology('   ')).toEqual({ notes: [], ownsIt: false, offersRepair: false, needsReview: false });
  });
});

describe('apology coach: it only ever points, never rewrites', () => {
  const text = 'I’m sorry you feel hurt, BUT I only did it because you were never home. Mistakes were made.';

  it('quotes words exactly as written, curly apostrophes and capitals included', () => {
    const result = coachApology(text);
    expect(result.notes.length).toBeGreaterThan(3);
    for (const note of result.notes) for (const found of note.found) expect(text).toContain(found);
    expect(result.notes.find((n) => n.kind === 'their-feelings')?.found).toEqual(['sorry you feel']);
  });

  it('returns the same notes for the same words, and leaves its input as it was', () => {
    const copy = `${text}`;
    expect(coachApology(text)).toEqual(coachApology(copy));
    expect(text).toBe(copy);
    expect(JSON.stringify(coachApology(text))).not.toContain('I did it because');
  });

  it('keeps each note short and kind, with a suggestion of what to try', () => {
    for (const note of coachApology(`${text} I love you. I was tired. I didn't mean to. If you`, { expectRepair: true })
      .notes) {
      expect(note.note.length).toBeLessThanOrEqual(120);
      expect(note.suggestion.length).toBeLessThanOrEqual(120);
      expect(note.suggestion).toMatch(/^(Try|Keep|Let|Add|Their)/);
      expect(`${note.note} ${note.suggestion}`).not.toMatch(/\b(wrong|bad|liar|abuse|victim|offender)\b/i);
    }
  });

  it('describes a note with the quoted words first', () => {
    const [note] = coachApology('I left, but I came back.').notes;
    expect(note && describeNote(note)).toBe(
      '“but” — What follows a “but” can quietly take back what came before it. Try ending the sentence where your part ends.',
    );
  });
});

describe('promise coach: concrete repair, something the other could see kept', () => {
  const promiseKinds = (text: string): CoachKind[] => coachPromise(text).notes.map((n) => n.kind);

  it.each(['Things will be different.', 'Sorry.', 'You deserve better than this.'])(
    'notes a promise with no commitment in it: %j',
    (text) => {
      const result = coachPromise(text);
      expect(result.offersRepair).toBe(false);
      expect(result.needsReview).toBe(true);
      expect(result.notes).toEqual([
        {
          kind: 'no-repair',
          found: [],
          note: 'There isn’t yet a word on what you will do differently.',
          suggestion: 'Add one concrete thing you will do that they will be able to see.',
        },
      ]);
    },
  );

  it.each<[string, string[]]>([
    ['I will try to be better.', ['try to', 'be better']],
    ['I will do my best.', ['do my best']],
    ['I’ll work on myself.', ['work on myself']],
    ['I’ll try harder.', ['try harder']],
    ['I will change.', ['change']],
    ['I promise to change.', ['change']],
    ['I’ll be a better partner.', ['be a better partner']],
  ])('notes a vague wish, quoting it as written: %j', (text, found) => {
    const result = coachPromise(text);
    expect(result.offersRepair).toBe(true);
    expect(result.notes.map((n) => [n.kind, n.found])).toEqual([['vague', found]]);
    for (const words of found) expect(text).toContain(words);
    const [note] = result.notes;
    expect(note && describeNote(note)).toMatch(/Try one act they could notice/);
  });

  it.each([
    'I will tell you before I go out, every time.',
    'From now on I will be home by seven on weeknights.',
    'I won’t read your messages again.',
    'I’ll show you my bank statements on the first of every month.',
    // A vague word beside a concrete act is fine.
    'I will try to call, and I will call you by six.',
  ])('lets a concrete promise through: %j', (text) => {
    const result = coachPromise(text);
    expect(result.notes).toEqual([]);
    expect(result.needsReview).toBe(false);
    expect(result.offersRepair).toBe(true);
  });

  it.each<[string, CoachKind, string]>([
    ['I will stop lying because you always check on me.', 'blame', 'because you'],
    ['I will show you my phone, if you hadn’t hidden yours.', 'blame', 'if you hadn’t'],
    ['I will call you if you answer.', 'conditional', 'if you'],
  ])('notes blame and “if you” in a promise: %j', (text, kind, words) => {
    const result = coachPromise(text);
    expect(result.needsReview).toBe(true);
    expect(result.notes.find((n) => n.kind === kind)?.found).toContain(words);
  });

  it('leaves an apology’s other notes out: a “but” or a “just” in a promise is not its concern', () => {
    expect(promiseKinds('I will only text you, but I will call on Sundays.')).toEqual([]);
    expect(promiseKinds('I will just come home at six.')).toEqual([]);
  });

  it('says nothing about an empty promise, and never changes the words', () => {
    expect(coachPromise('  ')).toEqual({ notes: [], ownsIt: false, offersRepair: false, needsReview: false });
    const text = 'I’ll try harder, if you let me.';
    const copy = `${text}`;
    const result = coachPromise(text);
    expect(text).toBe(copy);
    for (const note of result.notes) for (const found of note.found) expect(text).toContain(found);
    expect(result.notes.map((n) => n.kind)).toEqual(['conditional', 'vague']);
  });
});
