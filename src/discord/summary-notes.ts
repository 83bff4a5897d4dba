/**
 * Each partner's word on the record, as the posted summary shows it, right after the at-a-glance
 * part they looked over: a note in its author's own words, under their name, or that they found it
 * fair — and, when the window passed first, that it was posted as it stood. A note sits beside
 * the record; it never changes anyone's words.
 */

import type { OutboxEntry } from '../engine/outbox.js';
import { answerOf } from '../engine/summary-approval.js';
import { COLOR, safeText } from './note.js';
import { type EmbedBlock, sectionBlocks } from './split.js';

export const NOTES_TITLE = 'How each of you sees this record';

const quoted = (text: string) =>
  safeText(text)
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');

export function approvalBlocks(entry: OutboxEntry, hours: (ms: number) => string = hoursText): EmbedBlock[] {
  const approval = entry.approval;
  if (!approval) return [];
  const lines = entry.partnerIds.map((id, i) => {
    const name = `**${safeText(entry.summary.partners[i] ?? 'A partner')}**`;
    const answer = answerOf(entry, id);
    if (answer?.kind === 'note' && answer.note !== undefined) return `${name} added a note:\n${quoted(answer.note)}`;
    if (answer) return `${name}: that’s a fair record.`;
    return `${name} didn’t look it over in time, so it is posted as it stood.`;
  });
  if (approval.closedBy === 'window') {
    lines.push(`*Posted after ${hours(approval.deadline - entry.summary.at)} to look it over.*`);
  }
  return sectionBlocks(NOTES_TITLE, lines.join('\n\n'), COLOR.calm);
}

/** A window's length in words, in whole hours. */
export function hoursText(ms: number): string {
  const hours = Math.max(1, Math.round(ms / 3_600_000));
  return hours === 1 ? 'an hour' : `${hours} hours`;
}
