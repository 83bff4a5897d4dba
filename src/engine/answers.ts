/**
 * Reading the answers of a session: the latest to a step, all of them, one as plain text, and
 * whether the other partner has read one yet (until then its author may still change it).
 */
import type { AnswerRecord, AnswerRef, AnswerValue, FlowContext, InputSpec, PartnerId } from './flow-types.js';
import { otherPartner } from './flow-types.js';

/** The latest answer to a step, if any (by one partner, when named). */
export const latest = (context: FlowContext, step: string, by?: PartnerId): AnswerRecord | undefined =>
  context.answers.findLast((a) => a.step === step && (by === undefined || a.by === by));

/** All answers to a step, in order. */
export const answersTo = (context: FlowContext, step: string): AnswerRecord[] =>
  context.answers.filter((a) => a.step === step);

/** One partner's answer to one prompt (a step at one moment), if they gave it. */
export const answerAt = (context: FlowContext, by: PartnerId, ref: AnswerRef): AnswerRecord | undefined =>
  context.answers.find((a) => a.by === by && a.step === ref.step && a.seq === ref.seq);

/**
 * What one partner gave at one prompt: their answer waiting in a 'both' step, or the recorded one.
 * (A draft counts: only its author asks.)
 */
export function givenValue(context: FlowContext, by: PartnerId, ref: AnswerRef): AnswerValue | undefined {
  const pending = context.pendingStep === ref.step && context.step === ref.seq ? context.pending[by] : undefined;
  return pending ?? answerAt(context, by, ref)?.value;
}

/** A key that tells answers apart: the prompt it answered, and who gave it. */
export const answerKey = (answer: Pick<AnswerRecord, 'step' | 'seq' | 'by'>): string =>
  `${answer.step}@${answer.seq}/${answer.by}`;

/**
 * The other partner has read this answer once they have acted on anything after it: answered a
 * later prompt, or the same 'both' prompt (its answers are revealed together). Until then the
 * author may change their words; after, they may add to them.
 */
export const readByOther = (context: FlowContext, answer: AnswerRecord): boolean =>
  context.answers.some((other) => other.by === otherPartner(answer.by) && other.seq >= answer.seq);

/** How a question skipped after a safety pause reads wherever its answer would be shown. */
export const SKIPPED_TEXT = '(skipped after a pause)';

/** The question was skipped after a safety pause: there are no words to show or go on from. */
export const isSkipped = (value: AnswerValue | undefined): boolean => value?.skipped === true;

/** The latest answer to a step that has words (one skipped after a safety pause has none). */
export const latestGiven = (context: FlowContext, step: string, by?: PartnerId): AnswerRecord | undefined => {
  const answer = latest(context, step, by);
  return answer && !isSkipped(answer.value) ? answer : undefined;
};

/**
 * An answer as plain text, in full: the choice by its label, the note, the picks by their labels,
 * the text, the points one per line (a skipped question, as `SKIPPED_TEXT`). `labels` puts names into an option's label ("I’d like {b} to");
 * what a partner wrote is never touched.
 */
export function answerText(
  value: AnswerValue,
  input?: InputSpec,
  labels: (label: string) => string = (l) => l,
): string {
  if (isSkipped(value)) return SKIPPED_TEXT;
  const parts: string[] = [];
  if (value.choice !== undefined) {
    const options = input?.kind === 'choice' ? input.options : undefined;
    const option = options?.find((o) => o.value === value.choice);
    parts.push(option ? labels(option.label) : value.choice);
  }
  if (value.note) parts.push(value.note);
  if (value.picks?.length) {
    const options = input?.kind === 'text' ? input.picker?.options : undefined;
    parts.push(value.picks.map((pick) => options?.find((o) => o.value === pick)?.label ?? pick).join(', '));
  }
  if (value.text) parts.push(value.text);
  if (value.items?.length) parts.push(value.items.map((item) => `• ${item}`).join('\n'));
  return parts.join('\n');
}
