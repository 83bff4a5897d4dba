/**
 * Flow 1, "Admitting the mistake" (seed §3, §7, §9). One partner puts into plain words something
 * they did that broke trust; the other is heard, reflected back, and answers in their own time.
 *
 *   roles → ready (both, sealed; either may say "not now") → admission → [review, private] →
 *   impactGuess → impact → mirror.reflect ⇄ mirror.confirm (bounded) → need → promise →
 *   response ⇄ question → answer (bounded) → done
 *
 * The admission is read by the apology coach; when it finds hedges, its author alone sees the
 * notes and chooses to keep their words or rewrite them (a rewrite drops the draft, at most twice).
 * The bot never changes anyone's words. Role names are internal: prompts say {owner} and {hurt},
 * which surfaces turn into display names.
 */
import { coachApology, describeNote } from '../src/engine/apology-coach.js';
import {
  type AnswerRecord,
  answerText,
  ask,
  choiceIs,
  counters,
  defineFlow,
  type FlowContext,
  type FlowEvent,
  flowKit,
  latest,
  type NameOf,
  type Option,
  type Quote,
  READY_OPTIONS,
  readiness,
  type StatesOf,
  type SummarySection,
  setRoles,
  step,
} from '../src/engine/flow-kit.js';

/** Loop bounds: every loop in this flow ends. */
export const LIMITS = {
  /** Times the author may take back a draft admission after the private review. */
  rewrites: 2,
  /** Reflections the owner may give before the flow moves on, heard fully or not. */
  reflections: 3,
  /** Questions the hurt partner may ask before responding. */
  questions: 3,
} as const;

type GuardArgs = { context: FlowContext; event: FlowEvent };

const count = counters('rewrites', 'mirrorRounds', 'questions');

/** The latest answer to a step. */
const given = (context: FlowContext, stepId: string): AnswerRecord | undefined => latest(context, stepId);

const quoteOf = (context: FlowContext, stepId: string, label: string): Quote[] => {
  const answer = given(context, stepId);
  return answer ? [{ by: answer.by, text: answerText(answer.value), label }] : [];
};

export const ROLE_OPTIONS: Option[] = [
  { value: 'me', label: 'I will' },
  { value: 'partner', label: 'My partner will' },
];

export const REVIEW_OPTIONS: Option[] = [
  { value: 'keep', label: 'Keep my words as they are' },
  { value: 'rewrite', label: 'Rewrite it' },
];

export const CONFIRM_OPTIONS: Option[] = [
  { value: 'yes', label: 'Yes, that’s it' },
  { value: 'missing', label: 'Something’s missing' },
];

export const RESPONSE_OPTIONS: Option[] = [
  { value: 'accept', label: 'I accept what you’ve said' },
  { value: 'time', label: 'I need time with this' },
  { value: 'question', label: 'I’d like to ask something first' },
];

const choiceOf = (event: FlowEvent) => (event.type === 'ANSWER' ? event.value.choice : undefined);

/** The flow's own guards, named for what they mean (the diagrams show these names). */
const admit = flowKit.extend({
  guards: {
    /** The admission has something its author may want to look at again, and a rewrite is still open. */
    admissionNeedsReview: ({ context, event }: GuardArgs) =>
      event.type === 'ANSWER' &&
      typeof event.value.text === 'string' &&
      coachApology(event.value.text).needsReview &&
      count.of(context, 'rewrites') < LIMITS.rewrites,
    /** The hurt partner said something is missing, and another reflection round is still open. */
    notYetHeard: ({ context, event }: GuardArgs) =>
      choiceOf(event) === 'missing' && count.of(context, 'mirrorRounds') < LIMITS.reflections - 1,
    /** The hurt partner wants to ask something, and may still ask another question. */
    asksAnotherQuestion: ({ context, event }: GuardArgs) =>
      choiceOf(event) === 'question' && count.of(context, 'questions') < LIMITS.questions,
  },
});

const reviewText = (context: FlowContext): string => {
  const draft = given(context, 'admission')?.value.text ?? '';
  const notes = coachApology(draft).notes.map((note) => `• ${describeNote(note)}`);
  return [
    'Only you can see this. Before you go on, a simple word check noticed a few things that can make an apology harder to hear:',
    '',
    ...notes,
    '',
    'It can be wrong, and your words stay exactly as you wrote them unless you choose otherwise. Keep them, or rewrite?',
  ].join('\n');
};

const reflections = (context: FlowContext): number => count.of(context, 'mirrorRounds') + 1;

const reflectText = (context: FlowContext): string =>
  reflections(context) === 1
    ? 'In your own words, what did you hear {hurt} say? Reflect it back without explaining or defending — that can come later.'
    : '{hurt} said what was missing. Try once more: what did you hear?';

