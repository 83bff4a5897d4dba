/**
 * "A record both stand behind" (PRODUCT.md, "Beyond the four"): before a finished conversation's
 * summary is posted, each partner looks over its at-a-glance part and either says it is a fair
 * record or adds one short note of their own. Gottman's "two valid realities": a note never changes
 * anyone's words; it is posted under its author's name, beside the record.
 *
 * The state lives on the summary's outbox entry (so it is stored, encrypted and erased with it, and
 * a restart loses nothing). The poster holds back an entry until its approval is closed: both
 * answered, or the window (SUMMARY_APPROVAL_HOURS) passed and the timekeeper closed it.
 */
import type { ApprovalAnswer, SummaryApproval } from './approval-record.js';
import type { Wake } from './due.js';
import { type Outbox, type OutboxEntry, summaryDueId } from './outbox.js';
import { speaksOfHarm } from './safety.js';
import { SerialQueue } from './serial-queue.js';
import { trimInvisible, visibleLength } from './visible-text.js';

/** The longest note: one short paragraph beside the record, not a second conversation. */
export const APPROVAL_NOTE_MAX = 500;

export type { ApprovalAnswer, SummaryApproval } from './approval-record.js';

/** Whether the poster must still hold this summary back. */
export const awaitingApproval = (entry: OutboxEntry): boolean =>
  entry.approval !== undefined && entry.approval.closedAt === undefined && entry.deliveredAt === undefined;

/** What one partner said, if they have. */
export const answerOf = (entry: OutboxEntry, userId: string): ApprovalAnswer | undefined =>
  entry.approval?.answers.find((a) => a.userId === userId);

export type ApprovalResponse = { kind: 'fair' } | { kind: 'note'; text: unknown };

export type ApprovalRefusal =
  /** No summary of that id (erased, or never ours). */
  | 'no-summary'
  | 'not-partner'
  /** They answered already: one answer each. */
  | 'already-answered'
  /** It is no longer waiting (posted, or the window passed). */
  | 'closed'
  /** The note was empty or only invisible characters. */
  | 'empty-note'
  | 'long-note'
  /** The note spoke of harm: it is not stored. */
  | 'harm';

export type ApprovalOutcome =
  | { ok: true; entry: OutboxEntry; answer: ApprovalAnswer; complete: boolean }
  | { ok: false; refusal: ApprovalRefusal; entry?: OutboxEntry };

/** Checks a note as other typed text is checked: something visible, not too long, and the safety phrases. */
export function checkNote(raw: unknown): { ok: true; text: string } | { ok: false; refusal: ApprovalRefusal } {
  const text = typeof raw === 'string' ? trimInvisible(raw) : '';
  if (visibleLength(text) === 0) return { ok: false, refusal: 'empty-note' };
  if (text.length > APPROVAL_NOTE_MAX) return { ok: false, refusal: 'long-note' };
  if (speaksOfHarm({ text })) return { ok: false, refusal: 'harm' };
  return { ok: true, text };
}

export class SummaryApprovals {
  private readonly queue = new SerialQueue();

  constructor(
    private readonly outbox: Outbox,
    private readonly now: () => number,
  ) {}

  /** A partner's answer: it is a fair record, or here is their note. Two answers close it. */
  respond(sessionId: string, userId: string, response: ApprovalResponse): Promise<ApprovalOutcome> {
    // A note is checked once, outside the write, which may run again if another process wrote first.
    const checked = response.kind === 'note' ? checkNote(response.text) : undefined;
    return this.queue.run(sessionId, () =>
      this.outbox.update<ApprovalOutcome>(sessionId, (entry) => {
        if (!entry?.approval) return { result: { ok: false, refusal: 'no-summary' } };
        if (!entry.partnerIds.includes(userId)) return { result: { ok: false, refusal: 'not-partner', entry } };
        if (answerOf(entry, userId)) return { result: { ok: false, refusal: 'already-answered', entry } };
        if (!awaitingApproval(entry)) return { result: { ok: false, refusal: 'closed', entry } };
        const at = this.now();
        let answer: ApprovalAnswer = { userId, kind: 'fair', at };
        if (checked) {
          // Nothing of a refused note is written: not its words, not that one was tried.
          if (!checked.ok) return { result: { ok: false, refusal: checked.refusal, entry } };
          answer = { userId, kind: 'note', note: checked.text, at };
        }
        const answers = [...entry.approval.answers, answer];
        const complete = entry.partnerIds.every((id) => answers.some((a) => a.userId === id));
        const approval: SummaryApproval = { ...entry.approval, answers };
        if (complete) Object.assign(approval, { closedAt: at, closedBy: 'both' });
        const next: OutboxEntry = { ...entry, approval, nextAttemptAt: Math.min(entry.nextAttemptAt, at) };
        return {
          next,
          wakes: complete ? [summaryWake(next, at)] : [],
          result: { ok: true, entry: next, answer, complete },
        };
      }),
    );
  }

  /**
   * The window passed: the summary is posted as it stands, with the notes given so far. Returns the
   * entry when this call closed it (so its notice is given once), undefined when it was not waiting.
   */
  closeWindow(sessionId: string): Promise<OutboxEntry | undefined> {
    return this.queue.run(sessionId, () =>
      this.outbox.update<OutboxEntry | undefined>(sessionId, (entry) => {
        if (!entry?.approval || !awaitingApproval(entry)) return { result: undefined };
        const at = this.now();
        const next: OutboxEntry = {
          ...entry,
          approval: { ...entry.approval, closedAt: at, closedBy: 'window' },
          nextAttemptAt: at,
        };
        return { next, wakes: [summaryWake(next, at)], result: next };
      }),
    );
  }
}

/**
 * Once the look-over is closed, the summary is the sweeper's to post should the one who closed it
 * not manage to (a crash, Discord down) — after a moment, so it never races that post.
 */
const summaryWake = (entry: OutboxEntry, at: number): Wake => ({
  kind: 'summary',
  id: summaryDueId(entry.channelId, entry.sessionId),
  at: at + APPROVAL_HANDOFF_MS,
});

const APPROVAL_HANDOFF_MS = 30_000;
