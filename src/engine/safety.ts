/**
 * Screens an answer for words that speak of violence, abuse, coercion or self-harm, so the session
 * can pause (PRODUCT.md, "The Discord experience"). The phrases live in safety-phrases.json, a
 * reviewed data file whose header explains the rules and the limits: a phrase list misses things
 * and is no substitute for care.
 *
 * How it matches: answer and phrases are normalised alike (accents and case dropped, contractions
 * spelled out, punctuation turned into sentence boundaries), then each phrase is looked for as a
 * run of whole words. A phrase word also matches two answer words written together or apart
 * ("my self" / "myself", "selfharm" / "self harm"), and words the file marks as fuzzy also match
 * with one letter wrong (Damerau-Levenshtein 1). A match that lies wholly inside a listed idiom
 * ("it hit me that…", "beat me to it") is ignored.
 *
 * Pure and synchronous; nothing here logs, keeps or returns the answer's text.
 */
import { z } from 'zod';
import data from './safety-phrases.json' with { type: 'json' };

export const HARM_CATEGORIES = ['self-harm', 'violence', 'abuse', 'coercion'] as const;
export type HarmCategory = (typeof HARM_CATEGORIES)[number];

export interface HarmScreen {
  hit: boolean;
  /** When several match, the first of HARM_CATEGORIES (self-harm first: its resources differ most). */
  category?: HarmCategory;
}

/** A sentence boundary: never a word, so no phrase runs across one unless it asks to. */
const BOUNDARY = '.';
const MIN_FUZZY_LENGTH = 5;

// ---------------------------------------------------------------------------------------------
// Normalising

const APOSTROPHES = /[\u2018\u2019\u201B\u02BB\u02BC\u0060\u00B4\u2032\uFF07]/g;
/**
 * Contractions spelled out, in one pass: the whole words first (won't → will not), then the
 * endings (n't, 'll, 're, 've, 'm, 'd, 's). One regular expression with alternatives tried in that
 * order at each position gives what applying them one after another would.
 */
const CONTRACTION = /\b(won|can|shan|ai)'t\b|n't\b|(?<=[a-z])'(ll|re|ve|m|d|s)\b/g;
const WHOLE: Record<string, string> = { won: 'will not', can: 'can not', shan: 'shall not', ai: 'is not' };
const ENDING: Record<string, string> = { ll: ' will', re: ' are', ve: ' have', m: ' am', d: ' would', s: ' is' };
const spellOut = (_match: string, whole: string | undefined, ending: string | undefined): string =>
  whole !== undefined ? (WHOLE[whole] ?? '') : ending !== undefined ? (ENDING[ending] ?? '') : ' not';
