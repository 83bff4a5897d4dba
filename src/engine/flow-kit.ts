/**
 * The shared kit every flow is built on. A flow (one file in flows/) describes only its own steps;
 * the kit wraps them in what every flow has: answers (one partner's, or both partners' sealed or
 * open), drafts under private review, corrections and additions, pause (with a return time or a
 * safety hold), resume and end. It knows nothing of any surface.
 *
 * Time never comes from a clock inside a machine: events carry `at` so machines stay pure and
 * deadlines live in the store (XState does not persist pending `after` timers).
 */
import { type AnyStateMachine, assign, raise, setup } from 'xstate';
import { answerAt, isSkipped, readByOther } from './answers.js';
import {
  type AnswerRecord,
  type AnswerRef,
  emptyContext,
  type FlowContext,
  type FlowEvent,
  type NameOf,
  type Option,
  otherPartner,
  PARTNERS,
  type PartnerId,
  type PauseInfo,
  type PromiseDraft,
  type PromptSpec,
  type StepMeta,
  type SummarySection,
  type Wording,
} from './flow-types.js';
import { FOLLOW_UP_STEP, type FollowUpKind, followUpPrompt } from './follow-up.js';

type AnswerEvent = Extract<FlowEvent, { type: 'ANSWER' }>;

const recordOf = (event: AnswerEvent, context: FlowContext, by = event.by): AnswerRecord => {
  const value = by === event.by ? event.value : context.pending[by];
  const record: AnswerRecord = { step: event.step, seq: context.step, by, value: value ?? {} };
  if (event.about !== undefined) record.about = event.about;
  return record;
};

/** The drafts left once a step is answered: a rewrite's old words are no longer needed. */
const withoutDraft = (context: FlowContext, step: string): FlowContext['drafts'] => {
  if (!(step in context.drafts)) return context.drafts;
  const { [step]: _done, ...rest } = context.drafts;
  return rest;
};

/** The pending answer a REVISE or ADD names, when it is the current 'both' step's. */
const isPendingRef = (context: FlowContext, by: PartnerId, ref: AnswerRef): boolean =>
  context.pendingStep === ref.step && context.step === ref.seq && context.pending[by] !== undefined;

/**
 * Whether an author may change an answer now: their own, not under private review, and not yet
 * read by the other partner. A recorded choice stays as it was (the conversation went on from
 * it); only its words change. A choice still pending in a 'both' step may change too. A question
 * skipped after a safety pause stays skipped: the conversation went on without it.
 */
export function canRevise(context: FlowContext, by: PartnerId, ref: AnswerRef, choice: string | undefined): boolean {
  if (isPendingRef(context, by, ref)) return !isSkipped(context.pending[by]);
  const answer = answerAt(context, by, ref);
  return (
    answer !== undefined &&
    !answer.draft &&
    !isSkipped(answer.value) &&
    !readByOther(context, answer) &&
    answer.value.choice === choice
  );
}

/** Whether an author may add to an answer: their own, with words, and already read by the other partner. */
export function canAdd(context: FlowContext, by: PartnerId, ref: AnswerRef): boolean {
  const answer = answerAt(context, by, ref);
  return answer !== undefined && !answer.draft && !isSkipped(answer.value) && readByOther(context, answer);
}

/**
 * The XState setup every flow machine is created from. A flow adds its own named guards and
 * actions with `flowKit.extend({ guards, actions })`, as XState's trivia example names
 * `isAnswerCorrect`: the transitions then read as what they mean, and the diagrams show the names.
 */
