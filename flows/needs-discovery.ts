/**
 * Flow 4, "Needs discovery" (seed §8). It starts from the premise that neither partner knows the
 * other's needs as well as they might think. Each first guesses what the other needs from them;
 * then both answer the same questions about themselves, privately, each pair revealed together.
 * Each guess is shown beside the real answer, and each partner may choose one of the other's needs
 * to act on.
 *
 * Every step here is a sealed 'both' step: no one anchors on the other's answer.
 */
import {
  type AnswerRecord,
  type AnswerValue,
  answerText,
  ask,
  defineFlow,
  type FlowContext,
  flowKit,
  latest,
  type NameOf,
  type Option,
  otherPartner,
  PARTNERS,
  type PartnerId,
  type Quote,
  type SummarySection,
  step,
} from '../src/engine/flow-kit.js';

/**
 * Needs to pick from, grouped after the categories of the CNVC needs inventory (connection,
 * honesty, play, peace, autonomy, meaning, physical well-being). Labels are our own wording.
 */
export const NEEDS: Option[] = [
  { value: 'closeness', label: 'Connection: closeness and affection' },
  { value: 'appreciation', label: 'Connection: feeling appreciated' },
  { value: 'respect', label: 'Connection: respect' },
  { value: 'support', label: 'Connection: support when things are hard' },
  { value: 'understanding', label: 'Connection: being heard and understood' },
  { value: 'security', label: 'Connection: feeling safe and secure' },
  { value: 'trust', label: 'Connection: trust' },
  { value: 'consideration', label: 'Connection: consideration' },
  { value: 'companionship', label: 'Connection: time together' },
  { value: 'warmth', label: 'Connection: warmth and kindness' },
  { value: 'honesty', label: 'Honesty: the plain truth' },
  { value: 'openness', label: 'Honesty: openness about plans and choices' },
  { value: 'play', label: 'Play: fun and lightness' },
  { value: 'humour', label: 'Play: laughing together' },
  { value: 'calm', label: 'Peace: calm and ease' },
  { value: 'fairness', label: 'Peace: fairness and an equal say' },
  { value: 'predictability', label: 'Peace: knowing what to expect' },
  { value: 'space', label: 'Autonomy: space of my own' },
  { value: 'choice', label: 'Autonomy: choosing for myself' },
  { value: 'growth', label: 'Meaning: growing and learning' },
  { value: 'purpose', label: 'Meaning: a shared purpose' },
  { value: 'contribution', label: 'Meaning: making a difference to each other' },
  { value: 'hope', label: 'Meaning: hope for what lies ahead' },
  { value: 'rest', label: 'Well-being: rest and health' },
  { value: 'touch', label: 'Well-being: touch and physical closeness' },
];

const needLabel = (value: string): string => NEEDS.find((n) => n.value === value)?.label ?? value;

/** An answer in full, with picked needs shown by their labels rather than their ids. */
const readable = (value: AnswerValue): string =>
  answerText(value.picks ? { ...value, picks: value.picks.map(needLabel) } : value);

/** The latest answer a partner gave to a step (undefined if none). */
const given = (context: FlowContext, stepId: string, by: PartnerId): AnswerRecord | undefined =>
  latest(context, stepId, by);

/** Each partner's real answer beside the guess the other made about it. */
const quoteGuessesBesideAnswers = (context: FlowContext): Quote[] =>
  PARTNERS.flatMap((partner) => {
    const quotes: Quote[] = [];
    const guess = given(context, 'guess', otherPartner(partner));
    const actual = given(context, 'wants', partner);
    if (guess) quotes.push({ by: guess.by, text: readable(guess.value), label: 'Guessed what their partner needs' });
    if (actual) quotes.push({ by: partner, text: readable(actual.value), label: 'What they need, in their own words' });
    return quotes;
  });

/** What each partner asked for and counts on: the needs the other may choose to act on. */
const quoteNeeds = (context: FlowContext): Quote[] =>
  PARTNERS.flatMap((partner) => {
    const quotes: Quote[] = [];
    const wants = given(context, 'wants', partner);
    const expects = given(context, 'expects', partner);
    if (wants) quotes.push({ by: partner, text: readable(wants.value), label: 'What they’d like from their partner' });
    if (expects) quotes.push({ by: partner, text: readable(expects.value), label: 'What they count on' });
    return quotes;
  });

const needsPicker = (label: string, max: number) => ({ label, options: NEEDS, max });

// ---- The summary --------------------------------------------------------------------------------

const cellOf = (answer: AnswerRecord | undefined): string => (answer ? readable(answer.value) : 'No answer');

