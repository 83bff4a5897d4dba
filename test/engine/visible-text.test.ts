/**
 * What a person can see in a piece of text: an answer of zero-width characters looks empty, so it
 * is empty; a letter with its accent, or an emoji built of several code points, is one character.
 */
import { describe, expect, it } from 'vitest';
import { trimInvisible, visibleLength } from '../../src/engine/visible-text.js';

const ZWSP = '\u200b';
const ZWNJ = '\u200c';
const ZWJ = '\u200d';
const LRM = '\u200e';
const RLM = '\u200f';
const BOM = '\ufeff';
const WORD_JOINER = '\u2060';
const ACUTE = '\u0301';
const HANGUL_FILLER = '\u3164';
const FAMILY = '👨‍👩‍👧';

describe('visibleLength: what a reader would count', () => {
  it.each<[string, string, number]>([
    ['nothing', '', 0],
    ['plain letters', 'abc', 3],
    ['plain spaces', '   ', 0],
    ['spaces between words (not counted)', 'a b', 2],
    ['tabs, line breaks, a no-break and an ideographic space', '\t\n\u00a0\u3000', 0],
    ['a zero-width space', ZWSP, 0],
    ['zero-width spaces between letters', `a${ZWSP}b${ZWSP}`, 2],
    ['a zero-width joiner', ZWJ, 0],
    ['a zero-width non-joiner', ZWNJ, 0],
    ['a word joiner', WORD_JOINER, 0],
    ['left-to-right and right-to-left marks', `${LRM}${RLM}${LRM}`, 0],
    ['a byte-order mark', BOM, 0],
    ['a soft hyphen', '\u00ad', 0],
    ['an invisible tag character', '\u{E0041}', 0],
    ['a combining mark alone', ACUTE, 0],
    ['several combining marks alone', `${ACUTE}\u0308\u0327`, 0],
    ['a combining mark on a letter (one character)', `e${ACUTE}`, 1],
    ['a precomposed accented letter', 'é', 1],
    ['a variation selector alone', '\ufe0f', 0],
    ['an emoji with its variation selector', '❤️', 1],
    ['an emoji ZWJ sequence (one character)', FAMILY, 1],
    ['an emoji with a skin tone', '👍🏽', 1],
    ['a flag', '🇫🇷', 1],
    ['the Hangul filler', HANGUL_FILLER, 0],
    ['the Hangul choseong, jungseong and halfwidth fillers', '\u115f\u1160\uffa0', 0],
    ['the blank Braille pattern', '\u2800', 0],
    ['right-to-left text between its marks', `${RLM}שלום${RLM}`, 4],
  ])('%s → %i', (_, text, length) => {
    expect(visibleLength(text)).toBe(length);
  });
});

describe('trimInvisible: what cannot be seen at either end goes, what is between stays', () => {
  it.each<[string, string, string]>([
    ['plain spaces', '  hello  ', 'hello'],
    ['line breaks at the ends', '\n\nhello\n', 'hello'],
    ['zero-width spaces', `${ZWSP}hello${ZWSP}${ZWSP}`, 'hello'],
    ['leading joiners and non-joiners', `${ZWJ}${ZWNJ}hi`, 'hi'],
    ['direction marks', `${RLM}שלום${RLM}`, 'שלום'],
    ['a byte-order mark', `${BOM}hi`, 'hi'],
    ['Hangul fillers', `${HANGUL_FILLER}hi${HANGUL_FILLER}`, 'hi'],
    ['a lone combining mark at the start', `${ACUTE}abc`, 'abc'],
    ['a combining mark on a leading space', ` ${ACUTE}abc`, 'abc'],
    ['nothing but invisible characters', ` ${ZWSP}${ZWJ}${LRM}${BOM}${HANGUL_FILLER}${ACUTE} `, ''],
  ])('%s', (_, text, trimmed) => {
    expect(trimInvisible(text)).toBe(trimmed);
  });

  it.each<[string, string]>([
    ['a zero-width space between letters', `a${ZWSP}b`],
    ['a blank line between paragraphs', 'a\n\nb'],
    ['spaces between words', 'we  talk'],
    ['an accent on the last letter', `cafe${ACUTE}`],
    ['an accent on the first letter', `e${ACUTE}cole`],
  ])('keeps %s as typed', (_, text) => {
    expect(trimInvisible(text)).toBe(text);
  });

  // BUG (visible-text.ts trims whole grapheme clusters, and a trailing ZWJ or ZWNJ belongs to the
  // cluster of the letter before it): "hi" followed by a zero-width (non-)joiner keeps the invisible
  // character at its end, though the doc says what cannot be seen at the end goes. Harmless for
  // counting, but the stored answer is not what it looks like.
  it('drops a zero-width joiner or non-joiner at the end, after a letter', () => {
    expect(trimInvisible(`hi${ZWNJ}`)).toBe('hi');
    expect(trimInvisible(`hi${ZWJ}${ZWJ}`)).toBe('hi');
  });

  it('never splits an emoji sequence, at an end or in the middle', () => {
    expect(trimInvisible(`${ZWSP}${FAMILY}${ZWSP}`)).toBe(FAMILY);
    expect(trimInvisible(` ${FAMILY} and ${FAMILY} `)).toBe(`${FAMILY} and ${FAMILY}`);
    expect(trimInvisible('👍🏽')).toBe('👍🏽');
  });

  it('leaves the visible length as it was', () => {
    for (const text of [`${ZWSP} a${ZWSP}b ${RLM}`, ` ${FAMILY} `, `\n e${ACUTE} \n`]) {
      expect(visibleLength(trimInvisible(text))).toBe(visibleLength(text));
    }
  });
});