export const flowKit = setup({
  types: {
    context: {} as FlowContext,
    events: {} as FlowEvent,
    input: {} as Partial<FlowContext> | undefined,
    meta: {} as StepMeta,
  },
  actions: {
    nextStep: assign({ step: ({ context }) => context.step + 1 }),
    /** Keep a one-partner answer. */
    record: assign(({ context, event }) =>
      event.type === 'ANSWER'
        ? { answers: [...context.answers, recordOf(event, context)], drafts: withoutDraft(context, event.step) }
        : {},
    ),
    /** Keep a one-partner answer as a draft: only its author sees it until they keep or rewrite it. */
    recordDraft: assign(({ context, event }) =>
      event.type === 'ANSWER'
        ? {
            answers: [...context.answers, { ...recordOf(event, context), draft: true as const }],
            drafts: withoutDraft(context, event.step),
          }
        : {},
    ),
    /** The author keeps their draft as written: from now on it is an answer like any other. */
    publishDraft: assign({
      answers: ({ context }, params: { step: string }) =>
        context.answers.map((a) => {
          if (a.step !== params.step || !a.draft) return a;
          const { draft: _kept, ...answer } = a;
          return answer;
        }),
    }),
    /** The author takes their draft back to rewrite it: it leaves the answers, and prefills the form. */
    rewriteDraft: assign(({ context }, params: { step: string }) => {
      const draft = context.answers.findLast((a) => a.step === params.step && a.draft);
      if (!draft) return {};
      return {
        answers: context.answers.filter((a) => a !== draft),
        drafts: { ...context.drafts, [params.step]: draft.value },
      };
    }),
    /** Hold a 'both' answer until the other partner's is in. */
    collect: assign(({ context, event }) =>
      event.type === 'ANSWER'
        ? { pending: { ...context.pending, [event.by]: event.value }, pendingStep: event.step }
        : {},
    ),
    /**
     * Both are in: keep them, in partner order, and clear the holding place. Whether they were
     * sealed is the step's prompt's to say (`sealed`), so it is declared once.
     */
    reveal: assign(({ context, event }) => {
      if (event.type !== 'ANSWER') return {};
      const both = PARTNERS.filter((by) => by === event.by || context.pending[by] !== undefined).map((by) =>
        recordOf(event, context, by),
      );
      return { answers: [...context.answers, ...both], pending: {}, pendingStep: null };
    }),
    /** An author's correction: new words for a recorded answer nobody else has read yet. */
    revise: assign(({ context, event }) => {
      if (event.type !== 'REVISE') return {};
      const target = answerAt(context, event.by, event.target);
      return { answers: context.answers.map((a) => (a === target ? { ...a, value: event.value } : a)) };
    }),
    /** Takes back an answer still waiting in a 'both' step, so the new one is given as if it were the first. */
    withdrawPending: assign(({ context, event }) => {
      if (event.type !== 'REVISE') return {};
      const { [event.by]: _taken, ...rest } = context.pending;
      return { pending: rest, pendingStep: Object.keys(rest).length > 0 ? context.pendingStep : null };
    }),
    /** An author adds to an answer the other partner has read; what was said stays as it was. */
    add: assign(({ context, event }) => {
      if (event.type !== 'ADD') return {};
      const target = answerAt(context, event.by, event.target);
      return {
        answers: context.answers.map((a) =>
          a === target ? { ...a, additions: [...(a.additions ?? []), event.text] } : a,
        ),
      };
    }),
    /** The two roles change hands (one partner turned the proposal round). */
    swapRoles: assign({
      roles: ({ context }, params: { roles: readonly [string, string] }) => {
        const [first, second] = params.roles;
        return { ...context.roles, [first]: context.roles[second] ?? 'b', [second]: context.roles[first] ?? 'a' };
      },
    }),
    bump: assign({
      counters: ({ context }, params: { counter: string }) => ({
        ...context.counters,
        [params.counter]: (context.counters[params.counter] ?? 0) + 1,
      }),
    }),
    resetCounter: assign({
      counters: ({ context }, params: { counter: string }) => ({ ...context.counters, [params.counter]: 0 }),
    }),
    markPaused: assign({
      pause: ({ event }) => {
        if (event.type !== 'PAUSE') return null;
        const pause: PauseInfo = { by: event.by, at: event.at, resumeVotes: [] };
        if (event.until !== undefined) pause.until = event.until;
        if (event.safety) pause.safety = true;
        if (event.step !== undefined) pause.step = event.step;
        if (event.seq !== undefined) pause.seq = event.seq;
        return pause;
      },
    }),
    voteResume: assign({
      pause: ({ context, event }) => {
        if (!context.pause || event.type !== 'RESUME' || context.pause.resumeVotes.includes(event.by)) {
          return context.pause;
        }
        return { ...context.pause, resumeVotes: [...context.pause.resumeVotes, event.by] };
      },
    }),
    /**
     * The pause is over. Resuming re-enters the step it stopped at (deep history), and entering a
     * step counts it once (`nextStep`, the first entry action of every step, runs after this), so
     * the prompt asked again is `context.step + 1`. A safety hold's step may then be skipped; a
     * skippable step that an ordinary break interrupts stays skippable.
     */
    clearPause: assign(({ context }) => {
      const pause = context.pause;
      const seq = context.step + 1;
      if (pause?.safety && pause.step !== undefined) return { pause: null, afterSafety: { step: pause.step, seq } };
      const held = context.afterSafety;
      return { pause: null, afterSafety: held && held.seq === context.step ? { step: held.step, seq } : null };
    }),
    markEnded: assign({
      end: ({ event }, params: { reason: 'ended' | 'declined' }) => {
        if (event.type === 'END') {
          const end = { by: event.by, at: event.at, reason: event.reason ?? params.reason };
          return event.step === undefined ? end : { ...end, step: event.step };
        }
        // "Not now": whoever said it, at the step they said it.
        if (event.type === 'ANSWER')
          return { by: event.by, at: event.at ?? 0, reason: params.reason, step: event.step };
        return { by: 'system' as const, at: 0, reason: params.reason };
      },
    }),
  },
  guards: {
    /** The other partner's answer to this 'both' step is already in. */
    otherHasAnswered: ({ context, event }) =>
      event.type === 'ANSWER' && context.pending[otherPartner(event.by)] !== undefined,
    /** A safety hold needs both partners; an ordinary pause resumes on either's word. */
    canResume: ({ context, event }) => {
      if (event.type !== 'RESUME' || !context.pause) return false;
      if (!context.pause.safety) return true;
      const votes = new Set([...context.pause.resumeVotes, event.by]);
      return votes.size === PARTNERS.length;
    },
    /** The question was skipped after a safety pause: the answer has no words to go on from. */
    answerSkipped: ({ event }) => event.type === 'ANSWER' && event.value.skipped === true,
    /** The answer is one of these choices. */
    choiceIs: ({ event }, params: { values: readonly string[] }) =>
      event.type === 'ANSWER' && event.value.choice !== undefined && params.values.includes(event.value.choice),
    /** A counter is below its bound (every loop is bounded). */
    below: ({ context }, params: { counter: string; limit: number }) =>
      (context.counters[params.counter] ?? 0) < params.limit,
    /** In a mirror: the speaker says there is more, and another reflection round is still open. */
    mirrorNotYetHeard: ({ context, event }, params: { counter: string; rounds: number }) =>
      event.type === 'ANSWER' &&
      event.value.choice === 'more' &&
      (context.counters[params.counter] ?? 0) < params.rounds - 1,
    /** The change is to an answer still waiting in this 'both' step (it is given again, as new). */
    revisesPending: ({ context, event }) => event.type === 'REVISE' && isPendingRef(context, event.by, event.target),
    /** The author may still change this answer (see `canRevise`). */
    mayRevise: ({ context, event }) =>
      event.type === 'REVISE' && canRevise(context, event.by, event.target, event.value.choice),
    /** The author may add to this answer (see `canAdd`). */
    mayAdd: ({ context, event }) => event.type === 'ADD' && canAdd(context, event.by, event.target),
  },
});