const confirmText = (context: FlowContext): string =>
  reflections(context) >= LIMITS.reflections
    ? 'Did {owner} get it this time? If something is still missing, say so in the note — it will be kept, and you can come back to it.'
    : 'Did {owner} get it?';

/** What the owner mirrors: the hurt partner's account, and what they said was missing. */
const quoteForReflect = (context: FlowContext): Quote[] => {
  const quotes = quoteOf(context, 'impact', 'How it affected them');
  const correction = given(context, 'mirror.confirm');
  if (correction?.value.choice === 'missing' && correction.value.note) {
    quotes.push({ by: correction.by, text: correction.value.note, label: 'What was missing' });
  }
  return quotes;
};

const responseText = (context: FlowContext): string => {
  const asked = count.of(context, 'questions');
  const base = 'You’ve heard {owner} name what they did and what will change. Where are you with it right now?';
  return asked >= LIMITS.questions ? `${base} Any further questions can open your next conversation.` : base;
};

const states: StatesOf<typeof admit> = {
  roles: {
    meta: ask({
      to: 'a',
      title: 'Before we begin',
      text: 'In this conversation, one of you puts into words something they did that hurt the other, and the other says how it landed. Who will be naming what they did?',
      why: 'Clear turns make a hard conversation easier to follow.',
      input: { kind: 'choice', options: ROLE_OPTIONS },
    }),
    on: {
      ANSWER: {
        target: 'ready',
        actions: ['record', setRoles({ me: { owner: 'a', hurt: 'b' }, partner: { owner: 'b', hurt: 'a' } })],
      },
    },
  },

  ready: {
    meta: ask({
      to: 'both',
      title: 'Is now a good time?',
      text: '{owner} will name something they did, and {hurt} will say how it affected them. This is a structure for talking, not therapy; where the hurt runs deep, a counsellor can help alongside it. Either of you can pause or stop at any point. Is now a good time, and do you feel calm enough to begin?',
      why: 'A hard talk goes better when you have both chosen to have it now.',
      input: { kind: 'choice', options: READY_OPTIONS },
      sealed: true,
    }),
    on: {
      ANSWER: readiness('admission'),
    },
  },

  admission: {
    meta: ask({
      to: 'owner',
      title: 'What you did',
      text: 'In plain words, what did you do? Say what happened, without reasons or softening — those can wait.',
      why: 'A plain account, owned in the first person, is where rebuilding trust starts.',
      input: { kind: 'text', label: 'What I did', min: 10, max: 2000, placeholder: 'I …' },
    }),
    on: {
      ANSWER: [{ guard: 'admissionNeedsReview', target: 'review', actions: 'record' }, step.answer('impactGuess')],
    },
  },

  review: {
    meta: ask({
      to: 'owner',
      title: 'A private note on your words',
      text: reviewText,
      input: { kind: 'choice', options: REVIEW_OPTIONS },
      private: true,
      quote: (context) => quoteOf(context, 'admission', 'Your words'),
    }),
    on: {
      ANSWER: [
        {
          guard: choiceIs('rewrite'),
          target: 'admission',
          actions: [{ type: 'dropLatest', params: { step: 'admission' } }, count.bump('rewrites')],
        },
        // Kept as written. The choice itself is not recorded: this step is private to its author.
        { target: 'impactGuess' },
      ],
    },
  },

  impactGuess: {
    meta: ask({
      to: 'owner',
      title: 'How it may have affected them',
      text: 'Before {hurt} answers: how do you think this affected them?',
      why: 'Imagining it from their side first makes it easier to listen.',
      input: { kind: 'text', label: 'How I think it affected them', min: 10, max: 2000 },
    }),
    on: { ANSWER: step.answer('impact') },
  },

  impact: {
    meta: ask({
      to: 'hurt',
      title: 'How it affected you',
      text: '{owner} has named what they did. How did it affect you? Take all the room you need.',
      why: 'Your account stands on its own, and it will be reflected back before anything else is said.',
      input: { kind: 'text', label: 'How it affected me', min: 5, max: 4000 },
      quote: (context) => quoteOf(context, 'admission', 'What was named'),
    }),
    on: { ANSWER: step.answer('mirror') },
  },

  mirror: {
    initial: 'reflect',
    states: {
      reflect: {
        meta: ask({
          to: 'owner',
          title: 'What you heard',
          text: reflectText,
          why: 'Being heard accurately often matters more than any answer.',
          input: { kind: 'text', label: 'What I heard', min: 10, max: 2000 },
          quote: quoteForReflect,
        }),
        on: { ANSWER: step.answer('confirm') },
      },
      confirm: {
        meta: ask({
          to: 'hurt',
          title: 'Did they hear you?',
          text: confirmText,
          input: {
            kind: 'choice',
            options: CONFIRM_OPTIONS,
            note: { label: 'What’s missing or different (optional)', min: 0, max: 1000 },
          },
          quote: (context) => quoteOf(context, 'mirror.reflect', 'What they heard'),
        }),
        on: {
          ANSWER: [
            { guard: 'notYetHeard', target: 'reflect', actions: ['record', count.bump('mirrorRounds')] },
            step.answer('closed'),
          ],
        },
      },
      closed: { type: 'final' },
    },
    onDone: 'need',
  },

  need: {
    meta: ask({
      to: 'hurt',
      title: 'What would help',
      text: 'What would help you begin to trust {owner} again? Something small and concrete is enough, and “I don’t know yet” is a fine answer too.',
      why: 'A promise means more when it answers a real need.',
      input: { kind: 'text', label: 'What would help me', min: 2, max: 2000 },
    }),
    on: { ANSWER: step.answer('promise') },
  },

  promise: {
    meta: ask({
      to: 'owner',
      title: 'What will be different',
      text: 'From now on, what can {hurt} expect from you? Make it concrete enough that they will be able to see you keep it.',
      why: 'Trust grows back as promises are kept, so promise only what you can keep.',
      input: { kind: 'text', label: 'What I will do', min: 10, max: 2000, placeholder: 'I will …' },
      quote: (context) => quoteOf(context, 'need', 'What would help'),
    }),
    on: { ANSWER: step.answer('response') },
  },

  response: {
    meta: ask({
      to: 'hurt',
      title: 'Your response',
      text: responseText,
      why: 'There is no right answer here, and needing time is a real answer.',
      input: {
        kind: 'choice',
        options: RESPONSE_OPTIONS,
        note: { label: 'Anything you’d like to add (optional)', min: 0, max: 1000 },
      },
      quote: (context) => [
        ...quoteOf(context, 'admission', 'What was named'),
        ...quoteOf(context, 'promise', 'What was promised'),
      ],
    }),
    on: {
      ANSWER: [
        { guard: 'asksAnotherQuestion', target: 'question', actions: ['record', count.bump('questions')] },
        step.answer('done'),
      ],
    },
  },

  question: {
    meta: ask({
      to: 'hurt',
      title: 'Your question',
      text: 'What would you like to ask {owner}?',
      input: { kind: 'text', label: 'My question', min: 2, max: 1000 },
    }),
    on: { ANSWER: step.answer('answer') },
  },

  answer: {
    meta: ask({
      to: 'owner',
      title: 'Your answer',
      text: '{hurt} has asked you something. How would you answer, as plainly and honestly as you can?',
      why: 'A straight answer now does more for trust than a careful one.',
      input: { kind: 'text', label: 'My answer', min: 2, max: 2000 },
      quote: (context) => quoteOf(context, 'question', 'The question'),
    }),
    on: { ANSWER: step.answer('response') },
  },

  done: { type: 'final' },
};

