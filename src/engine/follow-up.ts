/**
 * The step the kit adds at the end of a conversation that leaves something to follow up (PRODUCT.md,
 * "Beyond the four"): the couple choose when Mend comes back — to check in on what was promised, or
 * to start the next conversation of the same kind (gratitude). Both answer, openly; the sooner of
 * their two times is the one kept, and there is none only when both said none — a check-in is a
 * gentle thing one of them may want, and it asks nothing of the other but an answer.
 */
import type { AnswerRecord, FlowContext, Option, PromptSpec } from './flow-types.js';

/** The step's id (top level inside `active`, so no flow can use the name for a step of its own). */
export const FOLLOW_UP_STEP = 'followUp';

const DAY = 24 * 3_600_000;

export const FOLLOW_UP_DELAYS: Readonly<Record<string, number>> = {
  '3d': 3 * DAY,
  '1w': 7 * DAY,
  '2w': 14 * DAY,
  '1m': 30 * DAY,
};

const WHEN: Option[] = [
  { value: '3d', label: 'In 3 days' },
  { value: '1w', label: 'In a week' },
  { value: '2w', label: 'In two weeks' },
  { value: '1m', label: 'In a month' },
];

/** What a flow's follow-up is: a check-in on its promises, or the next conversation of this flow. */
export type FollowUpKind = 'check-in' | 'again';

export function followUpPrompt(kind: FollowUpKind, flowTitle: string): PromptSpec {
  if (kind === 'again') {
    return {
      to: 'both',
      title: 'Next time',
      summaryTitle: 'When to have the next one — {a} and {b}',
      text: `When would you like Mend to start your next “${flowTitle}” with you?`,
      why: 'Whenever suits you both; “not for now” is just as fine.',
      input: { kind: 'choice', options: [...WHEN, { value: 'none', label: 'Not for now' }] },
    };
  }
  return {
    to: 'both',
    title: 'When to check in',
    summaryTitle: 'When to check in — {a} and {b}',
    // In a check-in, the promises are older than today.
    text: (context) =>
      context.subject
        ? 'When would you like to check in on it again? Mend will ask you both how it has gone, and show your answers side by side.'
        : 'When would you like to check in on what was promised today? Mend will ask you both how it has gone, and show your answers side by side.',
    why: 'Trust grows as promises are kept, again and again: a check-in is a moment to notice it.',
    input: { kind: 'choice', options: [...WHEN, { value: 'none', label: 'No check-in' }] },
  };
}

/** The agreed delay from the two answers (the sooner of the two times), or undefined for none. */
export function agreedDelay(answers: readonly AnswerRecord[]): number | undefined {
  const delays = answers
    .filter((a) => a.step === FOLLOW_UP_STEP)
    .map((a) => FOLLOW_UP_DELAYS[a.value.choice ?? ''])
    .filter((ms): ms is number => ms !== undefined);
  return delays.length > 0 ? Math.min(...delays) : undefined;
}

/** The delay the couple agreed on in this context (the latest round of the step), if any. */
export function followUpDelay(context: FlowContext): number | undefined {
  const latestSeq = Math.max(-1, ...context.answers.filter((a) => a.step === FOLLOW_UP_STEP).map((a) => a.seq));
  return agreedDelay(context.answers.filter((a) => a.step === FOLLOW_UP_STEP && a.seq === latestSeq));
}

/** How the chosen time reads in a summary ("in a week"). */
export function delayWords(ms: number): string {
  const option = WHEN.find((o) => FOLLOW_UP_DELAYS[o.value] === ms);
  return option ? option.label.charAt(0).toLowerCase() + option.label.slice(1) : `in ${Math.round(ms / DAY)} days`;
}
