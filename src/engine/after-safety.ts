/**
 * After a safety pause: once both partners have chosen to continue, the question whose answer paused
 * the conversation is not simply asked again. Its answer was not kept; the couple may skip the
 * question, or end. A choice cannot be skipped (where the conversation goes next depends on it, and
 * harm there can only have come from a written note): it is answered again, or the couple ends.
 */
import type { FlowContext, FlowEvent, PartnerId } from './flow-types.js';
import type { Prompt } from './prompt.js';
import { pausedRejection, type Rejection, reject } from './rejections.js';
import type { SessionStatus } from './session-record.js';

/** What a surface needs to know about a session: where it is, and what it waits on. */
interface Where {
  context: FlowContext;
  status: SessionStatus;
  prompt?: Prompt;
}

/** The prompt a safety pause set aside, when the session waits on it now (both chose to continue). */
export function setAside(where: Where): Prompt | undefined {
  const { context, status, prompt } = where;
  const held = context.afterSafety;
  if (status !== 'active' || !prompt || !held) return undefined;
  return held.step === prompt.step && held.seq === context.step ? prompt : undefined;
}

/** Whether that prompt can be skipped (written answers), or only answered again (a choice). */
export const canSkip = (prompt: Prompt): boolean => prompt.input.kind === 'text' || prompt.input.kind === 'list';

/**
 * Skipping the prompt `key`: an answer `{ skipped: true }` for every partner it still waits on,
 * given together as one turn. An answer the other partner already gave to it is kept, and is
 * revealed beside the skipped one as the step ends as it always does. Refused, changing nothing,
 * unless `key` is the prompt a safety pause set aside and it takes written answers.
 */
export function skipEvents(where: Where, key: string | undefined, at: number): FlowEvent[] | Rejection {
  const prompt = where.prompt;
  if (where.status === 'paused') return pausedRejection(where.context.pause);
  if (!prompt || key !== prompt.key) return reject('stale-step');
  const held = setAside(where);
  if (!held || held.awaiting.length === 0) return reject('not-skippable');
  if (!canSkip(held)) return reject('choice-not-skippable');
  return held.awaiting.map((by: PartnerId): FlowEvent => {
    const event: FlowEvent = { type: 'ANSWER', by, step: held.step, value: { skipped: true }, at };
    if (held.about !== undefined) event.about = held.about;
    return event;
  });
}
