/**
 * Steps more than one flow is built from, each a small nested state a flow drops in:
 *
 * - `agreeOnRoles`: nobody decides for the other. One partner proposes who takes which role; the
 *   other agrees, swaps it, or says not now; a swap goes back to the first to agree to.
 * - `mirror`: Imago's mirror → check → validate. The listener reflects what the speaker said, the
 *   speaker says whether that was it ("is there more?"), bounded, and the listener says what makes
 *   sense to them about it. A reflection skipped after a safety pause is not checked.
 */
import { answerText, latest } from './answers.js';
import { ask, choiceIs, declineWith, type StatesOf, setRoles } from './flow-kit.js';
import type { FlowContext, Option, PartnerId, Quote, Wording } from './flow-types.js';

type State = StatesOf[string];

export const AGREE_OPTIONS = {
  yes: { value: 'yes', label: 'Yes, that’s right for me' },
  notNow: { value: 'notNow', label: 'Not now' },
} as const;

export interface RoleProposal {
  /** The two roles, the first being the one the question is about (e.g. owner, then hurt). */
  roles: [string, string];
  /** The proposing partner's question, e.g. "Who will name something they did?" */
  question: Wording;
  why?: Wording;
  /** Labels for "I will" (the proposer takes the first role) and "my partner will". */
  me: string;
  partner: string;
  /** What the other partner is asked to agree to, with the roles already in: "{owner} names …". */
  agreement: Wording;
  /** The swap, as the other partner offers it: "The other way round". */
  swap: string;
  /** Where to go once both agree. */
  next: string;
}

/** Who takes which role: proposed by partner a, agreed (or swapped, or declined) by b. */
export function agreeOnRoles(spec: RoleProposal): State {
  const [first, second] = spec.roles;
  const proposeOptions: Option[] = [
    { value: 'me', label: spec.me },
    { value: 'partner', label: spec.partner },
  ];
  const confirmOptions: Option[] = [AGREE_OPTIONS.yes, { value: 'swap', label: spec.swap }, AGREE_OPTIONS.notNow];
  const swapOptions: Option[] = [AGREE_OPTIONS.yes, AGREE_OPTIONS.notNow];
  const byProposal = {
    me: { [first]: 'a', [second]: 'b' } as Record<string, PartnerId>,
    partner: { [first]: 'b', [second]: 'a' } as Record<string, PartnerId>,
  };
  return {
    initial: 'propose',
    states: {
      propose: {
        meta: ask({
          to: 'a',
          title: 'Before we begin',
          summaryTitle: 'What {a} proposed',
          text: spec.question,
          ...(spec.why === undefined ? {} : { why: spec.why }),
          input: { kind: 'choice', options: proposeOptions },
        }),
        on: { ANSWER: { target: 'confirm', actions: ['record', setRoles(byProposal)] } },
      },
      confirm: {
        meta: ask({
          to: 'b',
          title: 'Does that work for you?',
          summaryTitle: 'What {b} said to it',
          text: spec.agreement,
          why: 'Nobody decides this for you: agree, turn it round, or say not now.',
          input: { kind: 'choice', options: confirmOptions },
        }),
        on: {
          ANSWER: [
            { guard: choiceIs('notNow'), ...declineWith('record') },
            {
              guard: choiceIs('swap'),
              target: 'confirmSwap',
              actions: ['record', { type: 'swapRoles', params: { roles: spec.roles } }],
            },
            { target: 'agreed', actions: 'record' },
          ],
        },
      },
      confirmSwap: {
        meta: ask({
          to: 'a',
          title: 'The other way round?',
          summaryTitle: 'What {a} said to the swap',
          text: (context) => `{b} would rather turn it round. ${fill(spec.agreement, context)}`,
          input: { kind: 'choice', options: swapOptions },
        }),
        on: {
          ANSWER: [
            { guard: choiceIs('notNow'), ...declineWith('record') },
            { target: 'agreed', actions: 'record' },
          ],
        },
      },
      agreed: { type: 'final' },
    },
    onDone: spec.next,
  };
}

const fill = (wording: Wording, context: FlowContext) => (typeof wording === 'function' ? wording(context) : wording);

export const CHECK_OPTIONS: Option[] = [
  { value: 'yes', label: 'Yes, that’s it' },
  { value: 'more', label: 'There’s more' },
];

export interface MirrorSpec {
  /** The roles (or partners 'a'/'b') of who listens and who spoke. */
  listener: string;
  speaker: string;
  /** What is being mirrored: the speaker's own words, quoted for the listener. */
  said: (context: FlowContext) => Quote[];
  /** A short name for what was said, for headings: "how it affected {hurt}". */
  what: string;
  /** The listener's first question: "In your own words, what did you hear about how it affected {hurt}?" */
  reflect: string;
  /** The counter bounding the "there's more" rounds (reset each time the mirror starts). */
  counter: string;
  /** How many reflections the listener may give at most. */
  rounds: number;
  /** Where to go once the listener has said what makes sense to them. */
  next: string;
  /** What the answers are about (e.g. the item), stored with each for the summary. */
  about?: (context: FlowContext) => string | undefined;
}