/**
 * A flow's own setup: the kit, extended with the flow's named guards and actions
 * (`flowKit.extend({ guards })`), or the kit itself when a flow needs none.
 */
export interface FlowSetup {
  // any: the shell below is assembled here from states already type-checked against the flow's
  // own setup (`StatesOf<typeof setup>`); XState's config type cannot be written generically.
  // biome-ignore lint/suspicious/noExplicitAny: see above
  createMachine(config: any): AnyStateMachine;
}

/** The states of a flow, typed against its setup: its guards, actions, context and events. */
export type StatesOf<S extends FlowSetup = typeof flowKit> = NonNullable<Parameters<S['createMachine']>[0]['states']>;

/** Guard: the answer is one of these choices. */
export const choiceIs = (...values: string[]) => ({ type: 'choiceIs', params: { values } }) as const;

/**
 * A flow's loop counters, named once, so a misspelt counter is a type error rather than a loop
 * that never ends: `const count = counters('rewrites', 'questions')`, then `count.bump('rewrites')`
 * (an action), `count.below('questions', 3)` (a guard) and `count.of(context, 'questions')`.
 */
export function counters<const N extends string>(..._names: N[]) {
  return {
    bump: (counter: N) => ({ type: 'bump', params: { counter } }) as const,
    reset: (counter: N) => ({ type: 'resetCounter', params: { counter } }) as const,
    below: (counter: N, limit: number) => ({ type: 'below', params: { counter, limit } }) as const,
    of: (context: FlowContext, counter: N): number => context.counters[counter] ?? 0,
  };
}

