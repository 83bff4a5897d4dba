/**
 * When a summary waiting for the couple to look it over stops waiting: its one deadline, and which
 * are due. Kept apart, with this small interface, so the deadline can move into the store's
 * due-index (one `deadline` per pending record) without touching what the approval means.
 */
import type { OutboxEntry } from './outbox.js';

/** The epoch ms after which the summary is posted as it stands; undefined when nothing waits. */
export function approvalDeadline(entry: OutboxEntry): number | undefined {
  const approval = entry.approval;
  if (!approval || approval.closedAt !== undefined || entry.deliveredAt !== undefined) return undefined;
  return approval.deadline;
}

/** The entries whose look-over window has passed without both partners answering. */
export function dueApprovals(entries: readonly OutboxEntry[], now: number): OutboxEntry[] {
  return entries.filter((entry) => {
    const deadline = approvalDeadline(entry);
    return deadline !== undefined && deadline <= now;
  });
}
