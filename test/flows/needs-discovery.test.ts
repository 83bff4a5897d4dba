/**
 * "Needs discovery", driven step by step as two partners would. The model test walks every path;
 * these pin down what belongs to this flow: every question answered by both and sealed, guesses
 * held back until the real answers to "wants" are in and then shown beside them, an offer after
 * each reveal to say back what was heard (taken up only when both choose it), and one need each
 * chooses to act on.
 */

import { describe, expect, it } from 'vitest';
import flow, { NEEDS, REFLECT_OPTIONS } from '../../flows/needs-discovery.js';
import { answersTo } from '../../src/engine/answers.js';
import { type AnswerValue, emptyContext, type FlowContext, type PartnerId } from '../../src/engine/flow-types.js';
import { DEFAULT_SEALED_NOTE } from '../../src/engine/prompt.js';
import { newlyReadable } from '../../src/engine/visibility.js';
import { type Couple, couple, expectFitsDiscord, longReasons, recorder } from './couple.js';

/** The questions both answer, in order; each but the last two is followed by an offer to reflect. */
const QUESTIONS = ['guess', 'interests', 'likes', 'wants', 'expects', 'grow', 'compare', 'act'];
const REFLECTED = new Set(['interests', 'likes', 'wants', 'expects', 'grow']);
/** Reflections a partner may give of one answer (the flow's REFLECTIONS). */
const REFLECTIONS = 2;

