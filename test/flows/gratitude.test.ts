/**
 * "Gratitude", driven step by step as two partners would. The model test walks every path; these pin down
 * what belongs to this flow: three things each, sealed and shown together; one line each on reading the
 * other's, shown the moment it is written; the kit's last step offering to come back for the next one; and a
 * summary that holds every word, attributed, with nothing that counts or compares.
 */

import { describe, expect, it } from 'vitest';
import flow, { THINGS } from '../../flows/gratitude.js';
import { answersTo } from '../../src/engine/answers.js';
import { FOLLOW_UP_STEP } from '../../src/engine/follow-up.js';
import { couple, expectFitsDiscord, longReasons, recorder } from './couple.js';

const ALEX_LIST = ['You made tea before I asked', 'You laughed at my terrible joke', 'You fixed the bike light'];
const SAM_LIST = ['You listened about work', 'You left me the last biscuit', 'You called when you were late'];

/** Both lists written (Sam first, so the reveal waits on Alex). */
function listed() {
  const s = couple(flow);
  s.say('b', 'appreciations', { items: SAM_LIST });
  s.say('a', 'appreciations', { items: ALEX_LIST });
  return s;
}

/** Both lists and both lines on reading them: at the kit's last step. */
function felt() {
  const s = listed();
  s.say('a', 'howItFelt', { text: 'Warm. I did not know you noticed the biscuit.' });
  s.say('b', 'howItFelt', { text: 'I smiled all the way through.' });
  return s;
}

/** Words that would turn this into a game to win or lose. */
const KEEPING_SCORE = /\b(score|streak|points? (earned|won)|in a row|level|badge|fail|missed|best|winner)\b/i;

describe('gratitude: the steps', () => {
  it('asks both for three things, sealed; then one line each, open; then when to have the next one', () => {
    const s = couple(flow);
    expect(s.prompt()).toMatchObject({ step: 'appreciations', both: true, sealed: true, awaiting: ['a', 'b'] });
    expect(s.prompt().input).toMatchObject({ kind: 'list', min: THINGS, max: THINGS });
    expect(THINGS).toBe(3);
    s.both('appreciations', { items: ALEX_LIST }, { items: SAM_LIST });
    expect(s.prompt()).toMatchObject({ step: 'howItFelt', both: true, sealed: false, awaiting: ['a', 'b'] });
    s.both('howItFelt', { text: 'Lovely.' }, { text: 'Seen.' });
    expect(s.prompt()).toMatchObject({ step: FOLLOW_UP_STEP, both: true, awaiting: ['a', 'b'] });
    expect(s.text()).toBe('When would you like Mend to start your next “Gratitude” with you?');
    expect(s.options()).toEqual(['3d', '1w', '2w', '1m', 'none']);
    s.followUp('2w', 'none');
    expect(s.status()).toBe('completed');
  });

  it('keeps each list hidden until both are in, then shows the two together', () => {
    const s = couple(flow);
    s.say('a', 'appreciations', { items: ALEX_LIST });
    expect(s.readable()).toEqual([]);
    expect(s.prompt().awaiting).toEqual(['b']);
    s.say('b', 'appreciations', { items: SAM_LIST });
    expect(s.readable()).toEqual([
      ['a', 'appreciations', { items: ALEX_LIST }],
      ['b', 'appreciations', { items: SAM_LIST }],
    ]);
  });

  it('asks for exactly three, kindly, and a list of two or four changes nothing', () => {
    const s = couple(flow);
    const before = s.context();
    expect(s.check({ items: ALEX_LIST.slice(0, 2) })).toEqual({
      ok: false,
      message: 'Please write exactly 3, one per line.',
    });
    expect(s.check({ items: [...ALEX_LIST, 'One more'] })).toEqual({
      ok: false,
      message: 'Please keep it to 3, one per line.',
    });
    expect(s.context()).toEqual(before);
    expect(s.check({ items: ALEX_LIST })).toEqual({ ok: true, value: { items: ALEX_LIST } });
  });

  it('shows each the other’s list by name, and each line on reading it reaches the other at once', () => {
    const s = listed();
    expect(s.quotes()).toEqual([
      ['What Alex appreciated about Sam', ALEX_LIST.map((item) => `• ${item}`).join('\n')],
      ['What Sam appreciated about Alex', SAM_LIST.map((item) => `• ${item}`).join('\n')],
    ]);
    expect(s.text()).toBe(
      'Take a moment with what your partner wrote about you. In a line, how did it feel to read it?',
    );
    s.say('b', 'howItFelt', { text: 'I smiled all the way through.' });
    // Open, not sealed: Alex reads Sam's line before writing their own.
    expect(s.readable().at(-1)).toEqual(['b', 'howItFelt', { text: 'I smiled all the way through.' }]);
    expect(s.prompt().awaiting).toEqual(['a']);
  });

  it('makes no promise, and always offers to come back, whatever was written', () => {
    const s = felt();
    expect(flow.promises(s.context())).toEqual([]);
    expect(flow.followUp).toBe('again');
    expect(s.prompt().step).toBe(FOLLOW_UP_STEP);
  });
});

