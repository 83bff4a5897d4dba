/**
 * What a person can see in a piece of text. An answer made only of spaces, zero-width spaces and
 * joiners, direction marks or combining marks on nothing looks empty, so it counts as empty; and a
 * minimum length counts what can be seen (a letter with its accent is one character, as is an
 * emoji made of several code points).
 */

/**
 * Code points that show nothing by themselves: Unicode spaces and line breaks, format characters
 * (zero-width space and joiners, direction marks, the byte-order mark, tags), marks (accents,
 * variation selectors), and the blank letters and signs often used to fake an empty name (Hangul
 * fillers, the blank Braille pattern).
 */
const INVISIBLE = /^[\p{White_Space}\p{Z}\p{Cf}\p{M}\u115F\u1160\u3164\uFFA0\u2800]$/u;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** A user-perceived character that shows something: at least one of its code points is visible. */
const isVisible = (cluster: string): boolean => {
  for (const codePoint of cluster) if (!INVISIBLE.test(codePoint)) return true;
  return false;
};

/** How many characters a reader would see. */
export function visibleLength(text: string): number {
  let count = 0;
  for (const { segment } of graphemes.segment(text)) if (isVisible(segment)) count++;
  return count;
}

/** Spaces and format characters at the end of a character (a joiner after the last letter): never a mark. */
const TRAILING = /[\p{White_Space}\p{Z}\p{Cf}\u115F\u1160\u3164\uFFA0\u2800]+$/u;

/** The text without what cannot be seen at its start and end; what is between stays as typed. */
export function trimInvisible(text: string): string {
  const clusters = [...graphemes.segment(text)].map((s) => s.segment);
  let start = 0;
  let end = clusters.length;
  while (start < end && !isVisible(clusters[start] ?? '')) start++;
  while (end > start && !isVisible(clusters[end - 1] ?? '')) end--;
  // A zero-width joiner typed after the last letter belongs to that letter's cluster; drop it too
  // (an accent on the letter stays: it is part of what is seen).
  return clusters.slice(start, end).join('').replace(TRAILING, '');
}
