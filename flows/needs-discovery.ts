/**
 * Flow 4, "Needs discovery" (seed §8). It starts from the premise that neither partner knows the
 * other's needs as well as they might think. Each first guesses what the other needs from them;
 * then both answer the same questions about themselves, privately, each pair revealed together.
 * Each guess is shown beside the real answer, and each partner may choose one of the other's needs
 * to act on.
 *
 * Every step here is a sealed 'both' step: no one anchors on the other's answer.
 */
import { answerText, isSkipped, latest, latestGiven } from '../src/engine/answers.js';
import { ask, defineFlow, flowKit, type StatesOf, step } from '../src/engine/flow-kit.js';
import { mirror } from '../src/engine/flow-steps.js';
import type {
  AnswerRecord,
  AnswerValue,
  FlowContext,
  FlowEvent,
  NameOf,
  Option,
  PartnerId,
  PromiseDraft,
  Quote,
  SummarySection,
} from '../src/engine/flow-types.js';
import { otherPartner, PARTNERS } from '../src/engine/flow-types.js';

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

const needsPicker = (label: string, max: number) => ({ label, options: NEEDS, max });

/** An answer in full, with picked needs shown by their labels rather than their ids. */
const readable = (value: AnswerValue): string =>
  answerText(value, { kind: 'text', label: '', min: 0, max: 0, picker: needsPicker('', NEEDS.length) });

/** The latest answer a partner gave to a step (undefined if none). */
const given = (context: FlowContext, stepId: string, by: PartnerId): AnswerRecord | undefined =>
  latest(context, stepId, by);

/** Each partner's real answer beside the guess the other made about it. */
const quoteGuessesBesideAnswers = (context: FlowContext): Quote[] =>
  PARTNERS.flatMap((partner) => {
    const quotes: Quote[] = [];
    const guess = given(context, 'guess', otherPartner(partner));
    const actual = given(context, 'wants', partner);
    if (guess) {
      quotes.push({
        by: guess.by,
        text: readable(guess.value),
        label: `{${guess.by}}’s guess at what {${partner}} needs`,
      });
    }
    if (actual)
      quotes.push({
        by: partner,
        text: readable(actual.value),
        label: `What {${partner}} would like, in their own words`,
      });
    return quotes;
  });

/** What each partner asked for and counts on: the needs the other may choose to act on (skipped ones have none). */
const quoteNeeds = (context: FlowContext): Quote[] =>
  PARTNERS.flatMap((partner) => {
    const quotes: Quote[] = [];
    const wants = latestGiven(context, 'wants', partner);
    const expects = latestGiven(context, 'expects', partner);
    if (wants) quotes.push({ by: partner, text: readable(wants.value), label: `What {${partner}} would like` });
    if (expects) quotes.push({ by: partner, text: readable(expects.value), label: `What {${partner}} counts on` });
    return quotes;
  });

// ---- The summary --------------------------------------------------------------------------------

const cellOf = (answer: AnswerRecord | undefined): string => (answer ? readable(answer.value) : 'No answer');

