/**
 * Flow 1, "Admitting a mistake" (seed §3, §7, §9). One partner puts into plain words something
 * they did that broke trust; the other is heard, reflected back, and answers in their own time.
 *
 *   roles (proposed, agreed or turned round) → ready (both, sealed) → admission → [review,
 *   private] → impactGuess → impact (with a feelings picker) → mirror: reflect ⇄ check →
 *   validate → need → promise → [promiseReview, private] → response ⇄ question → answer → done
 *
 * The admission and the promise are read by the apology coach (responsibility, then concrete
 * repair: Lewicki et al. 2016). Where it notices something, the author alone sees the notes and
 * keeps their words or rewrites them, starting from their own words; the other partner sees only
 * that they are still writing. The bot never changes anyone's words. Role names are internal:
 * prompts say {owner} and {hurt}, which surfaces turn into display names.
 */
import { answerText, isSkipped, latest, latestGiven } from '../src/engine/answers.js';
import { coachApology, coachPromise, describeNote } from '../src/engine/apology-coach.js';
import {
  ask,
  choiceIs,
  counters,
  defineFlow,
  flowKit,
  READY_OPTIONS,
  readiness,
  type StatesOf,
  step,
} from '../src/engine/flow-kit.js';
import { agreeOnRoles, mirror } from '../src/engine/flow-steps.js';
import type {
  FlowContext,
  FlowEvent,
  InputSpec,
  NameOf,
  Option,
  PromiseDraft,
  Quote,
  SummarySection,
} from '../src/engine/flow-types.js';
import { otherPartner } from '../src/engine/flow-types.js';

/** Loop bounds: every loop in this flow ends. */
export const LIMITS = {
  /** Times the author may take back a draft (the admission, the promise) after the private review. */
  rewrites: 2,
  /** Reflections the owner may give before the flow moves on, heard fully or not. */
  reflections: 3,
  /** Questions the hurt partner may ask before responding; more can be kept for next time. */
  questions: 3,
} as const;

const count = counters('rewrites', 'promiseRewrites', 'mirrorRounds', 'questions', 'kept');

/**
 * How it may feel, after the CNVC feelings inventory's groups (feelings when needs are not met),
 * in our own words. Picks are optional; the words are always free.
 */
export const FEELINGS: Option[] = [
  { value: 'hurt', label: 'Hurt' },
  { value: 'heartbroken', label: 'Heartbroken' },
  { value: 'sad', label: 'Sad' },
  { value: 'disappointed', label: 'Disappointed' },
  { value: 'angry', label: 'Angry' },
  { value: 'resentful', label: 'Resentful' },
  { value: 'scared', label: 'Scared' },
  { value: 'anxious', label: 'Anxious, on edge' },
  { value: 'insecure', label: 'Insecure' },
  { value: 'exposed', label: 'Exposed' },
  { value: 'ashamed', label: 'Ashamed' },
  { value: 'humiliated', label: 'Humiliated' },
  { value: 'shocked', label: 'Shocked' },
  { value: 'confused', label: 'Confused' },
  { value: 'torn', label: 'Torn' },
  { value: 'lonely', label: 'Lonely' },
  { value: 'distant', label: 'Distant, cut off' },
  { value: 'numb', label: 'Numb' },
  { value: 'betrayed', label: 'Betrayed' },
  { value: 'unsettled', label: 'Uneasy, unsettled' },
  { value: 'hopeless', label: 'Hopeless' },
  { value: 'worn', label: 'Worn out' },
  { value: 'longing', label: 'Longing' },
];

/** How it affected the hurt partner: their words, and the feelings they picked. */
const IMPACT_INPUT: InputSpec = {
  kind: 'text',
  label: 'How it affected me',
  min: 5,
  max: 4000,
  picker: { label: 'Feelings that fit (optional)', options: FEELINGS, max: 5 },
};

export const REVIEW_OPTIONS: Option[] = [
  { value: 'keep', label: 'Keep my words as they are' },
  { value: 'rewrite', label: 'Rewrite them' },
];

