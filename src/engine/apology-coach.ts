/**
 * Apology coaching: reads an admission and notices what tends to make an apology harder to hear —
 * a "but" that takes it back, an "if" that doubts the hurt, words about the other's feelings
 * instead of one's own act, affection offered in place of an admission, blame, minimising,
 * sentences with nobody in them — and whether the author owns the act ("I …") and offers repair.
 *
 * Pure: no Discord, no XState. It never alters the text; it only returns notes, each quoting the
 * author's own words and suggesting, kindly, how they might say it instead. It is a word check,
 * so it can be wrong — the author always decides.
 *
 * The weight given to responsibility and repair follows Lewicki et al. (2016): acknowledging
 * responsibility and offering repair matter most in an apology.
 */

export type CoachKind =
  | 'passive'
  | 'blame'
  | 'their-feelings'
  | 'conditional'
  | 'intent'
  | 'excuse'
  | 'minimising'
  | 'but'
  | 'affection'
  | 'no-ownership'
  | 'no-repair'
  | 'vague';

export interface CoachNote {
  kind: CoachKind;
  /** The author's own words that raised the note, exactly as written (empty for a missing part). */
  found: string[];
  /** What the check noticed, in one short, kind sentence. */
  note: string;
  /** How they might say it instead, in one short sentence. */
  suggestion: string;
}

export interface CoachResult {
  /** Everything worth a second look, in reading order of importance. */
  notes: CoachNote[];
  /** A sentence where the author says, in the first person, what they did. */
  ownsIt: boolean;
  /** A sentence about what the author will do to put things right or do differently. */
  offersRepair: boolean;
  /** True when at least one note is worth showing to the author before they go on. */
  needsReview: boolean;
}

export interface CoachOptions {
  /** Also note when no repair is offered (for a text meant to carry the promise as well). */
  expectRepair?: boolean;
}

interface Detector {
  kind: Exclude<CoachKind, 'no-ownership' | 'no-repair' | 'vague'>;
  patterns: RegExp[];
  note: string;
  suggestion: string;
}

/**
 * Detectors in priority order: where two overlap (“if you hadn't” is blame before it is a
 * conditional), the earlier one claims the words.
 */