function highlights(context: FlowContext, nameOf: NameOf): SummarySection[] {
  const sections: SummarySection[] = [];

  // The guesses are shown beside the real answers, so only once those are in.
  if (context.answers.some((a) => a.step === 'wants')) {
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
    // A question skipped after a safety pause chose nothing.
    const answer = latestGiven(context, 'act', partner);
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

export const REFLECT_OPTIONS: Option[] = [
  { value: 'reflect', label: 'Let’s say back what we heard' },
  { value: 'goOn', label: 'Let’s go on' },
];

/** Reflections a partner may give of one answer (mirror rounds). */
const REFLECTIONS = 2;

/** The flow's own guards, named for what they mean (the diagrams show these names). */
const needs = flowKit.extend({
  guards: {
    /** An answer to this step was skipped after a safety pause: there is nothing of it to say back. */
    answerWasSkipped: ({ context }: { context: FlowContext }, params: { step: string }) =>
      PARTNERS.some((partner) => isSkipped(latest(context, params.step, partner)?.value)),
    /** This answer and the other partner's (already in) both ask to reflect each other's answers. */
    bothWantToReflect: ({ context, event }: { context: FlowContext; event: FlowEvent }) =>
      event.type === 'ANSWER' &&
      event.value.choice === 'reflect' &&
      context.pending[otherPartner(event.by)]?.choice === 'reflect',
  },
});

type States = StatesOf<typeof needs>;

/** One of the sealed questions both answer about themselves; their answers appear together. */
const question = (prompt: Parameters<typeof ask>[0], next: string): States[string] => ({
  meta: ask({ ...prompt, sealed: true }),
  on: { ANSWER: step.both(next) },
});

/**
 * After a reveal, the offer to mirror (optional, and only if both want it): each says back what
 * they heard of the other's answer, the other checks it, and each says what makes sense to them.
 */
function reflectOn(stepId: string, title: string, what: (whose: PartnerId) => string, next: string): States[string] {
  const said =
    (speaker: PartnerId) =>
    (context: FlowContext): Quote[] => {
      const answer = given(context, stepId, speaker);
      return answer ? [{ by: speaker, text: readable(answer.value), label: `{${speaker}}’s answer` }] : [];
    };
  return {
    initial: 'whetherToOffer',
    states: {
      // Not a step: an answer skipped after a safety pause leaves nothing to say back, so no offer.
      whetherToOffer: {
        always: [{ guard: { type: 'answerWasSkipped', params: { step: stepId } }, target: 'done' }, 'offer'],
      },
      offer: {
        meta: ask({
          to: 'both',
          title: 'Say back what you heard?',
          summaryTitle: `Say back what they heard about “${title}”? — {a} and {b}`,
          text: 'Would you like to say back to each other what you heard, before going on? It is optional: you do it only if you both want to.',
          input: { kind: 'choice', options: REFLECT_OPTIONS },
          sealed: true,
        }),
        on: {
          ANSWER: [
            { guard: 'bothWantToReflect', target: 'aHears', actions: 'reveal' },
            { guard: 'otherHasAnswered', target: 'done', actions: 'reveal' },
            { actions: 'collect' },
          ],
        },
      },
      aHears: mirror(`${stepId}Reflect.aHears`, {
        listener: 'a',
        speaker: 'b',
        said: said('b'),
        what: what('b'),
        reflect: 'In your own words, what did you hear {b} say?',
        counter: 'mirrorRounds',
        rounds: REFLECTIONS,
        next: 'bHears',
      }),
      bHears: mirror(`${stepId}Reflect.bHears`, {
        listener: 'b',
        speaker: 'a',
        said: said('a'),
        what: what('a'),
        reflect: 'In your own words, what did you hear {a} say?',
        counter: 'mirrorRounds',
        rounds: REFLECTIONS,
        next: 'done',
      }),
      done: { type: 'final' },
    },
    onDone: next,
  };
}

const states: States = {
  guess: question(
    {
      to: 'both',
      title: 'Your guess first',
      summaryTitle: 'Each one’s guess at what the other needs — {a} and {b}',
      text: 'Most of us know each other less well than we think. What do you guess your partner needs from you most right now?',
      why: 'Later you’ll see each guess beside your partner’s own answer.',
      // Held back until each can be shown beside the real answer: no anchoring on a guess.
      revealWith: 'wants',
      sealedNote:
        '🔒 Your guesses stay hidden until you have both said, a few questions on, what you would like; then each appears beside the real answer.',
      input: {
        kind: 'text',
        label: 'Your guess',
        min: 1,
        max: 1000,
        picker: needsPicker('Needs that might fit (optional)', 3),
      },
    },
    'interests',
  ),
  interests: question(
    {
      to: 'both',
      title: 'What draws you',
      summaryTitle: 'What draws each of them — {a} and {b}',
      text: 'Now about you. What are you drawn to these days, the things you enjoy or care about?',
      input: { kind: 'text', label: 'Your interests', min: 1, max: 1000 },
    },
    'interestsReflect',
  ),
  interestsReflect: reflectOn('interests', 'What draws you', (p) => `what draws {${p}}`, 'likes'),
  likes: question(
    {
      to: 'both',
      title: 'What you like',
      summaryTitle: 'What each likes the other to do — {a} and {b}',
      text: 'What’s something your partner does, or could do, that you really like?',
      why: 'Knowing what lands well is as useful as knowing what hurts.',
      input: { kind: 'text', label: 'What you like', min: 1, max: 1000 },
    },
    'likesReflect',
  ),
  likesReflect: reflectOn('likes', 'What you like', (p) => `what {${p}} likes`, 'wants'),
  wants: question(
    {
      to: 'both',
      title: 'What you’d like from them',
      summaryTitle: 'What each would like from the other — {a} and {b}',
      text: 'What would you most like your partner to do for you?',
      why: 'Your own words matter here, whatever was guessed.',
      sealedNote:
        '🔒 Your answers stay hidden until you have both answered; then they appear together, each beside the guess about it.',
      input: {
        kind: 'text',
        label: 'What you’d like',
        min: 1,
        max: 1000,
        picker: needsPicker('The needs behind it (optional)', 3),
      },
    },
    'wantsReflect',
  ),
  wantsReflect: reflectOn('wants', 'What you’d like from them', (p) => `what {${p}} would like`, 'expects'),
  expects: question(
    {
      to: 'both',
      title: 'What you count on',
      summaryTitle: 'What each counts on — {a} and {b}',
      text: 'What do you expect from your partner, as something you can rely on?',
      why: 'Expectations said out loud are easier to meet than silent ones.',
      input: { kind: 'text', label: 'What you count on', min: 1, max: 1000 },
    },
    'expectsReflect',
  ),
  expectsReflect: reflectOn('expects', 'What you count on', (p) => `what {${p}} counts on`, 'grow'),
  grow: question(
    {
      to: 'both',
      title: 'How you’d like to grow',
      summaryTitle: 'How each would like the relationship to grow — {a} and {b}',
      text: 'How would you like your relationship to grow from here?',
      input: { kind: 'text', label: 'How you’d like it to grow', min: 1, max: 1000 },
    },
    'growReflect',
  ),
  growReflect: reflectOn('grow', 'How you’d like to grow', (p) => `how {${p}} would like to grow`, 'compare'),
  compare: question(
    {
      to: 'both',
      title: 'Each guess beside the real answer',
      summaryTitle: 'What stood out — {a} and {b}',
      text: 'Here is each guess beside the real answer. What stands out to you?',
      why: 'A guess that missed is not a failing; finding out is what asking is for.',
      quote: quoteGuessesBesideAnswers,
      input: { kind: 'text', label: 'What stands out', min: 1, max: 1000 },
    },
    'act',
  ),
  act: question(
    {
      to: 'both',
      title: 'One need to act on',
      summaryTitle: 'The need each chose to act on — {a} and {b}',
      text: 'Which one of your partner’s needs would you like to act on, and what will you do?',
      why: 'Something small you can really do counts most; if nothing fits yet, say so.',
      quote: quoteNeeds,
      promise: true,
      input: {
        kind: 'text',
        label: 'What you’ll do',
        min: 1,
        max: 1000,
        picker: needsPicker('Their need you’ll act on (optional)', 1),
      },
    },
    'done',
  ),
  done: { type: 'final' },
};

/** Each one's need of the other's to act on: what they will do, to the partner whose need it is. */
function promises(context: FlowContext): PromiseDraft[] {
  return PARTNERS.flatMap((by): PromiseDraft[] => {
    const answer = latestGiven(context, 'act', by);
    const words = answer?.value.text;
    if (!answer || !words) return [];
    const need = answer.value.picks?.[0];
    const promise: PromiseDraft = { by: [by], to: [otherPartner(by)], words, step: 'act' };
    if (need) promise.about = needLabel(need);
    return [promise];
  });
}

export default defineFlow({
  id: 'needs-discovery',
  version: 2,
  title: 'Needs discovery',
  description: 'Guess what your partner needs, hear it in their own words, and choose one thing to act on.',
  roles: {},
  setup: needs,
  initial: 'guess',
  states,
  highlights,
  promises,
  nextStep: 'Try the one thing you each chose for a week, then come back and tell each other how it felt.',
});