export const RESPONSE_OPTIONS: Option[] = [
  { value: 'accept', label: 'I accept what you’ve said' },
  { value: 'time', label: 'I need time with this' },
  { value: 'notReady', label: 'I’m not ready to accept this' },
  { value: 'question', label: 'I’d like to ask something first' },
  { value: 'later', label: 'Keep my other questions for next time' },
];

type GuardArgs = { context: FlowContext; event: FlowEvent };

const textOf = (event: FlowEvent) => (event.type === 'ANSWER' ? event.value.text : undefined);
const choiceOf = (event: FlowEvent) => (event.type === 'ANSWER' ? event.value.choice : undefined);

/** The flow's own guards, named for what they mean (the diagrams show these names). */
const admit = flowKit.extend({
  guards: {
    /** The admission has something its author may want to look at again, and a rewrite is still open. */
    admissionNeedsReview: ({ context, event }: GuardArgs) =>
      coachApology(textOf(event) ?? '').needsReview && count.of(context, 'rewrites') < LIMITS.rewrites,
    /** The promise names no act that could be seen kept (or blames), and a rewrite is still open. */
    promiseNeedsReview: ({ context, event }: GuardArgs) =>
      coachPromise(textOf(event) ?? '').needsReview && count.of(context, 'promiseRewrites') < LIMITS.rewrites,
    /** The hurt partner wants to ask something, and may still ask another question. */
    asksAnotherQuestion: ({ context, event }: GuardArgs) =>
      choiceOf(event) === 'question' && count.of(context, 'questions') < LIMITS.questions,
    /** The hurt partner keeps the questions they have left for another conversation. */
    keepsQuestionsForLater: ({ event }: GuardArgs) => choiceOf(event) === 'later',
  },
});

/** An earlier answer to quote, when it has words (a question skipped after a safety pause has none). */
const quoteOf = (context: FlowContext, stepId: string, label: string): Quote[] => {
  const answer = latestGiven(context, stepId);
  return answer ? [{ by: answer.by, text: answerText(answer.value), label }] : [];
};

/** The private review of a draft: what the coach noticed, in its author's own words. */
const reviewText = (notes: string[]) =>
  [
    'Before you go on: a simple word check noticed a few things that can make this harder to hear.',
    '',
    ...notes.map((note) => `• ${note}`),
    '',
    'It can be wrong. Your words stay exactly as you wrote them unless you choose to rewrite them; a rewrite starts from what you wrote.',
  ].join('\n');

const admissionReview = (context: FlowContext) =>
  reviewText(coachApology(latest(context, 'admission')?.value.text ?? '').notes.map(describeNote));

const promiseReview = (context: FlowContext) =>
  reviewText(coachPromise(latest(context, 'promise')?.value.text ?? '').notes.map(describeNote));

/** The options open at the response: another question while there are some left, else keep them for later. */
const responseChoices = (context: FlowContext): string[] => {
  const choices = ['accept', 'time', 'notReady'];
  if (count.of(context, 'questions') < LIMITS.questions) choices.push('question');
  else if (count.of(context, 'kept') === 0) choices.push('later');
  return choices;
};

const responseText = (context: FlowContext): string => {
  // "You've heard what they did and what will change" is only true when both were written.
  const heard = latestGiven(context, 'admission') !== undefined && latestGiven(context, 'promise') !== undefined;
  if (count.of(context, 'kept') > 0)
    return 'Your other questions are kept for next time. Where are you with it right now?';
  if (count.of(context, 'questions') >= LIMITS.questions) {
    return `You’ve asked ${LIMITS.questions} questions today, and any others can be kept for next time. Where are you with it right now?`;
  }
  if (!heard) return 'Where are you with all of this right now?';
  return 'You’ve heard {owner} name what they did and what will change. Where are you with it right now?';
};