/** The same contractions written without an apostrophe (only where the word is not also a word). */
const BARE_CONTRACTIONS = new Map<string, string>(
  Object.entries({
    dont: 'do not',
    doesnt: 'does not',
    didnt: 'did not',
    wont: 'will not',
    cant: 'can not',
    cannot: 'can not',
    wouldnt: 'would not',
    couldnt: 'could not',
    shouldnt: 'should not',
    isnt: 'is not',
    wasnt: 'was not',
    arent: 'are not',
    werent: 'were not',
    havent: 'have not',
    hasnt: 'has not',
    hadnt: 'had not',
    aint: 'is not',
    im: 'i am',
    ive: 'i have',
    youre: 'you are',
    theyre: 'they are',
    shes: 'she is',
    gonna: 'going to',
    wanna: 'want to',
    gotta: 'got to',
    tryna: 'trying to',
  }),
);
/** Sentence punctuation, brackets, quotes and line breaks: boundaries no phrase runs across. */
const BOUNDARY_CHARS = /[.!?;:,()[\]{}"\u201C\u201D\u201E\u00AB\u00BB\u2026\u2022|\r\n]+/g;

/** Text as a list of words and BOUNDARY marks, with no empty strings and no repeated boundary. */
function tokens(text: string): string[] {
  let s = text
    .replace(APOSTROPHES, "'")
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  if (s.includes("'")) s = s.replace(CONTRACTION, spellOut);
  s = s.replace(BOUNDARY_CHARS, ` ${BOUNDARY} `).replace(/[^\p{L}\p{N}.]+/gu, ' ');
  const out: string[] = [];
  for (const raw of s.split(' ')) {
    if (raw === '') continue;
    const words = BARE_CONTRACTIONS.get(raw)?.split(' ') ?? [raw];
    for (const word of words) {
      if (word === BOUNDARY && out[out.length - 1] === BOUNDARY) continue;
      out.push(word);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The phrase file

const entry = z.object({ phrase: z.string().min(1), why: z.string().min(1) }).strict();
const phraseFile = z.object({
  _about: z.array(z.string()),
  fuzzy: z.object({ why: z.string(), words: z.array(z.string().min(MIN_FUZZY_LENGTH)) }),
  categories: z.object({
    'self-harm': z.array(entry),
    violence: z.array(entry),
    abuse: z.array(entry),
    coercion: z.array(entry),
  }),
  notHarm: z.array(entry),
});

/** "(a|b) c (|d)" → ["a c", "b c", "a c d", "b c d"]; groups may nest. */
export function expandPhrase(phrase: string): string[] {
  let at = 0;
  const fail = (why: string): never => {
    throw new Error(`safety-phrases.json: ${why} in "${phrase}"`);
  };
  // sequence := (text | "(" sequence ("|" sequence)* ")")*, read left to right.
  const sequence = (): string[] => {
    let out = [''];
    while (at < phrase.length && phrase[at] !== '|' && phrase[at] !== ')') {
      if (phrase[at] === '(') {
        at++;
        const choices: string[] = [];
        for (;;) {
          choices.push(...sequence());
          if (phrase[at] === '|') at++;
          else if (phrase[at] === ')') break;
          else fail('an unclosed bracket');
        }
        at++;
        out = out.flatMap((head) => choices.map((choice) => `${head} ${choice} `));
      } else {
        const end = phrase.slice(at).search(/[()|]/);
        const text = end === -1 ? phrase.slice(at) : phrase.slice(at, at + end);
        at += text.length;
        out = out.map((head) => head + text);
      }
    }
    return out;
  };
  const variants = sequence();
  if (at !== phrase.length) fail(phrase[at] === ')' ? 'an unopened bracket' : 'a "|" outside brackets');
  return [...new Set(variants.map((variant) => variant.replace(/\s+/g, ' ').trim()))];
}

interface TrieNode {
  children: Map<string, TrieNode>;
  /** Two phrase words written as one ("selfharm") → where they lead; built once, after loading. */
  joined?: Map<string, TrieNode[]>;
  /** Set where a phrase ends: its category (harm) or true (not harm). */
  end?: HarmCategory | true;
}

const newNode = (): TrieNode => ({ children: new Map() });

function insert(root: TrieNode, words: string[], end: HarmCategory | true): void {
  let node = root;
  for (const word of words) {
    let next = node.children.get(word);
    if (!next) {
      next = newNode();
      node.children.set(word, next);
    }
    node = next;
  }
  // Two phrases ending at the same words: the earlier category in HARM_CATEGORIES wins.
  const earlier = (a: HarmCategory | true, b: HarmCategory | true) =>
    a === true || b === true || HARM_CATEGORIES.indexOf(a) < HARM_CATEGORIES.indexOf(b);
  if (node.end === undefined || earlier(end, node.end)) node.end = end;
}

function compile(list: { phrase: string }[], end: HarmCategory | true, root: TrieNode, vocabulary: Set<string>) {
  for (const { phrase } of list) {
    for (const variant of expandPhrase(phrase)) {
      const words = tokens(variant);
      if (words.length === 0 || words.every((w) => w === BOUNDARY)) {
        throw new Error(`safety-phrases.json: "${phrase}" has a choice with no words in it`);
      }
      insert(root, words, end);
      for (const word of words) if (word !== BOUNDARY) vocabulary.add(word);
    }
  }
}

const file = phraseFile.parse(data);
const harmRoot = newNode();
const notHarmRoot = newNode();
const vocabulary = new Set<string>();
for (const category of HARM_CATEGORIES) compile(file.categories[category], category, harmRoot, vocabulary);
compile(file.notHarm, true, notHarmRoot, vocabulary);

/** Precomputes every pair of consecutive phrase words written together, for each node. */
function joinPairs(node: TrieNode): void {
  for (const [first, child] of node.children) {
    for (const [second, grandchild] of child.children) {
      node.joined ??= new Map();
      const key = first + second;
      node.joined.set(key, [...(node.joined.get(key) ?? []), grandchild]);
    }
    joinPairs(child);
  }
}
joinPairs(harmRoot);
joinPairs(notHarmRoot);
const fuzzyWords = file.fuzzy.words.map((word) => {
  const [normal, ...rest] = tokens(word);
  if (!normal || rest.length > 0) throw new Error(`safety-phrases.json: fuzzy "${word}" must be one word`);
  return normal;
});

// ---------------------------------------------------------------------------------------------
// Matching

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps), capped at 2. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 1) return 2;
  // One edit touches at most two neighbouring letters: the rest must agree from either end.
  const longest = Math.max(a.length, b.length);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  ) {
    suffix++;
  }
  if (prefix + suffix < longest - 2) return 2;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > 1) return 2;
    before = previous;
    previous = current;
  }
  return Math.min(previous[b.length]!, 2);
}