const checkStep = (state: string) => `${state}.check`;

/** Imago's mirror, check and validate, bounded: a nested state a flow places under a name of its own. */
export function mirror(name: string, spec: MirrorSpec): State {
  const { listener, speaker } = spec;
  const lastCheck = (context: FlowContext) => latest(context, checkStep(name));
  const lastReflection = (context: FlowContext) => latest(context, `${name}.reflect`);
  const round = (context: FlowContext) => context.counters[spec.counter] ?? 0;
  /** Where this pass through the mirror began: the first reflection since the last validation. */
  const lastStart = (context: FlowContext) => {
    const validated = latest(context, `${name}.validate`)?.seq ?? -1;
    return context.answers.find((a) => a.step === `${name}.reflect` && a.seq > validated)?.seq;
  };
  const about = spec.about ? { about: spec.about } : {};
  // The rounds counter is reset as the mirror is left, not as it is entered: a pause resumes into
  // the mirror (re-entering it), and the rounds already given must still count.
  const reset = { type: 'resetCounter', params: { counter: spec.counter } } as const;
  return {
    initial: 'reflect',
    states: {
      reflect: {
        meta: ask({
          to: listener,
          title: 'What you heard',
          summaryTitle: `What {${listener}} heard about ${spec.what}`,
          text: (context) => {
            if (round(context) === 0)
              return `${spec.reflect} Say it back without explaining or defending; that can come later.`;
            return lastCheck(context)?.value.note
              ? `{${speaker}} said there is more (below). Try once more: what did you hear?`
              : `{${speaker}} feels there is more to it. Try once more: what did you hear?`;
          },
          why: 'Being heard accurately often matters more than any answer.',
          input: { kind: 'text', label: 'What I heard', min: 5, max: 2000 },
          ...about,
          quote: (context) => {
            const quotes = spec.said(context);
            const more = lastCheck(context);
            if (round(context) > 0 && more?.value.note) {
              quotes.push({ by: more.by, text: more.value.note, label: `What {${speaker}} added` });
            }
            return quotes;
          },
        }),
        on: {
          ANSWER: [
            // A reflection skipped after a safety pause has nothing to check: on to what makes sense.
            { guard: 'answerSkipped', target: 'validate', actions: 'record' },
            { target: 'check', actions: 'record' },
          ],
        },
      },
      check: {
        meta: ask({
          to: speaker,
          title: 'Is that it?',
          summaryTitle: `{${speaker}} on what {${listener}} heard about ${spec.what}`,
          text: (context) =>
            round(context) + 1 >= spec.rounds
              ? `Did {${listener}} get it this time? If something is still missing, say so in the note; it will be kept.`
              : `Did {${listener}} get it, or is there more?`,
          input: {
            kind: 'choice',
            options: CHECK_OPTIONS,
            note: { label: 'What’s missing, or what more (optional)', min: 0, max: 1000, onlyFor: ['more'] },
          },
          ...about,
          quote: (context) => {
            const heard = lastReflection(context);
            return heard ? [{ by: heard.by, text: answerText(heard.value), label: `What {${listener}} heard` }] : [];
          },
        }),
        on: {
          ANSWER: [
            {
              guard: { type: 'mirrorNotYetHeard', params: { counter: spec.counter, rounds: spec.rounds } },
              target: 'reflect',
              actions: ['record', { type: 'bump', params: { counter: spec.counter } }],
            },
            { target: 'validate', actions: 'record' },
          ],
        },
      },
      validate: {
        meta: ask({
          to: listener,
          title: 'What makes sense to you',
          summaryTitle: `What makes sense to {${listener}} about ${spec.what}`,
          text: `What makes sense to you about what {${speaker}} said? You can understand it without agreeing with all of it.`,
          why: 'Saying what makes sense is how the other knows they were not only heard, but understood.',
          input: { kind: 'text', label: 'What makes sense to me', min: 2, max: 1000 },
          ...about,
          // What was said, and whatever the speaker added under "there's more".
          quote: (context) => [
            ...spec.said(context),
            ...context.answers
              .filter((a) => a.step === checkStep(name) && a.value.note && a.seq > (lastStart(context) ?? -1))
              .map((a): Quote => ({ by: a.by, text: a.value.note ?? '', label: `What {${speaker}} added` })),
          ],
        }),
        on: { ANSWER: { target: 'heard', actions: ['record', reset] } },
      },
      heard: { type: 'final' },
    },
    onDone: spec.next,
  };
}
