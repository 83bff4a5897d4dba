/**
 * The shared kit every flow is built on. A flow (one file in flows/) describes only its own steps;
 * the kit wraps them in the parts every flow has: roles, answers, sealed "both answer" steps,
 * pause (with a return time or a safety hold), resume and end. It knows nothing of Discord.
 *
 * Everything in context is plain JSON so a persisted snapshot survives any store round trip.
 * Time never comes from a clock inside a machine: events carry `at` so machines stay pure and
 * deadlines live in the store (XState does not persist pending `after` timers).
 */
import { type AnyStateMachine, assign, setup } from 'xstate';

export type PartnerId = 'a' | 'b';
export const PARTNERS: readonly PartnerId[] = ['a', 'b'];
export const otherPartner = (p: PartnerId): PartnerId => (p === 'a' ? 'b' : 'a');

/** One shape for every kind of answer, so validation, storage and summaries stay generic. */
export interface AnswerValue {
  text?: string;
  choice?: string;
  note?: string;
  items?: string[];
  picks?: string[];
}

export interface AnswerRecord {
  /** The step (state path below `active`) this answers. */
  step: string;
  /** context.step when it was given: tells loop iterations of the same step apart. */
  seq: number;
  by: PartnerId;
  value: AnswerValue;
  /** Extra attribution, e.g. the tolerance item an answer is about. */
  about?: string;
}

export interface PauseInfo {
  by: PartnerId | 'system';
  at: number;
  /** Agreed return time (epoch ms), if any. */
  until?: number;
  /** A safety hold: both partners must confirm before the exercise continues. */
  safety?: boolean;
  /** Who has asked to resume so far (matters only for a safety hold). */
  resumeVotes: PartnerId[];
}

export interface EndInfo {
  by: PartnerId | 'system';
  at: number;
  reason: 'ended' | 'declined' | 'expired' | 'incompatible';
}

export interface FlowContext {
  /** Role name → partner. 'a' (who started) and 'b' always map to themselves. */
  roles: Record<string, PartnerId>;
  /** Counts every entry into a waiting step: makes each prompt's key unique, so stale input is detectable. */
  step: number;
  answers: AnswerRecord[];
  /** Answers collected for the current "both" step, not yet revealed. */
  pending: Partial<Record<PartnerId, AnswerValue>>;
  /** The step the pending answers belong to (null when nothing is pending). */
  pendingStep: string | null;
  /** Bounded loop counters and indexes (mirroring rounds, current item, …). */
  counters: Record<string, number>;
  pause: PauseInfo | null;
  end: EndInfo | null;
}

export type FlowEvent =
  | { type: 'ANSWER'; by: PartnerId; step: string; value: AnswerValue; about?: string }
  | { type: 'PAUSE'; by: PartnerId | 'system'; at: number; until?: number; safety?: boolean }
  | { type: 'RESUME'; by: PartnerId; at: number }
  | { type: 'END'; by: PartnerId | 'system'; at: number; reason?: EndInfo['reason'] };

export interface Option {
  value: string;
  label: string;
}

/** The input a step takes. Limits here are the only limits: surfaces render from them. */
export type InputSpec =
  | {
      kind: 'text';
      label: string;
      min: number;
      max: number;
      placeholder?: string;
      /** A picker shown with the text box (CNVC needs, feelings): picks are optional, text stays free. */
      picker?: { label: string; options: Option[]; max: number };
    }
  | {
      kind: 'choice';
      options: Option[];
      /** A short note that goes with the choice. */
      note?: { label: string; min: number; max: number; placeholder?: string };
    }
  | { kind: 'list'; label: string; min: number; max: number; itemMax: number; placeholder?: string };

/** A fragment of prompt wording: static, or worked out from the session so far. */
export type Wording = string | ((context: FlowContext) => string);

export interface Quote {
  by: PartnerId;
  text: string;
  label?: string;
}

export interface PromptSpec {
  /** Who answers: a role name, or 'both' (each partner answers once). */
  to: string;
  /** Short title (≤ 45 characters: it becomes a modal title). */
  title: string;
  /** The one question. `{role}` placeholders become display names. */
  text: Wording;
  /** At most one short sentence on why this matters. */
  why?: string;
  input: InputSpec;
  /** For 'both' steps: answers stay hidden until both are in, then are revealed together. */
  sealed?: boolean;
  /**
   * Sealed answers that are not shown when both are in, but by a later step's quote (so a guess
   * cannot colour the answers that follow it).
   */
  shownLater?: boolean;
  /** Only the answering partner sees this prompt (apology coaching). */
  private?: boolean;
  /** Earlier answers the prompt shows (what to mirror, what to answer). */
  quote?: (context: FlowContext) => Quote[];
  /** What the answer is about (e.g. the tolerance item), stored with it for the summary. */
  about?: (context: FlowContext) => string | undefined;
}

export interface StepMeta {
  prompt: PromptSpec;
}

