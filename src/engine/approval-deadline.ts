/**
 * When a summary waiting for the couple to look it over stops waiting: its one deadline, and which
 * are due. The due-index holds it as an 'approval' entry (queued with the summary); the
 * timekeeper reads it here when that entry comes due.
 */
import type { OutboxEntry } from './outbox.js';

/** The epoch ms after which the summary is posted as it stands; undefined when nothing waits. */
export function approvalDeadline(entry: OutboxEntry): number | undefined {
  const approval = entry.approval;
  if (!approval || approval.closedAt !== undefined || entry.deliveredAt !== undefined) return undefined;
  return approval.deadline;
}