function highlights(context: FlowContext, nameOf: NameOf): SummarySection[] {
  const sections: SummarySection[] = [];

  const anyGuess = context.answers.some((a) => a.step === 'guess' || a.step === 'wants');
  if (anyGuess) {
    const rows = PARTNERS.map((partner) => {
      const guesser = otherPartner(partner);
      return [nameOf(partner), cellOf(given(context, 'guess', guesser)), cellOf(given(context, 'wants', partner))];
    });
    const lines = PARTNERS.flatMap((partner) => {
      const guessed = new Set(given(context, 'guess', otherPartner(partner))?.value.picks ?? []);
      const shared = (given(context, 'wants', partner)?.value.picks ?? []).filter((p) => guessed.has(p));
      return shared.length > 0
        ? [`Named both in the guess and by ${nameOf(partner)}: ${shared.map(needLabel).join('; ')}.`]
        : [];
    });
    const section: SummarySection = {
      title: 'Each guess beside the real answer',
      table: { columns: ['Needs of', 'Guessed by their partner', 'In their own words'], rows },
    };
    if (lines.length > 0) section.lines = lines;
    sections.push(section);
  }

  const chosen = PARTNERS.flatMap((partner) => {
    const answer = given(context, 'act', partner);
    if (!answer) return [];
    const need = answer.value.picks?.[0];
    const whose = `${nameOf(otherPartner(partner))}’s`;
    const text = answer.value.text ?? '';
    return [
      need
        ? `${nameOf(partner)} chose ${whose} need “${needLabel(need)}”: ${text}`
        : `${nameOf(partner)}, for ${whose} needs: ${text}`,
    ];
  });
  if (chosen.length > 0) sections.push({ title: 'The one need each chose to act on', lines: chosen });

  return sections;
}

// ---- The flow -----------------------------------------------------------------------------------

export default defineFlow({
  id: 'needs-discovery',
  version: 1,
  title: 'Needs discovery',
  description: 'Guess what your partner needs, hear it in their own words, and choose one thing to act on.',
  roles: {},
  setup: flowKit,
  initial: 'guess',
  states: {
    guess: {
      meta: ask({
        to: 'both',
        title: 'Your guess first',
        text: 'Most of us know each other less well than we think. What do you guess your partner needs from you most right now?',
        why: 'Later you’ll see each guess beside your partner’s own answer.',
        sealed: true,
        // Kept back until "compare" shows each guess beside the real answer: no anchoring.
        shownLater: true,
        input: {
          kind: 'text',
          label: 'Your guess',
          min: 1,
          max: 1000,
          picker: needsPicker('Needs that might fit (optional)', 3),
        },
      }),
      on: { ANSWER: step.both('interests') },
    },
    interests: {
      meta: ask({
        to: 'both',
        title: 'What draws you',
        text: 'Now about you. What are you drawn to these days, the things you enjoy or care about?',
        sealed: true,
        input: { kind: 'text', label: 'Your interests', min: 1, max: 1000 },
      }),
      on: { ANSWER: step.both('likes') },
    },
    likes: {
      meta: ask({
        to: 'both',
        title: 'What you like',
        text: 'What’s something your partner does, or could do, that you really like?',
        why: 'Knowing what lands well is as useful as knowing what hurts.',
        sealed: true,
        input: { kind: 'text', label: 'What you like', min: 1, max: 1000 },
      }),
      on: { ANSWER: step.both('wants') },
    },
    wants: {
      meta: ask({
        to: 'both',
        title: 'What you’d like from them',
        text: 'What would you most like your partner to do for you?',
        why: 'Your own words matter here, whatever was guessed.',
        sealed: true,
        input: {
          kind: 'text',
          label: 'What you’d like',
          min: 1,
          max: 1000,
          picker: needsPicker('The needs behind it (optional)', 3),
        },
      }),
      on: { ANSWER: step.both('expects') },
    },
    expects: {
      meta: ask({
        to: 'both',
        title: 'What you count on',
        text: 'What do you expect from your partner, as something you can rely on?',
        why: 'Expectations said out loud are easier to meet than silent ones.',
        sealed: true,
        input: { kind: 'text', label: 'What you count on', min: 1, max: 1000 },
      }),
      on: { ANSWER: step.both('grow') },
    },
    grow: {
      meta: ask({
        to: 'both',
        title: 'How you’d like to grow',
        text: 'How would you like your relationship to grow from here?',
        sealed: true,
        input: { kind: 'text', label: 'How you’d like it to grow', min: 1, max: 1000 },
      }),
      on: { ANSWER: step.both('compare') },
    },
    compare: {
      meta: ask({
        to: 'both',
        title: 'Each guess beside the real answer',
        text: 'Here is each guess beside the real answer. What stands out to you?',
        why: 'A guess that missed is not a failing; finding out is what asking is for.',
        sealed: true,
        quote: quoteGuessesBesideAnswers,
        input: { kind: 'text', label: 'What stands out', min: 1, max: 1000 },
      }),
      on: { ANSWER: step.both('act') },
    },
    act: {
      meta: ask({
        to: 'both',
        title: 'One need to act on',
        text: 'Which one of your partner’s needs would you like to act on, and what will you do?',
        why: 'Something small you can really do counts most; if nothing fits yet, say so.',
        sealed: true,
        quote: quoteNeeds,
        input: {
          kind: 'text',
          label: 'What you’ll do',
          min: 1,
          max: 1000,
          picker: needsPicker('Their need you’ll act on (optional)', 1),
        },
      }),
      on: { ANSWER: step.both('done') },
    },
    done: { type: 'final' },
  },
  highlights,
  nextStep: 'Try the one thing you each chose for a week, then come back and tell each other how it felt.',
});