const states: StatesOf<typeof admit> = {
  roles: agreeOnRoles({
    roles: ['owner', 'hurt'],
    question:
      'In this conversation one of you names something they did that hurt the other, and the other says how it landed. Who will name what they did?',
    me: 'I will',
    partner: 'I’d like {b} to',
    agreement:
      '{owner} names something they did that hurt {hurt}, and {hurt} says how it landed. Is that right for you?',
    swap: 'The other way round',
    next: 'ready',
  }),

  ready: {
    meta: ask({
      to: 'both',
      title: 'Is now a good time?',
      summaryTitle: 'Ready to begin? — {a} and {b}',
      text: 'Is now a calm enough moment for you to begin?',
      why: 'Either of you can pause or stop at any point, and “not now” is a fine answer.',
      input: { kind: 'choice', options: READY_OPTIONS },
      sealed: true,
    }),
    on: { ANSWER: readiness('admission') },
  },

  admission: {
    meta: ask({
      to: 'owner',
      title: 'What you did',
      summaryTitle: 'What {owner} named',
      text: 'In plain words, what did you do? Say what happened, without reasons or softening; those can wait.',
      why: 'A plain account, owned in the first person, is where rebuilding trust starts.',
      input: { kind: 'text', label: 'What I did', min: 10, max: 2000, placeholder: 'I …' },
      coach: (text) => coachApology(text).notes.map(describeNote),
    }),
    on: {
      ANSWER: [{ guard: 'admissionNeedsReview', target: 'review', actions: 'recordDraft' }, step.answer('impactGuess')],
    },
  },

  review: {
    meta: ask({
      to: 'owner',
      title: 'A private note on your words',
      text: admissionReview,
      input: { kind: 'choice', options: REVIEW_OPTIONS },
      private: true,
      quote: (context) => quoteOf(context, 'admission', 'Your words'),
    }),
    on: {
      ANSWER: [
        {
          guard: choiceIs('rewrite'),
          target: 'admission',
          actions: [{ type: 'rewriteDraft', params: { step: 'admission' } }, count.bump('rewrites')],
        },
        // Kept as written. The choice itself is not recorded: this step is private to its author.
        { target: 'impactGuess', actions: { type: 'publishDraft', params: { step: 'admission' } } },
      ],
    },
  },

  impactGuess: {
    meta: ask({
      to: 'owner',
      title: 'How it may have affected them',
      summaryTitle: 'How {owner} imagined it affected {hurt}',
      text: 'Before {hurt} answers: how do you imagine this affected them?',
      why: 'Imagining it from their side first makes it easier to listen.',
      input: { kind: 'text', label: 'How I think it affected them', min: 10, max: 2000 },
    }),
    on: { ANSWER: step.answer('impact') },
  },

  impact: {
    meta: ask({
      to: 'hurt',
      title: 'How it affected you',
      summaryTitle: 'How it affected {hurt}',
      text: (context) =>
        latestGiven(context, 'admission')
          ? '{owner} has named what they did. How did it affect you? Take all the room you need.'
          : 'How did what happened affect you? Take all the room you need.',
      why: 'Your account stands on its own, and it will be reflected back before anything else is said.',
      input: IMPACT_INPUT,
      quote: (context) => quoteOf(context, 'admission', 'What {owner} named'),
    }),
    on: {
      ANSWER: [
        // Skipped after a safety pause: there are no words of theirs to reflect back.
        { guard: 'answerSkipped', target: 'need', actions: 'record' },
        step.answer('mirror'),
      ],
    },
  },

  mirror: mirror('mirror', {
    listener: 'owner',
    speaker: 'hurt',
    said: (context) => {
      const impact = latest(context, 'impact');
      return impact
        ? [{ by: impact.by, text: answerText(impact.value, IMPACT_INPUT), label: 'How it affected {hurt}' }]
        : [];
    },
    what: 'how it affected {hurt}',
    reflect: 'In your own words, what did you hear {hurt} say about how it affected them?',
    counter: 'mirrorRounds',
    rounds: LIMITS.reflections,
    next: 'need',
  }),

  need: {
    meta: ask({
      to: 'hurt',
      title: 'What would help',
      summaryTitle: 'What would help {hurt}',
      text: 'What would help you begin to trust {owner} again? Something small and concrete is enough; “I don’t know yet” is a fine answer too.',
      why: 'A promise means more when it answers a real need.',
      input: { kind: 'text', label: 'What would help me', min: 2, max: 2000 },
    }),
    on: { ANSWER: step.answer('promise') },
  },

  promise: {
    meta: ask({
      to: 'owner',
      title: 'What will be different',
      summaryTitle: 'What {owner} promised',
      text: 'From now on, what can {hurt} expect from you? Make it concrete enough that they will be able to see you keep it.',
      why: 'Trust grows back as promises are kept, so promise only what you can keep.',
      input: { kind: 'text', label: 'What I will do', min: 10, max: 2000, placeholder: 'I will …' },
      promise: true,
      coach: (text) => coachPromise(text).notes.map(describeNote),
      quote: (context) => quoteOf(context, 'need', 'What would help {hurt}'),
    }),
    on: {
      ANSWER: [
        { guard: 'promiseNeedsReview', target: 'promiseReview', actions: 'recordDraft' },
        step.answer('response'),
      ],
    },
  },

  promiseReview: {
    meta: ask({
      to: 'owner',
      title: 'A private note on your promise',
      text: promiseReview,
      input: { kind: 'choice', options: REVIEW_OPTIONS },
      private: true,
      quote: (context) => quoteOf(context, 'promise', 'Your promise'),
    }),
    on: {
      ANSWER: [
        {
          guard: choiceIs('rewrite'),
          target: 'promise',
          actions: [{ type: 'rewriteDraft', params: { step: 'promise' } }, count.bump('promiseRewrites')],
        },
        { target: 'response', actions: { type: 'publishDraft', params: { step: 'promise' } } },
      ],
    },
  },

  response: {
    meta: ask({
      to: 'hurt',
      title: 'Your response',
      summaryTitle: '{hurt}’s response',
      text: responseText,
      why: 'There is no right answer: needing time, or not being ready, is a real answer.',
      input: {
        kind: 'choice',
        options: RESPONSE_OPTIONS,
        offer: responseChoices,
        note: {
          label: 'Anything you’d like to add (optional)',
          labelFor: { later: 'The questions you’d like to keep' },
          requiredFor: ['later'],
          onlyFor: ['accept', 'time', 'notReady', 'later'],
          min: 0,
          max: 1000,
        },
      },
      quote: (context) => [
        ...quoteOf(context, 'admission', 'What {owner} named'),
        ...quoteOf(context, 'promise', 'What {owner} promised'),
      ],
    }),
    on: {
      ANSWER: [
        { guard: 'asksAnotherQuestion', target: 'question', actions: ['record', count.bump('questions')] },
        { guard: 'keepsQuestionsForLater', target: 'response', reenter: true, actions: ['record', count.bump('kept')] },
        step.answer('done'),
      ],
    },
  },

  question: {
    meta: ask({
      to: 'hurt',
      title: 'Your question',
      summaryTitle: '{hurt}’s question',
      text: 'What would you like to ask {owner}?',
      input: { kind: 'text', label: 'My question', min: 2, max: 1000 },
    }),
    on: {
      ANSWER: [
        // A question skipped after a safety pause was never asked: nothing for {owner} to answer.
        { guard: 'answerSkipped', target: 'response', actions: 'record' },
        step.answer('answer'),
      ],
    },
  },

  answer: {
    meta: ask({
      to: 'owner',
      title: 'Your answer',
      summaryTitle: '{owner}’s answer',
      text: '{hurt} asked you something. How would you answer, as plainly and honestly as you can?',
      why: 'A straight answer now does more for trust than a careful one.',
      input: { kind: 'text', label: 'My answer', min: 2, max: 2000 },
      quote: (context) => quoteOf(context, 'question', '{hurt}’s question'),
    }),
    on: { ANSWER: step.answer('response') },
  },

  done: { type: 'final' },
};

