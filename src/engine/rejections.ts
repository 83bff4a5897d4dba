/**
 * Every way an input can be refused, each with the sentence the person sees. A refusal changes
 * nothing: the session is exactly as it was.
 */
export type RejectionCode =
  | 'no-session'
  | 'session-active'
  | 'unknown-flow'
  | 'same-person'
  | 'not-partner'
  | 'not-your-turn'
  | 'already-answered'
  | 'stale-step'
  | 'invalid-answer'
  | 'paused'
  | 'safety-paused'
  | 'not-paused'
  | 'bad-pause-time'
  | 'finished'
  | 'no-such-answer'
  | 'already-read'
  | 'not-read-yet'
  | 'held-back'
  | 'not-skippable'
  | 'choice-not-skippable'
  | 'store-unavailable';

export interface Rejection {
  code: RejectionCode;
  message: string;
}

const messages: Record<Exclude<RejectionCode, 'invalid-answer' | 'bad-pause-time'>, string> = {
  'no-session': 'There is no conversation running here right now. Type /talk to start one.',
  'session-active':
    'A conversation is already open in this channel. You can pick it up where you left off, or end it first.',
  'unknown-flow': "I don't know that conversation. Type /talk to see the ones I can guide.",
  'same-person': 'Mend guides a conversation between two people — please choose your partner.',
  'not-partner': 'This conversation belongs to two other people, so I kept it as it was. Thanks for understanding.',
  'not-your-turn': "It's your partner's turn just now. I'll let you know when it's yours.",
  'already-answered': "You've answered this one already. Your partner's answer is still to come.",
  'stale-step': 'That step has passed. The current question is the latest message from Mend.',
  paused: 'This conversation is on a break. Pick it up again with /talk when you are ready.',
  // A safety hold is lifted by both partners, never by one: the sentence must not suggest otherwise.
  'safety-paused':
    'This conversation is paused for now, so nothing was changed. It continues only when you both choose to: each of you presses “I am ready to continue” on the pause message.',
  'not-paused': 'This conversation is not on a break.',
  finished: 'This conversation has finished. Type /talk to start a new one whenever you are both ready.',
  'no-such-answer':
    'I couldn’t find that answer of yours to change. The current question is the latest message from Mend.',
  'already-read':
    'Your partner has read that answer, so it stays as it is. You can add to it, or say more in the next step.',
  'not-read-yet': 'Your partner hasn’t read that answer yet, so you can still change it instead.',
  'held-back':
    'Your answer is in, and it stays hidden until it can be shown beside the other; it can’t be changed now.',
  'not-skippable':
    'Only the question a pause set aside can be skipped, so nothing was changed. The current question is the latest message from Mend.',
  'choice-not-skippable':
    'This question is a choice, and where the conversation goes next depends on it, so it can’t be skipped. You can answer it again, or end here.',
  'store-unavailable':
    "I couldn't reach my storage just now, so nothing was saved or changed. Please try again in a minute.",
};

export function reject(code: keyof typeof messages): Rejection {
  return { code, message: messages[code] };
}

export function invalidAnswer(message: string): Rejection {
  return { code: 'invalid-answer', message };
}

export function badPauseTime(message: string): Rejection {
  return { code: 'bad-pause-time', message };
}

/** Why nothing can change during a pause: a break either partner may end, or a safety hold only both together lift. */
export function pausedRejection(pause: { safety?: boolean } | null | undefined): Rejection {
  return reject(pause?.safety ? 'safety-paused' : 'paused');
}
