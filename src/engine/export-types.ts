/**
 * The shape of an export's JSON (`format: 'mend-export'`, `version: 1`): what Mend stores about a
 * couple that the person asking may see. Dates are ISO 8601 (UTC). Bump `version` when a field
 * changes meaning or goes away; adding one does not.
 */
import type { ExportCouple } from './export-couple.js';
import type { AnswerValue } from './flow-types.js';
import type { SessionStatus } from './session-record.js';
import type { Summary } from './summary.js';
import type { NotShownYet } from './visibility.js';

export const EXPORT_FORMAT = 'mend-export';
export const EXPORT_VERSION = 1;

export interface ExportPerson {
  /** Their Discord user id. */
  id: string;
  name: string;
}

export interface ExportAnswer {
  /** The step of the flow it answers (its id in flows/). */
  step: string;
  /** The question's heading, with names, as the summary shows it. */
  question: string;
  by: ExportPerson;
  /** What the answer concerns (an item, a rule), when the step has one. */
  about?: string;
  /** The answer in full as text: a choice by its label, the note, the picks, the words, the points. */
  text: string;
  /** The answer as stored. */
  value: AnswerValue;
  /** What its author added after the other had read it. */
  additions?: string[];
  /** On the reader's own answers only: why their partner cannot read it yet. */
  notShownYet?: NotShownYet;
}

export interface ExportSummary extends Omit<Summary, 'at'> {
  /** When the conversation finished. */
  at: string;
  /** When the summary was posted in the couple's channel; absent while it waits to be posted. */
  postedAt?: string;
  /**
   * Each partner's word on the record before it was posted: the reader's own always; the partner's
   * only once the summary is posted (until then it is theirs alone).
   */
  lookOver?: ExportLookOver[];
}

export interface ExportLookOver {
  by: ExportPerson;
  /** "fair": they found it a fair record; "note": they added a note, in `note`. */
  said: 'fair' | 'note';
  note?: string;
  at: string;
}

/** One line of /history: which conversation, when, how it ended, where its summary is. Never words. */
export interface ExportHistoryEntry {
  conversation: string;
  flow: string;
  title: string;
  startedAt: string;
  endedAt: string;
  ending: string;
  channelId: string;
  /** The summary's first message in the couple's channel, once posted. */
  summaryMessageId?: string;
}

export interface ExportConversation {
  /** The session's id (the same in every part of a split export). */
  id: string;
  flow: string;
  title: string;
  status: SessionStatus;
  channelId: string;
  partners: ExportPerson[];
  startedAt?: string;
  updatedAt?: string;
  /** A break: when, until when, and who asked (absent when Mend paused it). */
  pause?: { at: string; until?: string; by?: ExportPerson };
  /** How it stopped, when it did not go through every step. */
  end?: { at: string; by?: ExportPerson; reason: string; question?: string };
  /** Why Mend closed it, when it did. */
  closedReason?: string;
  /**
   * Every answer the reader may see, in the order given. Absent when only the summary is left (the
   * session's own record is deleted once its summary is posted and kept for the retention time).
   */
  answers?: ExportAnswer[];
  summary?: ExportSummary;
  /**
   * When one conversation is too large for one file: which piece of it this is. Every piece has the
   * conversation's details; its answers, and its summary's highlights and steps, are spread over the
   * pieces in order — concatenate them to put the conversation back together.
   */
  piece?: { number: number; of: number };
}

export interface ExportPromise {
  /** The conversation it was made in. */
  conversation: string;
  flowTitle: string;
  question: string;
  /** Who promised (the id is absent when only the summary is left, which names people by name). */
  by: { id?: string; name: string };
  text: string;
  additions?: string[];
  /** When it was made (or, for one not in the ledger yet, when its conversation last changed). */
  at?: string;
  /** From the ledger: to whom, what it is about, where it stands, and each check-in on it. */
  to?: ExportPerson[];
  about?: string;
  status?: 'open' | 'settled' | 'let-go';
  checkIns?: ExportCheckIn[];
}

/** A check-in on a promise, as both read it once both had answered. */
export interface ExportCheckIn {
  at: string;
  answers: { by: ExportPerson; said: string; note?: string }[];
  next: { by: ExportPerson; chose: string }[];
}

export interface ExportDocument {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  guildId: string;
  requester: ExportPerson;
  partner: ExportPerson;
  /** What an export never holds: the same words in every export, whatever there is to leave out. */
  notIncluded: string[];
  /** Their couple record as the reader may see it (null when there is none). */
  couple: ExportCouple | null;
  /** The promises made in their conversations that the reader may see. */
  promises: ExportPromise[];
  /** Their past conversations as /history lists them (oldest first). */
  history?: ExportHistoryEntry[];
  conversations: ExportConversation[];
  /**
   * When the export is split into several files: which one this is. Each part parses on its own and
   * carries who and when; the couple and the promises are in part 1, the conversations follow in order.
   */
  part?: { number: number; of: number };
}