describe('gratitude: the summary', () => {
  it('holds every answer in full, by name, and puts the lists and the lines first', () => {
    const s = felt();
    s.followUp('1w', '2w');
    const summary = s.summary();
    expect(summary.outcome).toBe('You went through every step together.');
    expect(summary.highlights).toEqual([
      { title: 'What Alex appreciated about Sam', lines: ALEX_LIST },
      { title: 'What Sam appreciated about Alex', lines: SAM_LIST },
      {
        title: 'How it felt to read them',
        lines: ['Alex: Warm. I did not know you noticed the biscuit.', 'Sam: I smiled all the way through.'],
      },
      // The sooner of the two times.
      { title: 'Next time', lines: ['Mend will start your next “Gratitude” in a week.'] },
    ]);
    expect(summary.steps.map((step) => [step.title, step.entries.map((e) => [e.by, e.text])])).toEqual([
      [
        'Three things each appreciated in the other — Alex and Sam',
        // Revealed together, in partner order, whoever wrote first.
        [
          ['Alex', ALEX_LIST.map((item) => `• ${item}`).join('\n')],
          ['Sam', SAM_LIST.map((item) => `• ${item}`).join('\n')],
        ],
      ],
      [
        'How it felt to read them — Alex and Sam',
        [
          ['Alex', 'Warm. I did not know you noticed the biscuit.'],
          ['Sam', 'I smiled all the way through.'],
        ],
      ],
      [
        'When to have the next one — Alex and Sam',
        [
          ['Alex', 'In a week'],
          ['Sam', 'In two weeks'],
        ],
      ],
    ]);
    expect(summary.nextStep).toMatch(/tell them the same day/);
  });

  it('says nothing of a next time when both chose not for now', () => {
    const s = felt();
    s.followUp('none');
    expect(s.summary().highlights.map((h) => h.title)).not.toContain('Next time');
  });

  it('ended before the lists were both in: the one written stays private, and no next time is asked', () => {
    const s = couple(flow);
    s.say('a', 'appreciations', { items: ALEX_LIST });
    s.send({ type: 'END', by: 'b', at: 5, step: 'appreciations' });
    expect(s.status()).toBe('ended');
    const summary = s.summary();
    expect(summary.outcome).toBe('Sam ended the conversation at “Three things you appreciated”.');
    expect(summary.unrevealed).toEqual(['Alex answered “Three things you appreciated”; it stays private.']);
    expect(JSON.stringify(summary)).not.toContain(ALEX_LIST[0]);
    expect(summary.highlights).toEqual([]);
    expect(answersTo(s.context(), FOLLOW_UP_STEP)).toEqual([]);
  });

  it('a list skipped after a safety pause leaves only the other to read, and nothing empty in the summary', () => {
    const s = couple(flow);
    s.say('a', 'appreciations', { items: ALEX_LIST });
    // The engine makes a skip's answer itself (no partner can type one).
    s.send({ type: 'ANSWER', by: 'b', step: 'appreciations', value: { skipped: true } });
    expect(s.quotes()).toEqual([['What Alex appreciated about Sam', ALEX_LIST.map((i) => `• ${i}`).join('\n')]]);
    expect(s.text()).toBe('Take a moment with what was written. In a line, how did it feel?');
    s.both('howItFelt', { text: 'Glad.' }, { text: 'Touched.' });
    s.followUp('none');
    expect(s.summary().highlights.map((h) => h.title)).toEqual([
      'What Alex appreciated about Sam',
      'How it felt to read them',
    ]);
  });
});

describe('gratitude: gentle, and within what Discord shows', () => {
  it('every prompt fits Discord, names people rather than roles, and gives one short reason', () => {
    const s = couple(flow);
    const r = recorder(s);
    r.both('appreciations', { items: ALEX_LIST }, { items: SAM_LIST });
    r.both('howItFelt', { text: 'Lovely.' }, { text: 'Seen.' });
    r.both(FOLLOW_UP_STEP, { choice: '1m' }, { choice: '1m' });
    expect(r.seen.map((x) => x.prompt.step)).toEqual(['appreciations', 'howItFelt', FOLLOW_UP_STEP]);
    for (const { prompt, fill } of r.seen) expectFitsDiscord(prompt, fill);
    expect(longReasons(flow, s.context())).toEqual([]);
  });

  it('nothing it says counts, compares or keeps score', () => {
    const s = felt();
    s.followUp('3d');
    const said = [
      flow.title,
      flow.description,
      ...[...flow.steps.values()].flatMap((p) => [p.title, typeof p.why === 'string' ? p.why : '']),
      JSON.stringify(s.summary()),
    ];
    for (const words of said) expect(words).not.toMatch(KEEPING_SCORE);
  });
});