const DETECTORS: Detector[] = [
  {
    kind: 'passive',
    patterns: [
      /\bmistakes were made\b/gi,
      /\bthings (?:were|got) (?:said|done|out of hand|messy)\b/gi,
      /\b(?:it|things|stuff|this|that) (?:just )?(?:happened|got out of hand)\b/gi,
      /\bwhat happened,? happened\b/gi,
    ],
    note: 'This leaves out who did it.',
    suggestion: 'Try putting yourself in the sentence: “I …”.',
  },
  {
    kind: 'blame',
    patterns: [
      /\byou made me\b/gi,
      /\bbecause (?:of )?you\b/gi,
      /\bif you (?:hadn't|had not|didn't|did not|weren't|were not|wouldn't|would not|had just|had only)\b/gi,
      /\byou (?:always|never)\b/gi,
      /\b(?:it's|it is|it was|that's|that is) (?:all )?(?:your|partly your|also your) fault\b/gi,
      /\byou (?:drove|pushed|forced|provoked|left) me\b/gi,
      /\byou started\b/gi,
      /\bunless you (?:make|force|push|drive) me\b/gi,
      /\bwhat about (?:you|when you|what you)\b/gi,
      /\byou did (?:it|that|the same)(?: thing)? too\b/gi,
      /\bafter what you\b/gi,
      /\byou(?:'re| are) (?:overreacting|too sensitive|being dramatic)\b/gi,
      /\byou know how you (?:get|are)\b/gi,
    ],
    note: 'This part turns toward what they did.',
    suggestion: 'Their side can have its own conversation; for now, keep to your part.',
  },
  {
    kind: 'their-feelings',
    patterns: [
      /\bsorry (?:that )?you(?:'re| are| were| feel| felt| got| took| see| saw| think| thought)\b/gi,
      /\bsorry (?:about |for )?(?:how|the way) (?:you|it)\b/gi,
      /\bsorry for your feelings\b/gi,
    ],
    note: 'This points at their feelings rather than at what you did.',
    suggestion: 'Try “I’m sorry I …” and name the act itself.',
  },
  {
    kind: 'conditional',
    patterns: [
      /\b(?:sorry|apologi[sz]e)\s+if\b/gi,
      /\bif you\b/gi,
      /\bif (?:that|this|it|anything|i) (?:hurt|upset|offended|bothered|caused|made)\b/gi,
    ],
    note: 'An “if” can make the hurt sound uncertain.',
    suggestion: 'Try saying it as it was: “I hurt you when I …”.',
  },
  {
    kind: 'intent',
    patterns: [
      /\bi (?:didn't|did not|never) (?:mean|meant|intend|intended|want|wanted) (?:to|for|it)\b/gi,
      /\bit wasn't (?:intentional|on purpose|meant)\b/gi,
      /\b(?:it )?wasn't my intention\b/gi,
    ],
    note: 'What you meant may matter less to them right now than what happened.',
    suggestion: 'Try naming what you did and how it landed, and leave intentions for later.',
  },
  {
    kind: 'excuse',
    patterns: [
      /\bbecause i (?:was|had|felt)\b/gi,
      /\bi was (?:drunk|tired|stressed|exhausted|overwhelmed|under (?:a lot of )?pressure|going through)\b/gi,
      /\bi wasn't thinking\b/gi,
      /\bi had (?:a|such a) (?:bad|rough|long|hard) (?:day|week|time)\b/gi,
      /\b(?:the )?(?:alcohol|drink|drinking|stress|pressure) made me\b/gi,
    ],
    note: 'A reason given now can sound like an excuse, even when it’s true.',
    suggestion: 'Let what you did stand on its own for now; you can explain later if they ask.',
  },
  {
    kind: 'minimising',
    patterns: [
      /\b(?:just|only|merely)\b/gi,
      /\ba (?:little|bit|tiny bit)\b/gi,
      /\b(?:no|not a|not that) big (?:deal|thing)\b/gi,
      /\bnot (?:that|so) (?:bad|serious)\b/gi,
      /\bit was nothing\b/gi,
      /\bharmless\b/gi,
      /\bonce or twice\b/gi,
    ],
    note: 'Words like these can make it sound smaller than it felt to them.',
    suggestion: 'Try the sentence without them and see whether it still says what happened.',
  },
  {
    kind: 'but',
    patterns: [/\b(?:but|however|although|except)\b/gi],
    note: 'What follows a “but” can quietly take back what came before it.',
    suggestion: 'Try ending the sentence where your part ends.',
  },
  {
    kind: 'affection',
    patterns: [
      /\bi (?:really |truly |still )?(?:love|trust|adore|need) you\b/gi,
      /\bi (?:really |truly |still )?care about you\b/gi,
      /\byou mean (?:everything|the world|so much) to me\b/gi,
    ],
    note: 'Warm words can read as a way around the admission when the admission itself is missing.',
    suggestion: 'Keep the warmth if you like, and add plainly what you did.',
  },
];

const NO_OWNERSHIP = {
  note: 'There isn’t yet a sentence where you say, in your own voice, what you did.',
  suggestion: 'Try one plain sentence that starts with “I” and names the act.',
};

const NO_REPAIR = {
  note: 'There isn’t yet a word on what you will do differently.',
  suggestion: 'Add one concrete thing you will do that they will be able to see.',
};

/** Same length as the input (one UTF-16 unit for one), so match indexes point into the original. */
const normaliseApostrophes = (text: string): string => text.replace(/[\u2018\u2019\u02BC]/g, "'");

interface Span {
  start: number;
  end: number;
}

const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;

/** Phrases that own the act outright. */
const OWNING_PHRASES: RegExp[] = [
  /\b(?:my|all my) (?:fault|mistake|doing|responsibility|choice|decision)\b/i,
  /\b(?:that's|that is|it's|it is|this is|that was|it was|this was) on me\b/i,
  /\bi (?:take|accept|own|bear) (?:full |the |all |complete )?(?:responsibility|blame|it|that|this)\b/i,
  /\bi(?:'m| am) (?:fully |the one |completely )?(?:responsible|to blame|the one who|accountable)\b/i,
  /\bi (?:messed|screwed) (?:up|it up|this up|that up)\b/i,
];

/** Words after “I” that speak of feeling, wishing or apologising, not of an act. */
const NOT_AN_ACT = new Set([
  'love',
  'loved',
  'trust',
  'trusted',
  'adore',
  'care',
  'cared',
  'miss',
  'missed',
  'need',
  'needed',
  'want',
  'wanted',
  'wish',
  'wished',
  'hope',
  'hoped',
  'feel',
  'felt',
  'think',
  'thought',
  'guess',
  'guessed',
  'suppose',
  'supposed',
  'know',
  'knew',
  'mean',
  'meant',
  'understand',
  'realise',
  'realised',
  'realize',
  'realized',
  'believe',
  'believed',
  'assume',
  'assumed',
  'tried',
  'used',
  'apologise',
  'apologised',
  'apologize',
  'apologized',
  'promise',
  'promised',
  'intended',
  'noticed',
  'learned',
  'figured',
  'sorry',
  'will',
  'would',
  'could',
  'should',
  'can',
  'may',
  'might',
  'must',
]);

/** Past forms that do not end in -ed: what someone might own having done. */
const IRREGULAR_ACTS = new Set([
  'lied',
  'broke',
  'hid',
  'told',
  'said',
  'spent',
  'went',
  'took',
  'kept',
  'made',
  'did',
  'let',
  'left',
  'forgot',
  'hurt',
  'put',
  'read',
  'sent',
  'met',
  'slept',
  'spoke',
  'wrote',
  'gave',
  'got',
  'ran',
  'threw',
  'stole',
  'bought',
  'sold',
  'lost',
  'saw',
  'chose',
  'drank',
  'fell',
  'snapped',
  'swore',
  'shut',
  'hit',
  'bet',
  'cut',
  'ignored',
  'had',
  'been',
]);

/** Words that say how the author behaved, after “I was” / “I've been”. */
const SELF_JUDGEMENT = new Set([
  'wrong',
  'dishonest',
  'unfair',
  'unkind',
  'cruel',
  'selfish',
  'careless',
  'disrespectful',
  'rude',
  'thoughtless',
  'harsh',
  'mean',
  'cold',
  'absent',
  'unfaithful',
  'deceitful',
  'controlling',
  'out',
]);

/** Words that can sit between “I” and the verb without changing who acted. */
const FILLERS = new Set([
  'have',
  "'ve",
  'had',
  "'d",
  'did',
  'do',
  'also',
  'then',
  'really',
  'truly',
  'totally',
  'completely',
  'actually',
  'basically',
  'simply',
  'just',
  'only',
  'kind',
  'sort',
  'of',
  'sometimes',
  'secretly',
  'even',
  'still',
  'repeatedly',
  'deliberately',
  'knowingly',
  'again',
]);

const NEGATIONS = new Set(["didn't", 'never', 'not', "haven't", "hadn't", "wasn't", "don't"]);

const isPastAct = (word: string): boolean =>
  !NOT_AN_ACT.has(word) && (IRREGULAR_ACTS.has(word) || (word.length > 3 && word.endsWith('ed')));

const isOngoingAct = (word: string): boolean =>
  word.length > 4 && word.endsWith('ing') && !['feeling', 'thinking', 'trying', 'hoping', 'going'].includes(word);

/** Does some sentence say, in the first person, what the author did? */
function ownsTheAct(scan: string): boolean {
  if (OWNING_PHRASES.some((re) => re.test(scan))) return true;
  const words = scan.toLowerCase().match(/[a-z']+/g) ?? [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word !== 'i' && word !== "i've" && word !== "i'd" && word !== "i'm") continue;
    let j = i + 1;
    let negated = false;
    let being = word === "i'm";
    while (j < words.length && j < i + 5) {
      const w = words[j] as string;
      // “I had an affair”: here “had” is the act itself, not a helper verb.
      if (w === 'had' && j === i + 1) {
        const after = words[j + 1];
        const helper = after === undefined || isPastAct(after) || FILLERS.has(after) || NEGATIONS.has(after);
        if (!helper && after !== 'been' && after !== 'to') return true;
      }
      if (FILLERS.has(w)) {
        j++;
        continue;
      }
      if (NEGATIONS.has(w)) {
        negated = true;
        j++;
        continue;
      }
      if (w === 'was' || w === 'am' || w === 'been') {
        being = true;
        j++;
        continue;
      }
      break;
    }
    const next = words[j];
    if (next === undefined) continue;
    if (being) {
      if (SELF_JUDGEMENT.has(next) || isOngoingAct(next)) return true;
      continue;
    }
    // “I didn't tell you”, “I never called”: owning what was left undone.
    if (negated && !NOT_AN_ACT.has(next) && next !== 'know') return true;
    // “I used your card” owns an act; “I used to …” does not.
    if (next === 'used' && words[j + 1] !== 'to') return true;
    if (isPastAct(next)) return true;
  }
  return false;
}

const REPAIR_PATTERNS: RegExp[] = [
  /\bi(?:'ll| will| shall| am going to|'m going to| promise| won't| will not| plan to| intend to| commit to| want to make)\b/i,
  /\bfrom (?:now|today|here) on\b/i,
  /\bgoing forward\b/i,
  /\bnever again\b/i,
  /\bmake (?:it|this|things|that) (?:right|up to you)\b/i,
  /\bmake amends\b/i,
  /\bi(?:'ve| have) (?:started|begun|stopped|ended|deleted|blocked|booked|cut off|signed up)\b/i,
  /\bi(?:'m| am) (?:working on|getting help|seeing a|starting|going to)\b/i,
];

const offersRepair = (scan: string): boolean => REPAIR_PATTERNS.some((re) => re.test(scan));

/** Reads an admission and returns notes for its author. The text itself is never changed. */
export function coachApology(text: string, options: CoachOptions = {}): CoachResult {
  const scan = normaliseApostrophes(text);
  if (scan.trim().length === 0) return { notes: [], ownsIt: false, offersRepair: false, needsReview: false };

  const ownsIt = ownsTheAct(scan);
  const repair = offersRepair(scan);
  const claimed: Span[] = [];
  const notes: CoachNote[] = [];

  for (const detector of DETECTORS) {
    // Love and trust are only a deflection when they stand in for the admission.
    if (detector.kind === 'affection' && ownsIt) continue;
    const found: string[] = [];
    for (const pattern of detector.patterns) {
      for (const match of scan.matchAll(pattern)) {
        const span = { start: match.index, end: match.index + match[0].length };
        if (claimed.some((c) => overlaps(c, span))) continue;
        claimed.push(span);
        const words = text.slice(span.start, span.end);
        if (!found.some((f) => f.toLowerCase() === words.toLowerCase())) found.push(words);
      }
    }
    if (found.length > 0) {
      notes.push({ kind: detector.kind, found, note: detector.note, suggestion: detector.suggestion });
    }
  }

  if (!ownsIt) notes.push({ kind: 'no-ownership', found: [], ...NO_OWNERSHIP });
  if (options.expectRepair && !repair) notes.push({ kind: 'no-repair', found: [], ...NO_REPAIR });

  return { notes, ownsIt, offersRepair: repair, needsReview: notes.length > 0 };
}

/** One line per note, for a prompt: the words quoted, what was noticed, and what to try. */
export function describeNote(note: CoachNote): string {
  const quoted = note.found.map((f) => `“${f}”`).join(', ');
  return quoted ? `${quoted} — ${note.note} ${note.suggestion}` : `${note.note} ${note.suggestion}`;
}

/** Promises that name no act anyone could see kept: trying, being better, changing in general. */
const VAGUE_PATTERNS: RegExp[] = [
  /\b(?:try|trying|attempt) (?:to|my best|harder)\b/gi,
  /\bdo (?:my )?(?:best|better)\b/gi,
  /\bbe (?:a )?(?:better|more careful|more honest|more open|nicer|good)(?: person| partner)?\b/gi,
  /\b(?:change|improve|work on (?:it|myself|this|things))\b/gi,
  /\b(?:more|less) (?:often|careful|attentive|thoughtful)\b/gi,
];

const VAGUE = {
  note: 'This is hard to see kept: it names a wish rather than something you will do.',
  suggestion: 'Try one act they could notice: when, what, how often (“I will tell you before I …”).',
};

/**
 * Reads a promise ("what will be different") for concrete repair, as Lewicki et al. (2016) weigh
 * it: a commitment in the first person ("I will …") to something the other could see kept. It
 * notes a promise with no commitment, one that only names a wish ("try", "be better"), and the
 * same blame and "if you" that weaken an apology. The text itself is never changed.
 */
export function coachPromise(text: string): CoachResult {
  const scan = normaliseApostrophes(text);
  if (scan.trim().length === 0) return { notes: [], ownsIt: false, offersRepair: false, needsReview: false };
  const repair = offersRepair(scan);
  const notes = coachApology(text).notes.filter((n) => n.kind === 'blame' || n.kind === 'conditional');
  if (!repair) notes.push({ kind: 'no-repair', found: [], ...NO_REPAIR });
  const vague = VAGUE_PATTERNS.flatMap((re) =>
    [...scan.matchAll(re)].map((m) => text.slice(m.index, m.index + m[0].length)),
  );
  // Vague words alongside a concrete act are fine ("I will try to call, and I will call by six").
  const concrete = /\bi(?:'ll| will)\s+(?!try\b|be\b|do my best\b|do better\b|change\b|improve\b|work on\b)\w+/i.test(
    scan,
  );
  if (vague.length > 0 && !concrete) notes.push({ kind: 'vague', found: [...new Set(vague)], ...VAGUE });
  return { notes, ownsIt: true, offersRepair: repair, needsReview: notes.length > 0 };
}
