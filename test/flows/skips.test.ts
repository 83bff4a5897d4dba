/**
 * A question skipped after a safety pause, in each flow: the answer `{ skipped: true }` is kept as
 * skipped, and what follows never builds on words that were not given — no reflection of nothing,
 * no "did they hear you?" about a skipped paraphrase, no answer to a question never asked, no items
 * from a skipped list, no empty quote, and a summary that says the question was skipped. (The engine
 * allows a skip only for the question a safety pause set aside; the machines must cope wherever.)
 */
import { describe, expect, it } from 'vitest';
import admitMistake from '../../flows/admit-mistake.js';
import groundRules, { BASE_RULES } from '../../flows/ground-rules.js';
import needsDiscovery from '../../flows/needs-discovery.js';
import tolerance, { itemRows } from '../../flows/tolerance-questions.js';
import { answersTo, SKIPPED_TEXT } from '../../src/engine/answers.js';
import type { PartnerId } from '../../src/engine/flow-types.js';
import { type Couple, couple } from './couple.js';

/** `by` skips the current step, as the engine does for whoever the step still awaits. */
function skip(s: Couple, by: PartnerId, step: string): void {
  const prompt = s.prompt();
  expect(prompt.step, `expected to be at ${step}`).toBe(step);
  expect(prompt.awaiting).toContain(by);
  s.send({ type: 'ANSWER', by, step, value: { skipped: true }, ...(prompt.about ? { about: prompt.about } : {}) });
}

/** The summary's entries for a step, as [who, what they read]. */
const entries = (s: Couple, step: string) =>
  s
    .summary()
    .steps.filter((x) => x.step === step)
    .flatMap((x) => x.entries.map((e) => [e.by, e.text]));

describe('admitting a mistake, with a question skipped', () => {
  function begin(): Couple {
    const s = couple(admitMistake);
    s.say('a', 'roles.propose', { choice: 'me' });
    s.say('b', 'roles.confirm', { choice: 'yes' });
    s.both('ready', { choice: 'ready' });
    return s;
  }

  it('a skipped admission goes on without a private review, and nothing later says it was named', () => {
    const s = begin();
    skip(s, 'a', 'admission');
    expect(s.prompt().step).toBe('impactGuess');
    s.say('a', 'impactGuess', { text: 'I think it made you feel alone.' });
    expect(s.prompt().step).toBe('impact');
    expect(s.text()).toBe('How did what happened affect you? Take all the room you need.');
    expect(s.quotes()).toEqual([]);
    expect(entries(s, 'admission')).toEqual([['Alex', SKIPPED_TEXT]]);
    expect(s.highlights().map((h) => h.title)).not.toContain('What Alex named');
  });

  it('a skipped impact is not reflected back: on to what would help', () => {
    const s = begin();
    s.say('a', 'admission', { text: 'I read your messages without asking, and I hid it.' });
    s.say('a', 'impactGuess', { text: 'I think it made you feel alone.' });
    skip(s, 'b', 'impact');
    expect(s.prompt().step).toBe('need');
  });

  it('a skipped reflection is not checked: on to what makes sense', () => {
    const s = begin();
    s.say('a', 'admission', { text: 'I read your messages without asking, and I hid it.' });
    s.say('a', 'impactGuess', { text: 'I think it made you feel alone.' });
    s.say('b', 'impact', { text: 'I stopped feeling safe writing anything.' });
    skip(s, 'a', 'mirror.reflect');
    expect(s.prompt().step).toBe('mirror.validate');
  });

  it('a skipped question is never answered, a skipped promise is not quoted, and the response says only what is true', () => {
    const s = begin();
    s.say('a', 'admission', { text: 'I read your messages without asking, and I hid it.' });
    s.say('a', 'impactGuess', { text: 'I think it made you feel alone.' });
    skip(s, 'b', 'impact');
    skip(s, 'b', 'need');
    expect(s.prompt().step).toBe('promise');
    expect(s.quotes()).toEqual([]);
    skip(s, 'a', 'promise');
    expect(s.prompt().step).toBe('response');
    expect(s.text()).toBe('Where are you with all of this right now?');
    expect(s.quotes().map(([label]) => label)).toEqual(['What Alex named']);
    s.say('b', 'response', { choice: 'question' });
    skip(s, 'b', 'question');
    expect(s.prompt().step).toBe('response');
    s.say('b', 'response', { choice: 'time', note: '' });
    expect(s.status()).toBe('completed');
    expect(entries(s, 'question')).toEqual([['Sam', SKIPPED_TEXT]]);
    expect(s.highlights().map((h) => h.title)).not.toContain('What Alex promised');
  });
});