export interface FlowDefinition {
  /** Marks a module's default export as a flow (the registry loads every file in flows/). */
  kind: 'mend-flow';
  id: string;
  /** Bump when a change makes older snapshots unsafe to restore. */
  version: number;
  /** Versions whose snapshots this version can still restore as they are. */
  compatibleWith?: number[];
  title: string;
  /** One line for the flow picker. */
  description: string;
  /** Role name → what it means (internal; prompts use display names). */
  roles: Record<string, string>;
  /** The machine: the flow's steps wrapped in the kit's shell. */
  machine: AnyStateMachine;
  /** Step id → its prompt spec, in declaration order. */
  steps: Map<string, PromptSpec>;
  /** Flow-specific highlights for the summary, from the final context. */
  highlights: (context: FlowContext, nameOf: NameOf) => SummarySection[];
  /** A gentle next step to close the summary of a conversation that went through every step. */
  nextStep: Wording;
  /** What this conversation's answers promised (none for most steps; see FlowSpec.promises). */
  promises: (context: FlowContext) => PromiseDraft[];
  /** What the end-of-conversation step schedules, when there is something to follow up. */
  followUp?: FollowUpKind;
  /** Offered in /talk's list (a check-in is started by Mend, never picked). */
  listed: boolean;
  /** Closed after a long quiet spell (a check-in nobody answers is reminded once, then left open). */
  closesWhenQuiet: boolean;
  /** Both partners look the summary over (confirm it, or add a note) before it is posted. */
  summaryApproval: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every state with a prompt gets `nextStep` on entry, so no flow can forget it. */
const withStepCounting = (states: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [name, config] of Object.entries(states)) {
    if (!isRecord(config)) {
      out[name] = config;
      continue;
    }
    const copy: Record<string, unknown> = { ...config };
    const meta = copy.meta;
    if (isRecord(meta) && 'prompt' in meta) {
      const entry = copy.entry;
      copy.entry = entry === undefined ? ['nextStep'] : ['nextStep', ...(Array.isArray(entry) ? entry : [entry])];
    }
    if (isRecord(copy.states)) copy.states = withStepCounting(copy.states);
    out[name] = copy;
  }
  return out;
};

/**
 * The shell every flow shares, around the flow's own steps:
 *   active (the flow's steps, with deep history) ⇄ paused; END from anywhere → ended; done →
 *   completed; a "not now" → declined. Corrections and additions are taken in any step.
 */
const shell = (id: string, initial: string, states: Record<string, unknown>) => ({
  id,
  context: ({ input }: { input: Partial<FlowContext> | undefined }) => ({ ...emptyContext(), ...(input ?? {}) }),
  initial: 'active',
  on: {
    END: { target: '.ended', actions: { type: 'markEnded', params: { reason: 'ended' } } },
  },
  states: {
    active: {
      initial,
      states: { ...withStepCounting(states), resume: { type: 'history', history: 'deep' } },
      on: {
        PAUSE: { target: 'paused', actions: 'markPaused' },
        // A waiting answer is taken back and given again, so the step treats the new one as it would
        // have treated it first (a "not now" declines at once); a recorded one keeps its place.
        REVISE: [
          {
            guard: 'revisesPending',
            actions: [
              'withdrawPending',
              raise(({ event }: { event: FlowEvent }) =>
                event.type === 'REVISE'
                  ? { type: 'ANSWER' as const, by: event.by, step: event.target.step, value: event.value }
                  : event,
              ),
            ],
          },
          { guard: 'mayRevise', actions: 'revise' },
        ],
        ADD: { guard: 'mayAdd', actions: 'add' },
      },
      onDone: 'completed',
    },
    paused: {
      on: {
        RESUME: [{ guard: 'canResume', target: 'active.resume', actions: 'clearPause' }, { actions: 'voteResume' }],
      },
    },
    declined: { id: 'mend-declined', type: 'final' },
    completed: { type: 'final' },
    ended: { type: 'final' },
  },
});