const VALUES: Record<string, Record<PartnerId, AnswerValue>> = {
  guess: {
    a: { text: 'Sam needs more quiet evenings', picks: ['calm', 'companionship'] },
    b: { text: 'Alex needs to hear the truth', picks: ['honesty'] },
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

const answerOf = (step: string, by: PartnerId, values = VALUES): AnswerValue =>
  values[step]?.[by] ?? { text: `${by === 'a' ? 'Alex' : 'Sam'} on ${step}` };

/** Both answer every question up to (not including) `stop`, going on at every offer to reflect. */
function runUntil(stop: string, values = VALUES): Couple {
  const s = couple(flow);
  for (const step of QUESTIONS) {
    if (step === stop) break;
    s.both(step, answerOf(step, 'a', values), answerOf(step, 'b', values));
    if (REFLECTED.has(step)) s.both(`${step}Reflect.offer`, { choice: 'goOn' });
  }
  return s;
}

const texts = (context: FlowContext, step: string) => answersTo(context, step).map((a) => [a.by, a.value.text]);

describe('needs discovery: the steps', () => {
  it('starts with a guess and asks both partners every question, sealed, each followed by an offer to reflect', () => {
    const s = couple(flow);
    const visited: string[] = [];
    // Up to the kit's own last step (when to check in), which is open, not sealed.
    while (s.prompt().step !== 'followUp') {
      const p = s.prompt();
      expect(p, p.step).toMatchObject({ both: true, sealed: true, awaiting: ['a', 'b'] });
      visited.push(p.step);
      const value: AnswerValue = p.step.endsWith('.offer') ? { choice: 'goOn' } : { text: 'an answer' };
      s.both(p.step, value);
    }
    expect(visited).toEqual([
      'guess',
      'interests',
      'interestsReflect.offer',
      'likes',
      'likesReflect.offer',
      'wants',
      'wantsReflect.offer',
      'expects',
      'expectsReflect.offer',
      'grow',
      'growReflect.offer',
      'compare',
      'act',
    ]);
  });

  it('frames the guess with the premise that neither knows the other fully yet', () => {
    expect(couple(flow).text()).toBe(
      'Most of us know each other less well than we think. What do you guess your partner needs from you most right now?',
    );
  });

  it('offers a needs picker on the guess, the wants and the choice of what to act on', () => {
    const withPicker = [...flow.steps.entries()]
      .filter(([, spec]) => spec.input.kind === 'text' && spec.input.picker)
      .map(([id]) => id);
    expect(withPicker).toEqual(['guess', 'wants', 'act']);
    const act = flow.steps.get('act')?.input;
    expect(act?.kind === 'text' && act.picker?.max).toBe(1);
  });

  it('keeps the needs list within Discord’s limits, with short unique ids, after the CNVC groups', () => {
    expect(NEEDS.length).toBeLessThanOrEqual(25);
    expect(new Set(NEEDS.map((n) => n.value)).size).toBe(NEEDS.length);
    for (const need of NEEDS) {
      expect(need.value).toMatch(/^[a-z]{2,20}$/);
      expect(need.label.length).toBeLessThanOrEqual(80);
    }
    for (const category of ['Connection', 'Honesty', 'Play', 'Peace', 'Autonomy', 'Meaning', 'Well-being']) {
      expect(NEEDS.some((n) => n.label.startsWith(`${category}:`))).toBe(true);
    }
  });
});

describe('needs discovery: sealed answers', () => {
  it.each(QUESTIONS.filter((q) => q !== 'guess'))(
    'keeps the first answer to “%s” in pending, out of the answers, until the second arrives',
    (step) => {
      const s = runUntil(step);
      const before = s.context().answers.length;
      s.say('b', step, { text: 'first in' });
      expect(s.context().pending).toEqual({ b: { text: 'first in' } });
      expect(s.context().answers).toHaveLength(before);
      expect(s.prompt()).toMatchObject({ awaiting: ['a'], answered: ['b'], sealedNote: expect.any(String) });
      expect(s.readable().map(([, , value]) => value)).not.toContainEqual({ text: 'first in' });

      s.say('a', step, { text: 'second in' });
      expect(s.context().pending).toEqual({});
      expect(s.context().answers.slice(before)).toMatchObject([
        { step, by: 'a', value: { text: 'second in' } },
        { step, by: 'b', value: { text: 'first in' } },
      ]);
      expect(s.readable().slice(-2)).toEqual([
        ['a', step, { text: 'second in' }],
        ['b', step, { text: 'first in' }],
      ]);
    },
  );

  it('does not move on when the same partner answers twice', () => {
    const s = couple(flow);
    s.say('a', 'guess', { text: 'one' });
    s.send({ type: 'ANSWER', by: 'a', step: 'guess', value: { text: 'two' } });
    expect(s.prompt()).toMatchObject({ step: 'guess', awaiting: ['b'] });
    expect(s.context().answers).toEqual([]);
  });
});

describe('needs discovery: guesses held back until the real answers are in', () => {
  it('says, when asked, that the guesses appear only beside the real answers', () => {
    const s = couple(flow);
    expect(s.prompt().sealedNote).toBe(
      '🔒 Your guesses stay hidden until you have both said, a few questions on, what you would like; then each appears beside the real answer.',
    );
    expect(s.prompt().sealedNote).not.toBe(DEFAULT_SEALED_NOTE);
    expect(flow.steps.get('guess')?.revealWith).toBe('wants');
  });

  it('both guesses are kept, but neither can be read, nor is in the summary, until “wants” is answered by both', () => {
    const s = runUntil('wants');
    expect(texts(s.context(), 'guess')).toEqual([
      ['a', 'Sam needs more quiet evenings'],
      ['b', 'Alex needs to hear the truth'],
    ]);
    expect(s.readable().map(([, step]) => step)).not.toContain('guess');
    const summary = s.summary();
    expect(summary.steps.map((g) => g.step)).not.toContain('guess');
    expect(summary.unrevealed).toEqual([
      'Alex answered “Your guess first”; it stays private.',
      'Sam answered “Your guess first”; it stays private.',
    ]);

    s.say('a', 'wants', VALUES.wants?.a ?? {});
    expect(s.readable().map(([, step]) => step)).not.toContain('guess');
    const before = s.context();
    s.say('b', 'wants', VALUES.wants?.b ?? {});
    // Revealed together: each guess, then the answers it guessed at.
    expect(newlyReadable(flow, before, s.context()).map((a) => [a.step, a.by])).toEqual([
      ['guess', 'a'],
      ['guess', 'b'],
      ['wants', 'a'],
      ['wants', 'b'],
    ]);
    expect(s.summary().unrevealed).toEqual([]);
  });

  it('a conversation ended before “wants” keeps the guesses out of the highlights too', () => {
    const s = runUntil('likes');
    s.send({ type: 'END', by: 'a', at: 1 });
    expect(JSON.stringify(s.summary())).not.toContain('Sam needs more quiet evenings');
  });

  it('the compare step shows each guess beside the real answer, with names', () => {
    const s = runUntil('compare');
    expect(s.text()).toBe('Here is each guess beside the real answer. What stands out to you?');
    expect(s.quotes()).toEqual([
      ['Sam’s guess at what Alex needs', 'Honesty: the plain truth\nAlex needs to hear the truth'],
      [
        'What Alex would like, in their own words',
        'Honesty: openness about plans and choices, Honesty: the plain truth\nTell me where you are when plans change',
      ],
      [
        'Alex’s guess at what Sam needs',
        'Peace: calm and ease, Connection: time together\nSam needs more quiet evenings',
      ],
      [
        'What Sam would like, in their own words',
        'Connection: time together, Connection: closeness and affection\nSit with me after work, phones away',
      ],
    ]);
  });

  it('the choice of a need to act on quotes what each would like and counts on', () => {
    const s = runUntil('act');
    expect(s.quotes()).toEqual([
      [
        'What Alex would like',
        'Honesty: openness about plans and choices, Honesty: the plain truth\nTell me where you are when plans change',
      ],
      ['What Alex counts on', 'Alex on expects'],
      [
        'What Sam would like',
        'Connection: time together, Connection: closeness and affection\nSit with me after work, phones away',
      ],
      ['What Sam counts on', 'Sam on expects'],
    ]);
  });
});

describe('needs discovery: saying back what was heard, only when both choose it', () => {
  it('offers it, sealed, after each reveal; one “go on” is enough to go on', () => {
    const s = runUntil('interests');
    s.both('interests', { text: 'Climbing, and the garden' }, { text: 'Old films' });
    expect(s.prompt()).toMatchObject({ step: 'interestsReflect.offer', sealed: true, awaiting: ['a', 'b'] });
    expect(s.text()).toBe(
      'Would you like to say back to each other what you heard, before going on? It is optional: you do it only if you both want to.',
    );
    expect(s.options()).toEqual(REFLECT_OPTIONS.map((o) => o.value));
    s.say('a', 'interestsReflect.offer', { choice: 'reflect' });
    expect(s.readable().map(([, step]) => step)).not.toContain('interestsReflect.offer');
    s.say('b', 'interestsReflect.offer', { choice: 'goOn' });
    expect(s.prompt().step).toBe('likes');
    expect(answersTo(s.context(), 'interestsReflect.offer').map((a) => a.value.choice)).toEqual(['reflect', 'goOn']);
  });

  it('both choosing it: each says back the other’s answer, the other checks, each says what makes sense', () => {
    const s = runUntil('interests');
    s.both('interests', { text: 'Climbing, and the garden' }, { text: 'Old films' });
    s.both('interestsReflect.offer', { choice: 'reflect' });

    expect(s.prompt()).toMatchObject({ step: 'interestsReflect.aHears.reflect', awaiting: ['a'] });
    expect(s.text()).toBe(
      'In your own words, what did you hear Sam say? Say it back without explaining or defending; that can come later.',
    );
    expect(s.quotes()).toEqual([['Sam’s answer', 'Old films']]);
    s.say('a', 'interestsReflect.aHears.reflect', { text: 'You love old films.' });
    expect(s.prompt()).toMatchObject({ step: 'interestsReflect.aHears.check', awaiting: ['b'] });
    expect(s.text()).toBe('Did Alex get it, or is there more?');
    s.say('b', 'interestsReflect.aHears.check', { choice: 'yes' });
    expect(s.prompt()).toMatchObject({ step: 'interestsReflect.aHears.validate', awaiting: ['a'] });
    expect(s.text()).toBe(
      'What makes sense to you about what Sam said? You can understand it without agreeing with all of it.',
    );
    s.say('a', 'interestsReflect.aHears.validate', { text: 'They are a world to get lost in.' });

    expect(s.prompt()).toMatchObject({ step: 'interestsReflect.bHears.reflect', awaiting: ['b'] });
    expect(s.text()).toContain('what did you hear Alex say?');
    expect(s.quotes()).toEqual([['Alex’s answer', 'Climbing, and the garden']]);
    s.say('b', 'interestsReflect.bHears.reflect', { text: 'Climbing and the garden.' });
    s.say('a', 'interestsReflect.bHears.check', { choice: 'yes' });
    s.say('b', 'interestsReflect.bHears.validate', { text: 'Both get you outside.' });
    expect(s.prompt().step).toBe('likes');
  });

  it(`“There’s more” is bounded (${REFLECTIONS} reflections), and each partner gets their own rounds`, () => {
    const s = runUntil('interests');
    s.both('interests', { text: 'Climbing' }, { text: 'Old films' });
    s.both('interestsReflect.offer', { choice: 'reflect' });
    s.say('a', 'interestsReflect.aHears.reflect', { text: 'Films.' });
    s.say('b', 'interestsReflect.aHears.check', { choice: 'more', note: 'Black and white ones.' });
    expect(s.text()).toBe('Sam said there is more (below). Try once more: what did you hear?');
    expect(s.quotes()).toEqual([
      ['Sam’s answer', 'Old films'],
      ['What Sam added', 'Black and white ones.'],
    ]);
    s.say('a', 'interestsReflect.aHears.reflect', { text: 'Black and white films.' });
    expect(s.text()).toContain('this time');
    s.say('b', 'interestsReflect.aHears.check', { choice: 'more' });
    expect(s.prompt().step).toBe('interestsReflect.aHears.validate');
    s.say('a', 'interestsReflect.aHears.validate', { text: 'That makes sense.' });

    s.say('b', 'interestsReflect.bHears.reflect', { text: 'Climbing.' });
    expect(s.text()).toBe('Did Sam get it, or is there more?');
    s.say('a', 'interestsReflect.bHears.check', { choice: 'more' });
    expect(s.text()).toBe('Alex feels there is more to it. Try once more: what did you hear?');
    expect(s.prompt().step).toBe('interestsReflect.bHears.reflect');
  });

  it('the summary heads each reflection with who heard whom, and keeps them in order', () => {
    const s = runUntil('likes');
    s.both('likes', { text: 'Your cooking' }, { text: 'Your laugh' });
    s.both('likesReflect.offer', { choice: 'reflect' });
    s.say('a', 'likesReflect.aHears.reflect', { text: 'My laugh.' });
    s.say('b', 'likesReflect.aHears.check', { choice: 'yes' });
    s.say('a', 'likesReflect.aHears.validate', { text: 'Makes sense.' });
    s.say('b', 'likesReflect.bHears.reflect', { text: 'My cooking.' });
    s.say('a', 'likesReflect.bHears.check', { choice: 'yes' });
    s.say('b', 'likesReflect.bHears.validate', { text: 'Makes sense.' });
    const titles = s
      .summary()
      .steps.filter((g) => g.step.startsWith('likesReflect.'))
      .map((g) => g.title);
    expect(titles).toEqual([
      'Say back what they heard about “What you like”? — Alex and Sam',
      'What Alex heard about what Sam likes',
      'Sam on what Alex heard about what Sam likes',
      'What makes sense to Alex about what Sam likes',
      'What Sam heard about what Alex likes',
      'Alex on what Sam heard about what Alex likes',
      'What makes sense to Sam about what Alex likes',
    ]);
  });
});

describe('needs discovery: the summary', () => {
  function fullRun(values = VALUES): Couple {
    const s = runUntil('none', values);
    s.followUp();
    expect(s.snapshot().value).toBe('completed');
    return s;
  }

  it('tables each guess beside the real answer, and notes needs named in both', () => {
    const table = fullRun()
      .highlights()
      .find((h) => h.table);
    expect(table?.title).toBe('Each guess beside the real answer');
    expect(table?.table).toEqual({
      columns: ['Needs of', 'Guessed by their partner', 'In their own words'],
      rows: [
        [
          'Alex',
          'Honesty: the plain truth\nAlex needs to hear the truth',
          'Honesty: openness about plans and choices, Honesty: the plain truth\nTell me where you are when plans change',
        ],
        [
          'Sam',
          'Peace: calm and ease, Connection: time together\nSam needs more quiet evenings',
          'Connection: time together, Connection: closeness and affection\nSit with me after work, phones away',
        ],
      ],
    });
    expect(table?.lines).toEqual([
      'Named both in the guess and by Alex: Honesty: the plain truth.',
      'Named both in the guess and by Sam: Connection: time together.',
    ]);
  });

  it('highlights the need each partner chose to act on, by its label, with what they will do', () => {
    expect(
      fullRun()
        .highlights()
        .find((h) => h.title === 'The one need each chose to act on')?.lines,
    ).toEqual([
      'Alex chose Sam’s need “Connection: time together”: Phones in the drawer from eight',
      'Sam chose Alex’s need “Honesty: openness about plans and choices”: A message whenever my plans change',
    ]);
  });

  it('keeps a choice without a picked need, in the partner’s own words', () => {
    const act = { a: { text: 'Not sure yet' }, b: VALUES.act?.b ?? {} };
    const lines = fullRun({ ...VALUES, act })
      .highlights()
      .find((h) => h.title.startsWith('The one need'))?.lines;
    expect(lines?.[0]).toBe('Alex, for Sam’s needs: Not sure yet');
  });

  it('an answer still sealed when the session ended stays out of the highlights', () => {
    const s = runUntil('act');
    s.say('a', 'act', { text: 'sealed, never revealed' });
    s.send({ type: 'END', by: 'b', at: 1 });
    const summary = s.summary();
    expect(summary.highlights.map((h) => h.title)).toEqual(['Each guess beside the real answer']);
    expect(JSON.stringify(summary)).not.toContain('sealed, never revealed');
    expect(summary.unrevealed).toEqual(['Alex answered “One need to act on”; it stays private.']);
    expect(summary.outcome).toBe('Sam ended the conversation.');
  });

  it('keeps every answer in the order given, with unique headings that name both', () => {
    const steps = fullRun().summary().steps;
    expect(steps.map((g) => g.title)).toEqual([
      'Each one’s guess at what the other needs — Alex and Sam',
      'What draws each of them — Alex and Sam',
      'Say back what they heard about “What draws you”? — Alex and Sam',
      'What each likes the other to do — Alex and Sam',
      'Say back what they heard about “What you like”? — Alex and Sam',
      'What each would like from the other — Alex and Sam',
      'Say back what they heard about “What you’d like from them”? — Alex and Sam',
      'What each counts on — Alex and Sam',
      'Say back what they heard about “What you count on”? — Alex and Sam',
      'How each would like the relationship to grow — Alex and Sam',
      'Say back what they heard about “How you’d like to grow”? — Alex and Sam',
      'What stood out — Alex and Sam',
      'The need each chose to act on — Alex and Sam',
      'When to check in — Alex and Sam',
    ]);
    expect(steps.every((g) => g.entries.map((e) => e.by).join() === 'Alex,Sam')).toBe(true);
  });
});

describe('needs discovery: the prompts themselves', () => {
  it('fit Discord, ask one question, and use names rather than role labels', () => {
    const s = couple(flow);
    const r = recorder(s);
    for (const step of QUESTIONS) {
      r.both(step, answerOf(step, 'a'), answerOf(step, 'b'));
      if (!REFLECTED.has(step)) continue;
      const choice = step === 'wants' ? 'reflect' : 'goOn';
      r.both(`${step}Reflect.offer`, { choice });
      if (choice !== 'reflect') continue;
      for (const [listener, speaker] of [
        ['a', 'b'],
        ['b', 'a'],
      ] as const) {
        const at = `${step}Reflect.${listener}Hears`;
        r.say(listener, `${at}.reflect`, { text: 'What I heard.' });
        r.say(speaker, `${at}.check`, { choice: 'more', note: 'And more.' });
        r.say(listener, `${at}.reflect`, { text: 'What I heard, and more.' });
        r.say(speaker, `${at}.check`, { choice: 'yes' });
        r.say(listener, `${at}.validate`, { text: 'That makes sense.' });
      }
    }
    r.both('followUp', { choice: 'none' });
    expect(s.snapshot().value).toBe('completed');
    const seen = new Set(r.seen.map((x) => x.prompt.step));
    const expected = [...flow.steps.keys()].filter(
      (id) => !/^(interests|likes|expects|grow)Reflect\.[ab]Hears/.test(id),
    );
    expect(seen).toEqual(new Set(expected));
    for (const { prompt, fill } of r.seen) {
      expectFitsDiscord(prompt, fill);
      expect(fill(prompt.text), prompt.step).not.toMatch(/counsel/i);
    }
    expect(longReasons(flow, emptyContext())).toEqual([]);
  });
});
