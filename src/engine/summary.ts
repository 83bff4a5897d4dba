/**
 * A finished (or ended-early) session → its summary, as structure. Pure: no store, no Discord.
 * Every answer appears in full, attributed and grouped by step; sealed answers that were never
 * revealed are marked, not shown. (An answer that triggers the safety pause is never recorded.)
 */
import {
  type AnswerRecord,
  answerText,
  type FlowContext,
  type FlowDefinition,
  PARTNERS,
  type PartnerId,
  type SummarySection,
} from './flow-kit.js';
import { fillNames } from './prompt.js';
import type { SessionStatus } from './session-record.js';

export interface SummaryEntry {
  by: string;
  /** What the answer concerns (an item, a rule), when the step has one. */
  about?: string;
  text: string;
}

export interface SummaryStep {
  step: string;
  title: string;
  entries: SummaryEntry[];
}

export interface Summary {
  flowId: string;
  flowTitle: string;
  /** ISO date (YYYY-MM-DD) the session finished or was summarised. */
  date: string;
  partners: [string, string];
  status: SessionStatus;
  /** One line on how it ended: completed, not now, ended early by whom, closed. */
  outcome: string;
  highlights: SummarySection[];
  steps: SummaryStep[];
  /** Sealed answers given but never revealed (the other partner had not answered yet). */
  unrevealed: string[];
  nextStep: string;
}

export interface SummaryInput {
  flow: FlowDefinition;
  context: FlowContext;
  status: SessionStatus;
  nameOf: (partner: PartnerId) => string;
  /** When it finished (epoch ms). */
  at: number;
  closedReason?: string;
}

const outcomeLine = (input: SummaryInput): string => {
  const { context, status, nameOf } = input;
  const by = context.end && context.end.by !== 'system' ? nameOf(context.end.by) : undefined;
  switch (status) {
    case 'completed':
      return 'You went through every step together.';
    case 'declined':
      return 'You agreed that now is not the right time. That is a fine answer — come back when you are both ready.';
    case 'ended':
      if (context.end?.reason === 'expired') return 'This conversation was closed after a long quiet spell.';
      return by ? `${by} ended the conversation before the last step.` : 'The conversation ended before the last step.';
    case 'closed':
      return input.closedReason ?? 'This conversation was closed before the last step.';
    default:
      return 'This conversation is still open.';
  }
};

const entryOf = (flow: FlowDefinition, answer: AnswerRecord, nameOf: SummaryInput['nameOf']): SummaryEntry => {
  const spec = flow.steps.get(answer.step);
  const options = spec?.input.kind === 'choice' ? spec.input.options : undefined;
  const entry: SummaryEntry = { by: nameOf(answer.by), text: answerText(answer.value, options) };
  if (answer.about !== undefined) entry.about = answer.about;
  return entry;
};

export function summarize(input: SummaryInput): Summary {
  const { flow, context, nameOf } = input;
  const steps: SummaryStep[] = [];
  const byStep = new Map<string, SummaryStep>();
  const titleOf = (step: string) => {
    const spec = flow.steps.get(step);
    return spec ? fillNames(spec.title, context.roles, nameOf) : step;
  };
  const add = (step: string, entry: SummaryEntry) => {
    let group = byStep.get(step);
    if (!group) {
      group = { step, title: titleOf(step), entries: [] };
      byStep.set(step, group);
      steps.push(group);
    }
    group.entries.push(entry);
  };
  for (const answer of context.answers) {
    add(answer.step, entryOf(flow, answer, nameOf));
  }

  // A step still collecting answers when the session stopped: open answers were seen live, so
  // they belong in the summary; sealed ones were never revealed and stay private.
  const unrevealed: string[] = [];
  const current = pendingStep(flow, context);
  for (const partner of PARTNERS) {
    const value = context.pending[partner];
    if (!value || !current) continue;
    if (current.sealed) {
      unrevealed.push(`${nameOf(partner)} answered “${titleOf(current.step)}”, but it was sealed and is not shown.`);
    } else {
      add(current.step, entryOf(flow, { step: current.step, seq: context.step, by: partner, value }, nameOf));
    }
  }

  return {
    flowId: flow.id,
    flowTitle: flow.title,
    date: new Date(input.at).toISOString().slice(0, 10),
    partners: [nameOf('a'), nameOf('b')],
    status: input.status,
    outcome: outcomeLine(input),
    highlights: flow.highlights(context, nameOf),
    steps,
    unrevealed,
    nextStep: flow.nextStep,
  };
}

/** The 'both' step the pending answers belong to, and whether it was sealed. */
function pendingStep(flow: FlowDefinition, context: FlowContext): { step: string; sealed: boolean } | undefined {
  const step = context.pendingStep;
  if (step === null) return undefined;
  const spec = flow.steps.get(step);
  return { step, sealed: Boolean(spec?.sealed) };
}
