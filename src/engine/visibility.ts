/**
 * What both partners can read, at any moment of a session: every answer as it is given, except a
 * sealed answer still waiting for the other's (then both appear together), a draft its author is
 * still looking over privately, and a sealed guess held back until the real answer it guesses at
 * is in (then it is shown beside it). A surface shows the couple exactly this, as it changes.
 * And what one partner can read: that, and every answer of their own (an export gives them this).
 */
import { answerKey, isSkipped } from './answers.js';
import type { FlowDefinition } from './flow-kit.js';
import type { AnswerRecord, FlowContext, PartnerId } from './flow-types.js';
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

/** Why one partner's own answer is not readable by the other yet. */
export type NotShownYet =
  /** A sealed answer waiting for the other's to the same question. */
  | 'sealed'
  /** A sealed answer both gave, held back until a later answer it is shown beside. */
  | 'held-back'
  /** Words under their author's private review (apology coaching). */
  | 'draft'
  /** Words their author took back to rewrite. */
  | 'rewriting';

export interface ReadableAnswer {
  answer: AnswerRecord;
  /** Set on the reader's own answers the other cannot read yet. */
  notShownYet?: NotShownYet;
}

/**
 * Everything one partner can read of a session now, in the order given: every answer of their own
 * (those the other cannot read yet say why), and of the other's exactly what both can read
 * (`readableByBoth`) — never a sealed answer still waiting, a draft, or words taken back.
 */
export function readableBy(flow: FlowDefinition, context: FlowContext, reader: PartnerId): ReadableAnswer[] {
  const shared = new Set(readableByBoth(flow, context).map(answerKey));
  const readable: ReadableAnswer[] = [];
  /** Readable by both, or the reader's own (saying why the other cannot read it yet). */
  const add = (answer: AnswerRecord, ownReason: NotShownYet) => {
    if (shared.has(answerKey(answer))) readable.push({ answer });
    else if (answer.by === reader) readable.push({ answer, notShownYet: ownReason });
  };
  for (const answer of context.answers) add(answer, answer.draft ? 'draft' : 'held-back');
  const step = context.pendingStep;
  if (step !== null) {
    for (const by of PARTNERS) {
      const value = context.pending[by];
      if (value) add({ step, seq: context.step, by, value }, 'sealed');
    }
  }
  // Words taken back to rewrite belong to whoever the step asks (drafts are one-partner steps).
  for (const [draftStep, value] of Object.entries(context.drafts)) {
    const to = flow.steps.get(draftStep)?.to;
    if (to !== undefined && to !== 'both' && context.roles[to] === reader) {
      readable.push({ answer: { step: draftStep, seq: context.step, by: reader, value }, notShownYet: 'rewriting' });
    }
  }
  return readable;
}
