/**
 * The engine's refusals (src/engine/rejections.ts), as this page says them. Most sentences carry
 * over word for word; the few that point at Discord ("type /talk", "the latest message from Mend")
 * point at this page instead, so a refusal always says what to do next here.
 */
import type { Rejection, RejectionCode } from '../engine/rejections.js';

const HERE: Partial<Record<RejectionCode, string>> = {
  'no-session': 'This link no longer opens a conversation. You can start a new one from the playground’s first page.',
  'stale-step': 'That step has passed. The current question is the one on this page now.',
  paused: 'This conversation is on a break. Pick it up again with “Pick it up again” when you are ready.',
  finished: 'This conversation has finished. You can start a new one from the playground’s first page.',
  'no-such-answer': 'I couldn’t find that answer of yours to change. The current question is the one on this page now.',
  'not-skippable':
    'Only the question a pause set aside can be skipped, so nothing was changed. The current question is the one on this page now.',
};

export const refusalText = (rejection: Rejection): string => HERE[rejection.code] ?? rejection.message;
