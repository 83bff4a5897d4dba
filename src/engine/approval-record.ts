/**
 * What a summary's look-over stores, on its outbox entry: each partner's answer and when it stopped
 * waiting. Only the shapes live here (outbox.ts stores them; summary-approval.ts says what they mean),
 * so neither has to import the other.
 */

export interface ApprovalAnswer {
  userId: string;
  kind: 'fair' | 'note';
  /** For a note: its words, as typed (trimmed of what cannot be seen). */
  note?: string;
  at: number;
}

export interface SummaryApproval {
  /** Epoch ms after which Mend posts the summary as it stands. */
  deadline: number;
  answers: ApprovalAnswer[];
  /** When it stopped waiting; the poster may then post. */
  closedAt?: number;
  /** Both answered, or the window passed. */
  closedBy?: 'both' | 'window';
}