/** What matters most at a glance: what was named, what would help, what was promised, the response. */
function highlights(context: FlowContext, nameOf: NameOf): SummarySection[] {
  const owner = nameOf(context.roles.owner ?? 'a');
  const hurt = nameOf(context.roles.hurt ?? 'b');
  const text = (stepId: string, options?: Option[]) => {
    const answer = given(context, stepId);
    return answer ? answerText(answer.value, options) : undefined;
  };
  const sections: SummarySection[] = [];
  const admission = text('admission');
  if (admission) sections.push({ title: `What ${owner} named`, lines: [admission] });
  const need = text('need');
  if (need) sections.push({ title: `What would help ${hurt}`, lines: [need] });
  const promise = text('promise');
  if (promise) sections.push({ title: `What ${owner} promised`, lines: [promise] });
  const response = given(context, 'response');
  if (response) sections.push({ title: `${hurt}’s response`, lines: [answerText(response.value, RESPONSE_OPTIONS)] });

  const open: string[] = [];
  const confirm = given(context, 'mirror.confirm');
  if (confirm?.value.choice === 'missing') {
    open.push(`${hurt} felt part of what they said was not yet heard.`);
  }
  if (response?.value.choice === 'time') open.push(`${hurt} is taking time with this; there is no deadline.`);
  if (response?.value.choice === 'question') {
    open.push(`${hurt} has more questions — a good place to start next time.`);
  }
  if (open.length > 0) sections.push({ title: 'Still open', lines: open });
  return sections;
}

export default defineFlow({
  id: 'admit-mistake',
  version: 1,
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
  nextStep:
    'Give the promise time to show in everyday life, and when you both feel ready, choose another conversation with /talk.',
});