describe('ground rules, with a question skipped', () => {
  function toTopic(): Couple {
    const s = couple(groundRules);
    s.both('ready', { choice: 'ready' });
    for (const rule of BASE_RULES) s.both(`rules.${rule.id}`, { choice: 'agree' });
    s.both('extras.propose', { choice: 'none' });
    return s;
  }

  it('a topic skipped by one is not quoted; the other’s stands', () => {
    const s = toTopic();
    s.say('a', 'topic', { text: 'How we split the money' });
    skip(s, 'b', 'topic');
    expect(s.prompt().step).toBe('talkMode');
    expect(s.quotes()).toEqual([['What Alex wants to talk about', 'How we split the money']]);
    expect(entries(s, 'topic')).toEqual([
      ['Alex', 'How we split the money'],
      ['Sam', SKIPPED_TEXT],
    ]);
    const topics = s.highlights().find((h) => h.title === 'What you wanted to talk about');
    expect(topics?.lines).toEqual(['Alex: How we split the money']);
  });

  it('a skipped paraphrase is not checked: the floor passes', () => {
    const s = toTopic();
    s.both('topic', { text: 'Money' });
    s.both('talkMode', { choice: 'floor' });
    s.say('b', 'floor.speak', { choice: 'said', note: 'I feel left out of the decisions.' });
    skip(s, 'a', 'floor.paraphrase');
    expect(s.prompt()).toMatchObject({ step: 'floor.speak', awaiting: ['a'] });
  });

  it('agreed points skipped by both end the talk, with no points claimed', () => {
    const s = toTopic();
    s.both('topic', { text: 'Money' });
    s.both('talkMode', { choice: 'free' });
    s.both('talkFree', { choice: 'finished' });
    skip(s, 'a', 'agreed');
    skip(s, 'b', 'agreed');
    // The rules they both agreed to are still promises: the kit asks when to check in.
    s.followUp();
    expect(s.status()).toBe('completed');
    expect(s.highlights().map((h) => h.title)).not.toContain('Points Alex agrees on');
    expect(entries(s, 'agreed')).toEqual([
      ['Alex', SKIPPED_TEXT],
      ['Sam', SKIPPED_TEXT],
    ]);
  });
});

describe('the tolerance questions, with a question skipped', () => {
  it('a skipped list has no items to answer: the round ends, and the swap is offered', () => {
    const s = couple(tolerance);
    s.both('ready', { choice: 'ready' });
    s.say('a', 'order.propose', { choice: 'me' });
    s.say('b', 'order.confirm', { choice: 'yes' });
    skip(s, 'a', 'list');
    expect(s.prompt().step).toBe('swap');
    expect(itemRows(s.context())).toEqual([]);
    expect(entries(s, 'list')).toEqual([['Alex', SKIPPED_TEXT]]);
  });

  it('a skipped reflection of an item goes on to what makes sense, then to question one', () => {
    const s = couple(tolerance);
    s.both('ready', { choice: 'ready' });
    s.say('a', 'order.propose', { choice: 'me' });
    s.say('b', 'order.confirm', { choice: 'yes' });
    s.say('a', 'list', { items: ['Plans made without me'] });
    skip(s, 'b', 'item.reflect');
    expect(s.prompt().step).toBe('item.validate');
    s.say('b', 'item.validate', { text: 'It makes sense that it hurts.' });
    expect(s.prompt()).toMatchObject({ step: 'change', about: 'Plans made without me' });
  });
});

describe('needs discovery, with a question skipped', () => {
  it('a skipped answer beside the other’s: both shown, and no offer to say back what was not said', () => {
    const s = couple(needsDiscovery);
    s.both('guess', { text: 'Time together.' });
    s.say('a', 'interests', { text: 'Climbing, and the garden.' });
    skip(s, 'b', 'interests');
    expect(s.prompt().step).toBe('likes');
    expect(answersTo(s.context(), 'interests').map((a) => [a.by, a.value])).toEqual([
      ['a', { text: 'Climbing, and the garden.' }],
      ['b', { skipped: true }],
    ]);
    expect(s.readable().filter(([, step]) => step === 'interests')).toHaveLength(2);
  });

  it('a skipped guess is not held back as if it were answered: the summary says it was skipped', () => {
    const s = couple(needsDiscovery);
    s.say('a', 'guess', { text: 'Time together.' });
    skip(s, 'b', 'guess');
    s.send({ type: 'END', by: 'a', at: 1 });
    // Alex's guess waits to be shown beside Sam's own answer, which never came; Sam's has nothing to wait for.
    expect(s.summary().unrevealed).toEqual(['Alex answered “Your guess first”; it stays private.']);
    expect(entries(s, 'guess')).toEqual([['Sam', SKIPPED_TEXT]]);
  });

  it('a skipped act chooses nothing, and the highlights say nothing for it', () => {
    const s = couple(needsDiscovery);
    for (const step of ['guess', 'interests']) s.both(step, { text: `Words for ${step}.` });
    s.both('interestsReflect.offer', { choice: 'goOn' });
    s.both('likes', { text: 'Words for likes.' });
    s.both('likesReflect.offer', { choice: 'goOn' });
    skip(s, 'a', 'wants');
    skip(s, 'b', 'wants');
    expect(s.prompt().step).toBe('expects');
    s.both('expects', { text: 'Words for expects.' });
    s.both('expectsReflect.offer', { choice: 'goOn' });
    s.both('grow', { text: 'Words for grow.' });
    s.both('growReflect.offer', { choice: 'goOn' });
    s.both('compare', { text: 'Words for compare.' });
    expect(s.prompt().step).toBe('act');
    expect(s.quotes().map(([label]) => label)).toEqual(['What Alex counts on', 'What Sam counts on']);
    s.say('a', 'act', { text: 'I will call at lunch.' });
    skip(s, 'b', 'act');
    s.followUp();
    expect(s.status()).toBe('completed');
    const chosen = s.highlights().find((h) => h.title === 'The one need each chose to act on');
    expect(chosen?.lines).toEqual(['Alex, for Sam’s needs: I will call at lunch.']);
    expect(entries(s, 'wants')).toEqual([
      ['Alex', SKIPPED_TEXT],
      ['Sam', SKIPPED_TEXT],
    ]);
  });
});
