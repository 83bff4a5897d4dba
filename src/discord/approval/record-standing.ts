/** Where a summary's look-over stands, in the words each partner reads (privately, and in the channel). */
import type { OutboxEntry } from '../../engine/outbox.js';
import { answerOf, awaitingApproval } from '../../engine/summary-approval.js';
import { safeText } from '../note.js';
import { hoursText } from '../summary-notes.js';

export const FAIR_LABEL = 'That’s a fair record';
export const NOTE_LABEL = 'Add a note';
export const REVIEW_LABEL = 'Look it over';

/** A session id as it may appear in a custom id (ours are UUIDs); anything else is not ours. */
const sessionIdPart = (part: string | undefined): string | undefined =>
  part && /^[A-Za-z0-9-]{1,64}$/.test(part) ? part : undefined;

/** The custom-id arguments of every look-over component: the summary's session id. */
export const sessionIdArgs = {
  encode: ({ sessionId }: { sessionId: string }): string[] => [sessionId],
  parse: ([part]: readonly string[]): { sessionId: string } | undefined => {
    const sessionId = sessionIdPart(part);
    return sessionId ? { sessionId } : undefined;
  },
} as const;

/** The name the summary gives this partner, and the other's. */
export function namesIn(entry: OutboxEntry, userId: string): { mine: string; theirs: string } {
  const i = entry.partnerIds.indexOf(userId);
  return { mine: entry.summary.partners[i] ?? 'you', theirs: entry.summary.partners[1 - i] ?? 'your partner' };
}

/** Where the look-over stands for this partner, in one line. */
export function standingText(entry: OutboxEntry, userId: string): string {
  const { theirs } = namesIn(entry, userId);
  if (entry.deliveredAt !== undefined) return 'The summary is posted in your channel.';
  if (!awaitingApproval(entry)) return 'The summary is on its way to your channel.';
  const other = entry.partnerIds.find((id) => id !== userId);
  const otherDone = other !== undefined && answerOf(entry, other) !== undefined;
  const deadline = entry.approval?.deadline ?? entry.summary.at;
  const window = hoursText(deadline - entry.summary.at);
  return otherDone
    ? `${safeText(theirs)} has looked it over too, so it is posted as soon as you answer.`
    : `It is posted once ${safeText(theirs)} has looked it over too — or ${window} after the conversation ended, as it stands.`;
}
