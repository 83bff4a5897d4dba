/**
 * What both partners can read, at any moment of a session: every answer as it is given, except a
 * sealed answer still waiting for the other's (then both appear together), a draft its author is
 * still looking over privately, and a sealed guess held back until the real answer it guesses at
 * is in (then it is shown beside it). A surface shows the couple exactly this, as it changes.
 */
import { answerKey, isSkipped } from './answers.js';
import type { FlowDefinition } from './flow-kit.js';
import type { AnswerRecord, FlowContext } from './flow-types.js';
import { PARTNERS } from './flow-types.js';

/**
 * A sealed answer whose step reveals it later, when that later step's answers are in. A question
 * skipped after a safety pause has nothing to colour what follows, so it is never held back.
 */
export function heldBack(flow: FlowDefinition, context: FlowContext, answer: AnswerRecord): boolean {
  const later = flow.steps.get(answer.step)?.revealWith;
  return later !== undefined && !isSkipped(answer.value) && !context.answers.some((a) => a.step === later);
}

/** Every answer both partners can read now, in the order given. */
export function readableByBoth(flow: FlowDefinition, context: FlowContext): AnswerRecord[] {
  const readable = context.answers.filter((a) => !a.draft && !heldBack(flow, context, a));
  // An open 'both' step: each answer is readable as soon as it is given.
  const step = context.pendingStep;
  if (step !== null && !flow.steps.get(step)?.sealed) {
    for (const by of PARTNERS) {
      const value = context.pending[by];
      if (value) readable.push({ step, seq: context.step, by, value });
    }
  }
  return readable;
}

/** What became readable between two moments of a session (in the order given). */
export function newlyReadable(flow: FlowDefinition, before: FlowContext, after: FlowContext): AnswerRecord[] {
  const seen = new Set(readableByBoth(flow, before).map(answerKey));
  return readableByBoth(flow, after).filter((a) => !seen.has(answerKey(a)));
}