/** Transition helpers for the common shapes of a step. */
export const step = {
  /** A one-partner answer, then on to `target`. */
  answer: (target: string) => ({ target, actions: 'record' }) as const,
  /**
   * A 'both' step: hold the first answer; when the second arrives, reveal both and go on.
   * Sealed or open is the prompt's `sealed`, declared once.
   */
  both: (target: string) => [
    { guard: 'otherHasAnswered', target, actions: 'reveal' } as const,
    { actions: 'collect' } as const,
  ],
};

/** "Not now" ends the session kindly: a distinct final state so summaries can say so. */
export const DECLINED = '#mend-declined';

/** Ends kindly on a "not now", keeping the answer that said it. */
export const declineWith = (recordAction: 'record' | 'reveal') =>
  ({ target: DECLINED, actions: [recordAction, { type: 'markEnded', params: { reason: 'declined' } }] }) as const;

const collectSteps = (states: Record<string, unknown>, prefix: string, into: Map<string, PromptSpec>): void => {
  for (const [name, config] of Object.entries(states)) {
    if (!isRecord(config)) continue;
    const path = prefix ? `${prefix}.${name}` : name;
    const meta = config.meta;
    if (isRecord(meta) && isRecord(meta.prompt)) into.set(path, meta.prompt as unknown as PromptSpec);
    if (isRecord(config.states)) collectSteps(config.states, path, into);
  }
};

export interface FlowSpec<S extends FlowSetup> {
  id: string;
  version: number;
  compatibleWith?: number[];
  title: string;
  description: string;
  roles: Record<string, string>;
  /** The flow's setup: `flowKit`, or `flowKit.extend({ guards, actions })` with its own named ones. */
  setup: S;
  /** The first step inside `active`. */
  initial: string;
  /** The flow's own steps. Reaching the final state `done` completes the flow. */
  states: StatesOf<S>;
  highlights: FlowDefinition['highlights'];
  nextStep: Wording;
  /**
   * What the answers promise, each becoming a promise in the couple's ledger with a check-in they
   * choose in a last step the kit adds (only when there is at least one promise).
   */
  promises?: (context: FlowContext) => PromiseDraft[];
  /**
   * What the kit's last step schedules: `check-in` (the default when `promises` is given) asks when
   * to check in on the promises; `again` asks when to have the next conversation of this flow.
   * `when` decides instead when it is asked (e.g. only when someone asked for another check-in).
   */
  followUp?: { kind: FollowUpKind; when?: (context: FlowContext) => boolean };
  /** Offered in /talk's list (default true). */
  listed?: boolean;
  /** Closed by the timekeeper after SESSION_EXPIRY_DAYS of quiet (default true; a check-in is left open). */
  closesWhenQuiet?: boolean;
  /**
   * Both partners look over the summary's at-a-glance part before it is posted, and confirm it or
   * add a note (default true; a check-in's record is short, and posts at once).
   */
  summaryApproval?: boolean;
}

/** Checks what a flow says in two places agrees, so a mistake fails at load, not in a session. */
function checkSteps(id: string, steps: ReadonlyMap<string, PromptSpec>): void {
  for (const [name, prompt] of steps) {
    if (prompt.revealWith !== undefined) {
      const later = steps.get(prompt.revealWith);
      if (!prompt.sealed || prompt.to !== 'both' || !later?.sealed || later.to !== 'both') {
        throw new Error(`${id}: "${name}" is revealed with "${prompt.revealWith}": both must be sealed 'both' steps`);
      }
    }
    if (prompt.sealed && prompt.to !== 'both') throw new Error(`${id}: "${name}" is sealed but not a 'both' step`);
  }
}