/** The hurt partner's final response (the last one that was not a request to ask or to keep questions). */
const finalResponse = (context: FlowContext) =>
  context.answers.findLast((a) => a.step === 'response' && !['question', 'later'].includes(a.value.choice ?? ''));

const RESPONSE_WORDS: Record<string, (hurt: string) => string> = {
  accept: (hurt) => `${hurt} accepts what was said.`,
  time: (hurt) => `${hurt} needs time with this. There is no deadline.`,
  notReady: (hurt) => `${hurt} is not ready to accept this yet. That is ${hurt}’s to decide.`,
};

/** What matters most at a glance: what was named, what would help, what was promised, the response. */
function highlights(context: FlowContext, nameOf: NameOf): SummarySection[] {
  const owner = nameOf(context.roles.owner ?? 'a');
  const hurt = nameOf(context.roles.hurt ?? 'b');
  // What was named, needed and promised, at a glance: a question skipped after a pause has none.
  const text = (stepId: string) => {
    const answer = latest(context, stepId);
    return answer && !answer.draft && !isSkipped(answer.value) ? answerText(answer.value) : undefined;
  };
  const sections: SummarySection[] = [];
  const admission = text('admission');
  if (admission) sections.push({ title: `What ${owner} named`, lines: [admission] });
  const need = text('need');
  if (need) sections.push({ title: `What would help ${hurt}`, lines: [need] });
  const promise = text('promise');
  if (promise) sections.push({ title: `What ${owner} promised`, lines: [promise] });
  const response = finalResponse(context);
  if (response) {
    const words =
      RESPONSE_WORDS[response.value.choice ?? '']?.(hurt) ??
      answerText(response.value, { kind: 'choice', options: RESPONSE_OPTIONS });
    sections.push({ title: `${hurt}’s response`, lines: response.value.note ? [words, response.value.note] : [words] });
  }
  const kept = context.answers.filter((a) => a.step === 'response' && a.value.choice === 'later' && a.value.note);
  if (kept.length > 0)
    sections.push({ title: `Questions ${hurt} kept for next time`, lines: kept.map((a) => a.value.note ?? '') });

  const open: string[] = [];
  if (latest(context, 'mirror.check')?.value.choice === 'more') {
    open.push(`${hurt} felt part of what they said was not yet heard.`);
  }
  if (open.length > 0) sections.push({ title: 'Still open', lines: open });
  return sections;
}

