/**
 * Reads the prompt a flow is waiting on out of a snapshot: the state's `meta.prompt`, resolved
 * against the session (who that role is, the wording and the choices for this moment, what to
 * quote, what to prefill). Any surface renders from the result alone.
 */
import type { AnyMachineSnapshot } from 'xstate';
import type {
  AnswerValue,
  FlowContext,
  InputSpec,
  PartnerId,
  PromptSpec,
  Quote,
  StepMeta,
  Wording,
} from './flow-types.js';
import { PARTNERS } from './flow-types.js';

export interface Prompt {
  /** The step's id (its state path below `active`), stored with every answer to it. */
  step: string;
  /** Unique for this moment of this session: inputs must name it, so stale buttons are refused. */
  key: string;
  title: string;
  /** The question, with `{role}` placeholders still in (surfaces put names in; see `fillNames`). */
  text: string;
  why?: string;
  /** What the step takes now (a choice offers only the options open at this moment). */
  input: InputSpec;
  /** Who answers now (for a 'both' step: those who have not answered yet). */
  awaiting: PartnerId[];
  /** For a 'both' step: who has answered already. */
  answered: PartnerId[];
  both: boolean;
  sealed: boolean;
  /** For a sealed step: when the answers will appear, in words. */
  sealedNote?: string;
  private: boolean;
  quotes: Quote[];
  about?: string;
  /** The author's own words to start from (a draft they took back to rewrite). */
  prefill?: AnswerValue;
}

export const DEFAULT_SEALED_NOTE = '🔒 Your answers stay hidden until you have both answered, then appear together.';

/**
 * `snapshot.matches(name)` for a top-level state name, without allocating (XState parses the name
 * into a path on every call, and this runs several times per turn).
 */
export function atTop(snapshot: AnyMachineSnapshot, name: string): boolean {
  const value: unknown = snapshot.value;
  return typeof value === 'string' ? value === name : typeof value === 'object' && value !== null && name in value;
}

const isStepMeta = (value: unknown): value is StepMeta =>
  typeof value === 'object' && value !== null && 'prompt' in value;

/** The active prompt's state node id and spec, or undefined when the flow waits on nothing. */
export function activeStep(snapshot: AnyMachineSnapshot): { id: string; spec: PromptSpec } | undefined {
  const meta = snapshot.getMeta() as Record<string, unknown>;
  for (const [id, value] of Object.entries(meta)) {
    if (isStepMeta(value)) return { id, spec: value.prompt };
  }
  return undefined;
}

/** 'admit-mistake.active.mirror.reflect' → 'mirror.reflect' */
export function stepIdOf(stateNodeId: string, machineId: string): string {
  const prefix = `${machineId}.active.`;
  return stateNodeId.startsWith(prefix) ? stateNodeId.slice(prefix.length) : stateNodeId;
}

export const wordingOf = (wording: Wording, context: FlowContext): string =>
  typeof wording === 'function' ? wording(context) : wording;

/** The same narrowed input for the same choices, so its answer schema is built once (answer-schema caches by spec). */
const offered = new WeakMap<InputSpec, Map<string, InputSpec>>();

/** A choice's options open at this moment (`offer`), or the input as it is. */
function inputNow(input: InputSpec, context: FlowContext): InputSpec {
  if (input.kind !== 'choice' || !input.offer) return input;
  const values = input.offer(context);
  const key = values.join('\u0000');
  let byValues = offered.get(input);
  if (!byValues) {
    byValues = new Map();
    offered.set(input, byValues);
  }
  let narrowed = byValues.get(key);
  if (!narrowed) {
    const { offer: _offer, ...rest } = input;
    narrowed = { ...rest, options: input.options.filter((o) => values.includes(o.value)) };
    byValues.set(key, narrowed);
  }
  return narrowed;
}

export function resolvePrompt(snapshot: AnyMachineSnapshot, machineId: string): Prompt | undefined {
  if (snapshot.status !== 'active' || !atTop(snapshot, 'active')) return undefined;
  const found = activeStep(snapshot);
  if (!found) return undefined;
  const { spec } = found;
  const context = snapshot.context as FlowContext;
  const step = stepIdOf(found.id, machineId);
  const both = spec.to === 'both';
  const answered = both ? PARTNERS.filter((p) => context.pending[p] !== undefined) : [];
  const owner = context.roles[spec.to];
  const awaiting = both ? PARTNERS.filter((p) => !answered.includes(p)) : owner ? [owner] : [];
  const prompt: Prompt = {
    step,
    key: `${step}@${context.step}`,
    title: spec.title,
    text: wordingOf(spec.text, context),
    input: inputNow(spec.input, context),
    awaiting,
    answered,
    both,
    sealed: Boolean(spec.sealed),
    private: Boolean(spec.private),
    quotes: spec.quote ? spec.quote(context) : [],
  };
  if (spec.sealed) prompt.sealedNote = spec.sealedNote ?? DEFAULT_SEALED_NOTE;
  if (spec.why !== undefined) prompt.why = wordingOf(spec.why, context);
  const about = spec.about?.(context);
  if (about !== undefined) prompt.about = about;
  const draft = context.drafts[step];
  if (draft) prompt.prefill = draft;
  return prompt;
}

/** A prompt key (`<step>@<n>`) back into the answer reference it names. */
export function refOfKey(key: string): { step: string; seq: number } | undefined {
  const at = key.lastIndexOf('@');
  const seq = Number(key.slice(at + 1));
  if (at <= 0 || !Number.isSafeInteger(seq)) return undefined;
  return { step: key.slice(0, at), seq };
}

/** Replaces `{role}` placeholders with display names (roles map to partners in the context). */
export function fillNames(text: string, roles: Record<string, PartnerId>, nameOf: (p: PartnerId) => string): string {
  return text.replace(/\{([a-zA-Z]+)\}/g, (whole, role: string) => {
    const partner = roles[role];
    return partner ? nameOf(partner) : whole;
  });
}