/** What a file in flows/ exports as default: its steps and wording, wrapped by the kit. */
export function defineFlow<S extends FlowSetup>(spec: FlowSpec<S>): FlowDefinition {
  const promises = spec.promises ?? (() => []);
  const followUp = spec.followUp ?? (spec.promises ? { kind: 'check-in' as const } : undefined);
  const states = withFollowUp(spec.states as Record<string, unknown>, followUp?.kind, spec.title);
  const steps = new Map<string, PromptSpec>();
  collectSteps(states, '', steps);
  checkSteps(spec.id, steps);
  // The kit's last step is asked only when there is something to follow up.
  const wantsFollowUp = ({ context }: { context: FlowContext }) =>
    followUp !== undefined &&
    (followUp.when ? followUp.when(context) : followUp.kind === 'again' || promises(context).length > 0);
  const setup = (spec.setup as unknown as Extendable).extend({ guards: { wantsFollowUp } });
  const definition: FlowDefinition = {
    kind: 'mend-flow',
    id: spec.id,
    version: spec.version,
    title: spec.title,
    description: spec.description,
    roles: spec.roles,
    machine: setup.createMachine(shell(spec.id, spec.initial, states)),
    steps,
    highlights: spec.highlights,
    nextStep: spec.nextStep,
    promises,
    listed: spec.listed ?? true,
    closesWhenQuiet: spec.closesWhenQuiet ?? true,
    summaryApproval: spec.summaryApproval ?? true,
  };
  if (followUp) definition.followUp = followUp.kind;
  if (spec.compatibleWith) definition.compatibleWith = spec.compatibleWith;
  return definition;
}

/** A setup that can take more named guards (XState's `setup().extend`). */
interface Extendable {
  extend(implementations: { guards: Record<string, (args: { context: FlowContext }) => boolean> }): FlowSetup;
}

/**
 * The flow's final `done` becomes a moment's pause on the way out: the kit's follow-up step when
 * there is something to follow up (guard `wantsFollowUp`), then the end.
 */
function withFollowUp(
  states: Record<string, unknown>,
  kind: FollowUpKind | undefined,
  title: string,
): Record<string, unknown> {
  if (kind === undefined) return states;
  if (FOLLOW_UP_STEP in states) throw new Error(`a flow's step may not be called "${FOLLOW_UP_STEP}" (the kit's own)`);
  return {
    ...states,
    done: { always: [{ guard: 'wantsFollowUp', target: FOLLOW_UP_STEP }, { target: 'finished' }] },
    [FOLLOW_UP_STEP]: { meta: ask(followUpPrompt(kind, title)), on: { ANSWER: step.both('finished') } },
    finished: { type: 'final' },
  };
}

/**
 * Action: a choice decides who holds which role, e.g. for "Who will name what they did?"
 * `setRoles({ me: { owner: 'a', hurt: 'b' }, partner: { owner: 'b', hurt: 'a' } })`.
 */
export const setRoles = (byChoice: Record<string, Record<string, PartnerId>>) =>
  assign<FlowContext, FlowEvent, undefined, FlowEvent, never>(({ context, event }) => {
    const chosen = event.type === 'ANSWER' && event.value.choice ? byChoice[event.value.choice] : undefined;
    return chosen ? { roles: { ...context.roles, ...chosen } } : {};
  });

/** A step's meta: its prompt (a function, so a flow's prompts are type-checked where they are written). */
export const ask = (prompt: PromptSpec): StepMeta => ({ prompt });

export const READY_OPTIONS: Option[] = [
  { value: 'ready', label: 'Yes, I’m ready' },
  { value: 'notNow', label: 'Not now' },
];

/**
 * The readiness check a hard conversation starts with: both answer (choices from READY_OPTIONS);
 * a "not now" from either ends it kindly at once, keeping what both said — you can't force trust.
 */
export const readiness = (next: string) => [
  { guard: choiceIs('notNow'), ...declineWith('reveal') } as const,
  ...step.both(next),
];