const NEXT_STEP: Record<string, string> = {
  accept:
    'Give the promise time to show in everyday life. When you both feel ready, choose another conversation with /talk.',
  time: 'There is no deadline. Come back to this when {hurt} is ready; the promise can start showing in the meantime.',
  notReady:
    '“Not ready” stands, and trust can’t be hurried. If you both want to find a way on, a couples counsellor can help you with it.',
};

/** What will be different, in the owner's words, to the one they hurt. */
function promises(context: FlowContext): PromiseDraft[] {
  const promise = latestGiven(context, 'promise');
  const owner = context.roles.owner;
  if (!promise?.value.text || !owner) return [];
  return [{ by: [owner], to: [otherPartner(owner)], words: promise.value.text, step: 'promise' }];
}

export default defineFlow({
  id: 'admit-mistake',
  version: 2,
  title: 'Admitting a mistake',
  description:
    'One of you names something you did that hurt the other; the other is heard and answers in their own time.',
  roles: {
    owner: 'The partner naming something they did that broke trust',
    hurt: 'The partner who was hurt by it',
  },
  setup: admit,
  initial: 'roles',
  states,
  highlights,
  promises,
  nextStep: (context) => NEXT_STEP[finalResponse(context)?.value.choice ?? 'accept'] ?? NEXT_STEP.accept ?? '',
});