export const emptyContext = (): FlowContext => ({
  roles: { a: 'a', b: 'b' },
  step: 0,
  answers: [],
  pending: {},
  pendingStep: null,
  counters: {},
  pause: null,
  end: null,
});

const recordOf = (event: Extract<FlowEvent, { type: 'ANSWER' }>, context: FlowContext, by = event.by): AnswerRecord => {
  const value = by === event.by ? event.value : context.pending[by];
  const record: AnswerRecord = { step: event.step, seq: context.step, by, value: value ?? {} };
  if (event.about !== undefined) record.about = event.about;
  return record;
};

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
    record: assign({
      answers: ({ context, event }) =>
        event.type === 'ANSWER' ? [...context.answers, recordOf(event, context)] : context.answers,
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
    /** Drop the latest answer to a step (its author chose to rewrite it). */
    dropLatest: assign({
      answers: ({ context }, params: { step: string }) => {
        const index = context.answers.findLastIndex((a) => a.step === params.step);
        return index < 0 ? context.answers : context.answers.filter((_, i) => i !== index);
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
    clearPause: assign({ pause: null }),
    markEnded: assign({
      end: ({ event }, params: { reason: EndInfo['reason'] }) => {
        if (event.type === 'END') return { by: event.by, at: event.at, reason: event.reason ?? params.reason };
        const by = 'by' in event ? event.by : 'system';
        return { by, at: 'at' in event ? event.at : 0, reason: params.reason };
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
    /** The answer is one of these choices. */
    choiceIs: ({ event }, params: { values: readonly string[] }) =>
      event.type === 'ANSWER' && event.value.choice !== undefined && params.values.includes(event.value.choice),
    /** A counter is below its bound (every loop is bounded). */
    below: ({ context }, params: { counter: string; limit: number }) =>
      (context.counters[params.counter] ?? 0) < params.limit,
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
export type FlowStates = StatesOf;

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

/** The latest answer to a step, if any. */
export const latest = (context: FlowContext, step: string, by?: PartnerId): AnswerRecord | undefined =>
  context.answers.findLast((a) => a.step === step && (by === undefined || a.by === by));

/** All answers to a step, in order. */
export const answersTo = (context: FlowContext, step: string): AnswerRecord[] =>
  context.answers.filter((a) => a.step === step);

/** An answer as plain text, in full (for quotes and summaries). */
export const answerText = (value: AnswerValue, options?: readonly Option[]): string => {
  const parts: string[] = [];
  if (value.choice !== undefined) parts.push(options?.find((o) => o.value === value.choice)?.label ?? value.choice);
  if (value.note) parts.push(value.note);
  if (value.picks?.length) parts.push(value.picks.join(', '));
  if (value.text) parts.push(value.text);
  if (value.items?.length) parts.push(value.items.map((item) => `• ${item}`).join('\n'));
  return parts.join('\n');
};

/** Quote the latest answer to a step. */
export const quoteLatest =
  (step: string, label?: string) =>
  (context: FlowContext): Quote[] => {
    const answer = latest(context, step);
    if (!answer) return [];
    const quote: Quote = { by: answer.by, text: answerText(answer.value) };
    if (label !== undefined) quote.label = label;
    return [quote];
  };

/** A highlight section of a summary ("at a glance"). */
export interface SummarySection {
  title: string;
  lines?: string[];
  table?: { columns: string[]; rows: string[][] };
}

/** Names for placeholders and attribution: role → display name resolved by the engine. */
export type NameOf = (partner: PartnerId) => string;

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
  /** Step id → its prompt spec, in declaration order (summaries group answers by these). */
  steps: Map<string, PromptSpec>;
  /** Flow-specific highlights for the summary, from the final context. */
  highlights: (context: FlowContext, nameOf: NameOf) => SummarySection[];
  /** A gentle next step to close the summary. */
  nextStep: string;
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
 *   active (the flow's steps, with deep history) ⇄ paused; END from anywhere → ended; done → completed.
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
      on: { PAUSE: { target: 'paused', actions: 'markPaused' } },
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
  nextStep: string;
}

/** What a file in flows/ exports as default: its steps and wording, wrapped by the kit. */
export function defineFlow<S extends FlowSetup>(spec: FlowSpec<S>): FlowDefinition {
  const states = spec.states as Record<string, unknown>;
  const steps = new Map<string, PromptSpec>();
  collectSteps(states, '', steps);
  const definition: FlowDefinition = {
    kind: 'mend-flow',
    id: spec.id,
    version: spec.version,
    title: spec.title,
    description: spec.description,
    roles: spec.roles,
    machine: spec.setup.createMachine(shell(spec.id, spec.initial, states)),
    steps,
    highlights: spec.highlights,
    nextStep: spec.nextStep,
  };
  if (spec.compatibleWith) definition.compatibleWith = spec.compatibleWith;
  return definition;
}

/**
 * Action: the starter's choice decides who holds which role, e.g. for "Who is owning the mistake?"
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
  { guard: choiceIs('notNow'), target: DECLINED, actions: 'reveal' } as const,
  ...step.both(next),
];