/** Fuzzy words by length: a word can only be one edit from words one letter shorter or longer. */
const fuzzyByLength = new Map<number, string[]>();
for (const fuzzy of fuzzyWords) {
  const same = fuzzyByLength.get(fuzzy.length) ?? [];
  same.push(fuzzy);
  fuzzyByLength.set(fuzzy.length, same);
}

/**
 * What each answer word stands for, kept across calls: answers reuse the same words, and working
 * out a word's fuzzy matches is most of the cost of a screen. Bounded, so it cannot grow forever.
 */
const matchCache = new Map<string, readonly string[]>();
const MATCH_CACHE_LIMIT = 50_000;
const NO_MATCH: readonly string[] = [];

/** The phrase words an answer word (or two written together) stands for. */
function matchWord(word: string): readonly string[] {
  const cached = matchCache.get(word);
  if (cached) return cached;
  const matches: string[] = [];
  if (word === BOUNDARY || vocabulary.has(word)) matches.push(word);
  if (word !== BOUNDARY && word.length >= MIN_FUZZY_LENGTH - 1) {
    for (let length = word.length - 1; length <= word.length + 1; length++) {
      for (const fuzzy of fuzzyByLength.get(length) ?? NO_MATCH) {
        if (fuzzy !== word && editDistance(fuzzy, word) <= 1) matches.push(fuzzy);
      }
    }
  }
  // Most words match nothing: they all share one empty list.
  const found = matches.length > 0 ? matches : NO_MATCH;
  if (matchCache.size >= MATCH_CACHE_LIMIT) matchCache.clear();
  matchCache.set(word, found);
  return found;
}

interface Span {
  start: number;
  end: number;
  /** The category of the harm phrase that matched, or true for an idiom. */
  kind: HarmCategory | true;
}

/** Every place a phrase in `root` matches `words`, as [start, end) spans. */
function findSpans(root: TrieNode, words: string[], match: (word: string) => readonly string[]): Span[] {
  const spans: Span[] = [];
  const visit = (node: TrieNode, start: number, i: number): void => {
    if (node.end !== undefined) spans.push({ start, end: i, kind: node.end });
    const word = words[i];
    if (word === undefined) return;
    // One answer word for one phrase word (exactly, or one letter off for fuzzy words).
    for (const candidate of match(word)) {
      const next = node.children.get(candidate);
      if (next) visit(next, start, i + 1);
    }
    if (word === BOUNDARY) return;
    // Two answer words for one phrase word: "my self" for "myself".
    const following = words[i + 1];
    if (following !== undefined && following !== BOUNDARY) {
      for (const candidate of match(word + following)) {
        const next = node.children.get(candidate);
        if (next) visit(next, start, i + 2);
      }
    }
    // One answer word for two phrase words: "selfharm" for "self harm".
    const joined = node.joined?.get(word);
    if (joined) for (const next of joined) visit(next, start, i + 1);
  };
  for (let start = 0; start < words.length; start++) visit(root, start, start);
  return spans;
}

/**
 * Whether `text` speaks of violence, abuse, coercion or self-harm, and which. A hit means "pause
 * and offer help", never a judgement about anyone.
 */
export function screenForHarm(text: string): HarmScreen {
  const words = [BOUNDARY, ...tokens(text), BOUNDARY];
  const match = matchWord;
  const hits = findSpans(harmRoot, words, match);
  if (hits.length === 0) return { hit: false };
  const idioms = findSpans(notHarmRoot, words, match);
  let best: HarmCategory | undefined;
  for (const hit of hits) {
    if (idioms.some((idiom) => idiom.start <= hit.start && idiom.end >= hit.end)) continue;
    const category = hit.kind as HarmCategory;
    if (best === undefined || HARM_CATEGORIES.indexOf(category) < HARM_CATEGORIES.indexOf(best)) best = category;
  }
  return best === undefined ? { hit: false } : { hit: true, category: best };
}

/** Whether anything typed in an answer — its text, note or list items — speaks of harm. */
export function speaksOfHarm(value: { text?: string; note?: string; items?: string[] }): boolean {
  const typed = [value.text, value.note, ...(value.items ?? [])];
  return typed.some((text) => text !== undefined && screenForHarm(text).hit);
}
