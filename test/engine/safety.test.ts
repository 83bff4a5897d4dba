/**
 * The harm screen: disclosures of violence, abuse, coercion and self-harm are caught however they
 * are cased, accented, spaced or misspelt; ordinary hurt language is left alone. Each table row is
 * a reason to keep a phrase (or an idiom) in safety-phrases.json.
 */
import { describe, expect, it } from 'vitest';
import { expandPhrase, HARM_CATEGORIES, type HarmCategory, screenForHarm } from '../../src/engine/safety.js';
import data from '../../src/engine/safety-phrases.json' with { type: 'json' };

const mustHit: [string, HarmCategory][] = [
  // Self-harm, including misspellings and spacing.
  ['I want to hurt myself', 'self-harm'],
  ['sometimes I hurt my self', 'self-harm'],
  ['I want to kil myself', 'self-harm'],
  ['I could kill my self', 'self-harm'],
  ['I think about killing myself', 'self-harm'],
  ['i wanna kill myslef', 'self-harm'],
  ['I have thought about suicide', 'self-harm'],
  ['SUÏCIDE', 'self-harm'],
  ['I was sucidal last year', 'self-harm'],
  ['I feel suicidal', 'self-harm'],
  ['I have thought about how to end my life', 'self-harm'],
  ['I self harm', 'self-harm'],
  ['I used to self-harm', 'self-harm'],
  ['selfharm', 'self-harm'],
  ["I've started cutting myself again", 'self-harm'],
  ["I don't want to live anymore", 'self-harm'],
  ['i dont want to be alive', 'self-harm'],
  ['I don’t want to live', 'self-harm'],
  ['Honestly I would be better off dead', 'self-harm'],
  ['everyone would be better off without me', 'self-harm'],
  ['I want to die', 'self-harm'],
  ['I took a bunch of pills', 'self-harm'],
  // Violence.
  ['he hits me', 'violence'],
  ['He hit me.', 'violence'],
  ['Hé hit me', 'violence'],
  ['HE HIT ME LAST NIGHT', 'violence'],
  ['she has hit me before', 'violence'],
  ['he slapped me', 'violence'],
  ['he slaped me across the face', 'violence'],
  ['he choked me', 'violence'],
  ['she chocked me', 'violence'],
  ['he strangled me', 'violence'],
  ['he stragled me', 'violence'],
  ['he beats me when he drinks', 'violence'],
  ['she beat me up', 'violence'],
  ['he pushed me down the stairs', 'violence'],
  ['he threw me against the wall', 'violence'],
  ['he put his hands around my neck', 'violence'],
  ['he threatens to kill me', 'violence'],
  ['she threatened to hurt me', 'violence'],
  ['he threatend to hurt the kids', 'violence'],
  ["he said he'd kill me", 'violence'],
  ['I’m scared he’ll kill me if I leave', 'violence'],
  ['I am afraid for my life', 'violence'],
  ['I am scared he will hurt me', 'violence'],
  ['im scared she will hurt me', 'violence'],
  ["I'm terrified of what he'll do.", 'violence'],
  ['il me frappe', 'violence'],
  ['Il m’a frappé', 'violence'],
  ['me frappé', 'violence'],
  // Abuse.
  ['he raped me', 'abuse'],
  ['RAPE', 'abuse'],
  ['I was sexually assaulted', 'abuse'],
  ['it was sexual assault', 'abuse'],
  ['he forced himself on me', 'abuse'],
  ['she made me have sex', 'abuse'],
  ['he abuses me', 'abuse'],
  ['he is emotionally abusive', 'abuse'],
  // Coercion.
  ['he forces me to do things', 'coercion'],
  ['he forced me to give him my password', 'coercion'],
  ["he won't let me leave", 'coercion'],
  ['he wont let me leave the house', 'coercion'],
  ["she doesn't let me see my friends", 'coercion'],
  ['he takes my phone', 'coercion'],
  ['he took my phone away', 'coercion'],
  ['he controls my money', 'coercion'],
  ['she controls all my money', 'coercion'],
  ["I'm not allowed to have my own money", 'coercion'],
  ['he locks me in', 'coercion'],
  ['she threatens me', 'coercion'],
  ['he cut me off from my family', 'coercion'],
  // Spacing, punctuation and case.
  ['he   HIT   me!!!', 'violence'],
  ['he... hit me', 'violence'],
  ['Kill-my-self', 'self-harm'],
  ['SeLf HaRm', 'self-harm'],
];

