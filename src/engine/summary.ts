/**
 * A finished (or ended-early) session → its summary, as structure. Pure: no store, no Discord.
 * Every answer appears in full, attributed, in the order it was given (a loop reads as it went:
 * question, answer, question, answer), under a heading that says whose words follow. Sealed
 * answers that were never revealed are marked, not shown; drafts never appear. What the outcome
 * line and the next step say is what actually happened.
 */

import { answerText } from './answers.js';
import type { FlowDefinition } from './flow-kit.js';
import type { AnswerRecord, FlowContext, PartnerId, SummarySection } from './flow-types.js';
import { otherPartner, PARTNERS } from './flow-types.js';
import { delayWords, followUpDelay } from './follow-up.js';
import { fillNames, wordingOf } from './prompt.js';
import type { SessionStatus } from './session-record.js';
import { heldBack } from './visibility.js';

export interface SummaryEntry {
  by: string;
  /** What the answer concerns (an item, a rule), when the step has one. */
  about?: string;
  text: string;
  /** What its author added after the other had read it. */
  additions?: string[];
}

export interface SummaryStep {
  step: string;
  /** Unique within the summary, with the names of whoever answered. */
  title: string;
  entries: SummaryEntry[];
}

export interface Summary {
  flowId: string;
  flowTitle: string;
  /** When it finished (epoch ms); surfaces show it in each reader's own time zone. */
  at: number;
  partners: [string, string];
  status: SessionStatus;
  /** One line on how it ended: completed, not now, ended early by whom and where, closed. */
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

const EARLY_NEXT_STEP =
  'What you wrote is all here. When you both feel ready, you can start this conversation afresh with /talk, or choose another.';

function stepTitle(input: SummaryInput, step: string): string {
  const spec = input.flow.steps.get(step);
  return spec ? fillNames(spec.title, input.context.roles, input.nameOf) : step;
}

function outcomeLine(input: SummaryInput): string {
  const { context, status, nameOf } = input;
  const end = context.end;
  const who = end && end.by !== 'system' ? nameOf(end.by) : undefined;
  const where = end?.step ? ` at “${stepTitle(input, end.step)}”` : '';
  switch (status) {
    case 'completed':
      return 'You went through every step together.';
    case 'declined':
      return who
        ? `${who} said “not now”${where}. That is a fine answer: trust can’t be hurried.`
        : 'Now was not the right time. That is a fine answer.';
    case 'ended':
      if (end?.reason === 'expired') return 'This conversation was closed after a long quiet spell.';
      return who ? `${who} ended the conversation${where}.` : `The conversation ended${where}.`;
    case 'closed':
      return input.closedReason ?? 'This conversation was closed before the last step.';
    default:
      return 'This conversation is still open.';
  }
}

function nextStepLine(input: SummaryInput): string {
  if (input.status === 'completed') {
    return fillNames(wordingOf(input.flow.nextStep, input.context), input.context.roles, input.nameOf);
  }
  if (input.status === 'declined') return 'Come back to it whenever you are both ready: /talk starts it again.';
  return EARLY_NEXT_STEP;
}

/**
 * The roles as they stood when an answer was given. Roles come in pairs that change hands together
 * (a swap of who lists first, the floor passing), so when the role a step asks is no longer its
 * author's, every pair was the other way round then.
 */
function rolesWhenGiven(input: SummaryInput, answer: AnswerRecord): FlowContext['roles'] {
  const roles = input.context.roles;
  const asked = input.flow.steps.get(answer.step)?.to;
  if (asked === undefined || asked === 'both' || asked === 'a' || asked === 'b' || roles[asked] === answer.by) {
    return roles;
  }
  const then: FlowContext['roles'] = {};
  for (const [role, partner] of Object.entries(roles)) {
    then[role] = role === 'a' || role === 'b' ? partner : otherPartner(partner);
  }
  return then;
}

/** The heading of one prompt's answers: its summary title with names, else its title and who answered. */
function headingOf(input: SummaryInput, answers: AnswerRecord[]): string {
  const first = answers[0] as AnswerRecord;
  const spec = input.flow.steps.get(first.step);
  const fill = (text: string) => fillNames(text, rolesWhenGiven(input, first), input.nameOf);
  if (spec?.summaryTitle !== undefined) return fill(wordingOf(spec.summaryTitle, input.context));
  const names = [...new Set(answers.map((a) => input.nameOf(a.by)))].join(' and ');
  return `${fill(spec?.title ?? first.step)} — ${names}`;
}

/** One answer as a summary entry: its author's name, its text in full (choices by their labels), what it is about. */
export function entryOf(input: SummaryInput, answer: AnswerRecord): SummaryEntry {
  const spec = input.flow.steps.get(answer.step);
  const labels = (label: string) => fillNames(label, rolesWhenGiven(input, answer), input.nameOf);
  const entry: SummaryEntry = { by: input.nameOf(answer.by), text: answerText(answer.value, spec?.input, labels) };
  if (answer.about !== undefined) entry.about = answer.about;
  if (answer.additions?.length) entry.additions = answer.additions;
  return entry;
}

/** Answers in the order given, one group per prompt (a 'both' prompt's two answers together). */
function groupsInOrder(answers: AnswerRecord[]): AnswerRecord[][] {
  const groups: AnswerRecord[][] = [];
  for (const answer of answers) {
    const last = groups.at(-1)?.[0];
    if (last && last.step === answer.step && last.seq === answer.seq) groups.at(-1)?.push(answer);
    else groups.push([answer]);
  }
  return groups;
}

/** Answers of one prompt under the heading that says whose words follow. */
export interface HeadedGroup {
  step: string;
  /** Unique among the groups: a repeated heading (a loop) is numbered. */
  title: string;
  answers: AnswerRecord[];
}

/** Answers in the order given, one group per prompt, each under its heading (as the summary shows them). */
export function headedGroups(input: SummaryInput, answers: AnswerRecord[]): HeadedGroup[] {
  const used = new Map<string, number>();
  const groups = groupsInOrder(answers).map((group): HeadedGroup => {
    const heading = headingOf(input, group);
    const n = (used.get(heading) ?? 0) + 1;
    used.set(heading, n);
    return { step: group[0]?.step ?? '', title: n === 1 ? heading : `${heading} (${n})`, answers: group };
  });
  // The first of a repeated heading is numbered too, once it is known to repeat.
  for (const g of groups) if ((used.get(g.title) ?? 0) > 1) g.title = `${g.title} (1)`;
  return groups;
}

/** What they chose in the kit's last step: when Mend comes back (nothing when they chose none). */
function followUpHighlight(flow: FlowDefinition, context: FlowContext): SummarySection[] {
  const delay = flow.followUp ? followUpDelay(context) : undefined;
  if (delay === undefined) return [];
  const when = delayWords(delay);
  return [
    flow.followUp === 'again'
      ? { title: 'Next time', lines: [`Mend will start your next “${flow.title}” ${when}.`] }
      : { title: 'Your check-in', lines: [`Mend will check in with you both ${when}, to hear how it has gone.`] },
  ];
}

export function summarize(input: SummaryInput): Summary {
  const { flow, context, nameOf } = input;
  const unrevealed: string[] = [];
  const given: AnswerRecord[] = [];
  for (const answer of context.answers) {
    if (answer.draft) continue;
    if (heldBack(flow, context, answer)) {
      unrevealed.push(`${nameOf(answer.by)} answered “${stepTitle(input, answer.step)}”; it stays private.`);
      continue;
    }
    given.push(answer);
  }
  // A step still collecting answers when the session stopped: open answers were read as they came,
  // so they belong here; sealed ones were never revealed and stay private.
  const pendingStep = context.pendingStep;
  if (pendingStep !== null) {
    const sealed = flow.steps.get(pendingStep)?.sealed === true;
    for (const by of PARTNERS) {
      const value = context.pending[by];
      if (!value) continue;
      if (sealed) unrevealed.push(`${nameOf(by)} answered “${stepTitle(input, pendingStep)}”; it stays private.`);
      else given.push({ step: pendingStep, seq: context.step, by, value });
    }
  }

  const steps = headedGroups(input, given).map(
    (group): SummaryStep => ({
      step: group.step,
      title: group.title,
      entries: group.answers.map((a) => entryOf(input, a)),
    }),
  );

  return {
    flowId: flow.id,
    flowTitle: flow.title,
    at: input.at,
    partners: [nameOf('a'), nameOf('b')],
    status: input.status,
    outcome: outcomeLine(input),
    highlights: [...flow.highlights(context, nameOf), ...followUpHighlight(flow, context)],
    steps,
    unrevealed,
    nextStep: nextStepLine(input),
  };
}
