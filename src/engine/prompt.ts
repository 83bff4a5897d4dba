/**
 * Reads the prompt a flow is waiting on out of a snapshot: the state's `meta.prompt`, resolved
 * against the session (who that role is, the wording for this moment, what to quote).
 * Any surface renders from the result alone.
 */
import type { AnyMachineSnapshot } from 'xstate';
import type { FlowContext, InputSpec, PartnerId, PromptSpec, Quote, StepMeta } from './flow-kit.js';
import { PARTNERS } from './flow-kit.js';

export interface Prompt {
  /** The step's id (its state path below `active`), stored with every answer to it. */
  step: string;
  /** Unique for this moment of this session: inputs must name it, so stale buttons are refused. */
  key: string;
  title: string;
  /** The question, with `{role}` placeholders still in (surfaces put names in; see `fillNames`). */
  text: string;
  why?: string;
  input: InputSpec;
  /** Who answers now (for a 'both' step: those who have not answered yet). */
  awaiting: PartnerId[];
  /** For a 'both' step: who has answered already. */
  answered: PartnerId[];
  both: boolean;
  sealed: boolean;
  private: boolean;
  quotes: Quote[];
  about?: string;
}

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
    text: typeof spec.text === 'function' ? spec.text(context) : spec.text,
    input: spec.input,
    awaiting,
    answered,
    both,
    sealed: Boolean(spec.sealed),
    private: Boolean(spec.private),
    quotes: spec.quote ? spec.quote(context) : [],
  };
  if (spec.why !== undefined) prompt.why = spec.why;
  const about = spec.about?.(context);
  if (about !== undefined) prompt.about = about;
  return prompt;
}

/** Replaces `{role}` placeholders with display names (roles map to partners in the context). */
export function fillNames(text: string, roles: Record<string, PartnerId>, nameOf: (p: PartnerId) => string): string {
  return text.replace(/\{([a-zA-Z]+)\}/g, (whole, role: string) => {
    const partner = roles[role];
    return partner ? nameOf(partner) : whole;
  });
}