const mustNotHit: string[] = [
  // The brief's ordinary hurt language.
  'I felt crushed',
  'you killed the mood',
  'that joke killed me',
  'I was dying to tell you',
  'it hurts when you ignore me',
  'my heart broke',
  'I could kill for a coffee',
  'you hit the nail on the head',
  'we fought about money',
  // More of the same, as couples write it.
  'You broke my heart and I felt gutted.',
  'it killed me to see you with her',
  'this is killing me',
  'my mum will kill me if she finds out',
  'you hurt me so much',
  'I felt pushed aside, you pushed me away',
  'It felt like a slap in the face',
  'you stabbed me in the back',
  'it choked me up',
  'Then it hit me that I was wrong.',
  'it really hit me when you left',
  'losing your trust hit me hard',
  'hit me up when you are free',
  'we hit a rough patch',
  'Beats me.',
  'Honestly? Beats me.',
  'beats me why you did it',
  'you beat me to it',
  'she always beats me at chess',
  'I beat myself up about it',
  'I could kick myself',
  'that would be career suicide',
  "you can't force me to trust you",
  'nobody forced me to do it, I chose it',
  'covid forced me to work from home',
  "I don't want to live like this anymore",
  "I don't want to die alone",
  'I wanted to die of embarrassment',
  'I nearly killed myself laughing',
  'you can take my phone whenever you want',
  'I need to control my money better',
  'the affair hurt the kids',
  "I'm afraid to tell you the truth",
  "I'm scared you'll leave me",
  "I'm afraid she'll hurt my feelings",
  'you locked me out of your life',
  'the baby kicked me all night',
  'we watched a violent film',
  'I had a glass of grape juice',
  'my phone was taken at the airport',
  'we should split the bills',
  'I felt threatened by your friendship with her',
  '',
  '   ',
  '🙂',
];

describe('screenForHarm', () => {
  it.each(mustHit)('catches %j as %s', (text, category) => {
    expect(screenForHarm(text)).toEqual({ hit: true, category });
  });

  it.each(mustNotHit)('leaves %j alone', (text) => {
    expect(screenForHarm(text)).toEqual({ hit: false });
  });

  it('finds a disclosure inside a long answer', () => {
    const filler = 'We talked about the week and what went well. '.repeat(80);
    expect(screenForHarm(`${filler}Then he slapped me. ${filler}`)).toEqual({ hit: true, category: 'violence' });
  });

  it('still catches a disclosure next to an idiom that is ignored', () => {
    expect(screenForHarm('It hit me that he hit me again.')).toEqual({ hit: true, category: 'violence' });
    expect(screenForHarm('Beats me. He beats me.')).toEqual({ hit: true, category: 'violence' });
  });

  it('does not run a phrase across a sentence break', () => {
    expect(screenForHarm('I wanted a hit. Me too, said Sam.')).toEqual({ hit: false });
  });

  it('names self-harm first when an answer speaks of more than one thing', () => {
    expect(screenForHarm('he controls my money and hits me and I want to die')).toEqual({
      hit: true,
      category: 'self-harm',
    });
    expect(screenForHarm('he controls my money and hits me')).toEqual({ hit: true, category: 'violence' });
  });

  it('screens a 4000-character answer quickly', () => {
    const answer = 'I felt crushed when I found the messages, and I need time. '.repeat(70).slice(0, 4000);
    const started = performance.now();
    for (let i = 0; i < 10; i++) screenForHarm(answer);
    expect((performance.now() - started) / 10).toBeLessThan(50);
  });
});

describe('safety-phrases.json', () => {
  type Entry = { phrase: string; why: string };
  const categories = data.categories as Record<string, Entry[]>;

  it('says what it is and what it cannot do', () => {
    const about = data._about.join(' ');
    expect(about).toMatch(/misses things/);
    expect(about).toMatch(/no substitute for care/);
  });

  it('has exactly the four categories, each entry with a phrase and a reason', () => {
    expect(Object.keys(categories).sort()).toEqual([...HARM_CATEGORIES].sort());
    for (const entry of [...Object.values(categories).flat(), ...data.notHarm]) {
      expect(Object.keys(entry).sort()).toEqual(['phrase', 'why']);
      expect(entry.why.length).toBeGreaterThan(5);
    }
  });

  it('expands every phrase into plain word sequences', () => {
    for (const { phrase } of [...Object.values(categories).flat(), ...data.notHarm]) {
      const variants = expandPhrase(phrase);
      expect(variants.length).toBeGreaterThan(0);
      for (const variant of variants) expect(variant).not.toMatch(/[()|]/);
    }
    expect(expandPhrase('(a|b) c (|d)')).toEqual(['a c', 'a c d', 'b c', 'b c d']);
    expect(expandPhrase('x (p|q (r|s)) y')).toEqual(['x p y', 'x q r y', 'x q s y']);
    expect(() => expandPhrase('(a|b')).toThrow(/unclosed bracket/);
  });

  it('catches every harm phrase as written (the first variant of each)', () => {
    for (const [category, entries] of Object.entries(categories)) {
      for (const { phrase } of entries) {
        const first = expandPhrase(phrase)[0]!;
        expect(screenForHarm(first), first).toEqual({ hit: true, category: expect.any(String) });
        // The category is this one or an earlier one (the same words can be listed twice).
        const found = screenForHarm(first).category!;
        expect(HARM_CATEGORIES.indexOf(found), first).toBeLessThanOrEqual(
          HARM_CATEGORIES.indexOf(category as HarmCategory),
        );
      }
    }
  });

  it('keeps fuzzy words long and distinct', () => {
    for (const word of data.fuzzy.words) expect(word.length).toBeGreaterThanOrEqual(5);
    expect(new Set(data.fuzzy.words).size).toBe(data.fuzzy.words.length);
  });
});
