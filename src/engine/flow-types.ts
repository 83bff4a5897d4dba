/**
 * The shapes every flow shares: who the partners are, what an answer is, what a machine's context
 * holds, the events it takes, and how a step describes its prompt. Types only; the kit
 * (flow-kit.ts) builds machines from them and knows nothing of any surface.
 *
 * Everything in context is plain JSON so a persisted snapshot survives any store round trip.
 */

export type PartnerId = 'a' | 'b';
export const PARTNERS: readonly PartnerId[] = ['a', 'b'];
export const otherPartner = (p: PartnerId): PartnerId => (p === 'a' ? 'b' : 'a');

/** One shape for every kind of answer, so validation, storage and summaries stay generic. */
export interface AnswerValue {
  text?: string;
  choice?: string;
  note?: string;
  items?: string[];
  picks?: string[];
  /**
   * The question was skipped after a safety pause (the answer that paused it was not kept). Only
   * the engine gives it (a partner's own answer can never carry it); it has no words.
   */
  skipped?: true;
}

export interface AnswerRecord {
  /** The step (state path below `active`) this answers. */
  step: string;
  /** context.step when it was given: tells loop iterations of the same step apart. */
  seq: number;
  by: PartnerId;
  value: AnswerValue;
  /** Extra attribution, e.g. the tolerance item an answer is about. */
  about?: string;
  /** Under private review by its author (apology coaching): nobody else has seen it yet. */
  draft?: true;
  /** What its author added after the other partner had read it (the answer itself stays as it was). */
  additions?: string[];
}

/** Which answer an input is about: its step and the prompt's counter (the prompt key's two parts). */
export interface AnswerRef {
  step: string;
  seq: number;
}

export interface PauseInfo {
  by: PartnerId | 'system';
  at: number;
  /** Agreed return time (epoch ms), if any. */
  until?: number;
  /** A safety hold: both partners must confirm before the exercise continues. */
  safety?: boolean;
  /** Who has asked to resume so far (matters only for a safety hold). */
  resumeVotes: PartnerId[];
  /** For a safety hold: the step whose answer paused it, and its prompt's counter then. */
  step?: string;
  seq?: number;
}

export interface EndInfo {
  by: PartnerId | 'system';
  at: number;
  reason: 'ended' | 'declined' | 'expired' | 'incompatible';
  /** The step the conversation stopped at (for a summary that says what actually happened). */
  step?: string;
}

export interface FlowContext {
  /** Role name → partner. 'a' (who started) and 'b' always map to themselves. */
  roles: Record<string, PartnerId>;
  /** Counts every entry into a waiting step: makes each prompt's key unique, so stale input is detectable. */
  step: number;
  answers: AnswerRecord[];
  /** Answers collected for the current "both" step, not yet revealed. */
  pending: Partial<Record<PartnerId, AnswerValue>>;
  /** The step the pending answers belong to (null when nothing is pending). */
  pendingStep: string | null;
  /** Words their author took back to rewrite, by step: offered again in the form, shown to nobody. */
  drafts: Record<string, AnswerValue>;
  /** Bounded loop counters and indexes (mirroring rounds, current item, …). */
  counters: Record<string, number>;
  pause: PauseInfo | null;
  end: EndInfo | null;
  /**
   * Once both partners have resumed after a safety hold: the prompt that hold set aside (its step,
   * and its counter as it was asked again), which may now be skipped. Null otherwise.
   */
  afterSafety: AnswerRef | null;
  /**
   * What a conversation Mend started is about (a check-in: the promises it asks after), given at
   * its start; absent in the conversations a couple chooses.
   */
  subject?: CheckInSubject;
}

/** The promises a check-in asks after, as they were made. */
export interface CheckInSubject {
  /** The conversation they came from, and when. */
  flowTitle: string;
  madeAt: number;
  promises: { id: string; by: PartnerId[]; to: PartnerId[]; words: string; about?: string }[];
}

export type FlowEvent =
  | { type: 'ANSWER'; by: PartnerId; step: string; value: AnswerValue; about?: string; at?: number }
  /** The author changes an answer nobody else has read yet (the words; a recorded choice stays). */
  | { type: 'REVISE'; by: PartnerId; target: AnswerRef; value: AnswerValue }
  /** The author adds to an answer the other partner has read already. */
  | { type: 'ADD'; by: PartnerId; target: AnswerRef; text: string }
  | {
      type: 'PAUSE';
      by: PartnerId | 'system';
      at: number;
      until?: number;
      safety?: boolean;
      /** For a safety hold: the step whose answer paused it, and its prompt's counter. */
      step?: string;
      seq?: number;
    }
  | { type: 'RESUME'; by: PartnerId; at: number }
  | { type: 'END'; by: PartnerId | 'system'; at: number; reason?: EndInfo['reason']; step?: string };

export interface Option {
  value: string;
  label: string;
}

/** The input a step takes. Limits here are the only limits: surfaces render from them. */
export type InputSpec =
  | {
      kind: 'text';
      label: string;
      /** Visible characters (spaces, invisible format characters and lone marks do not count). */
      min: number;
      max: number;
      placeholder?: string;
      /** A picker shown with the text box (CNVC needs, feelings): picks are optional, text stays free. */
      picker?: { label: string; options: Option[]; max: number };
    }
  | {
      kind: 'choice';
      /** Every option the step can offer (their labels name the choice wherever it is shown). */
      options: Option[];
      /** The values offered now, when that depends on the session so far (default: all). */
      offer?: (context: FlowContext) => string[];
      /** A short note that goes with the choice. */
      note?: {
        label: string;
        /** A label for the note of a particular choice, where it asks for something else. */
        labelFor?: Record<string, string>;
        min: number;
        max: number;
        placeholder?: string;
        /** Choices that mean nothing without their note (e.g. "Add a rule"): the note is required. */
        requiredFor?: string[];
        /** Only these choices take the note (the others are answered with a click); default: all. */
        onlyFor?: string[];
      };
    }
  | { kind: 'list'; label: string; min: number; max: number; itemMax: number; placeholder?: string };

/** A fragment of prompt wording: static, or worked out from the session so far. */
export type Wording = string | ((context: FlowContext) => string);

export interface Quote {
  by: PartnerId;
  text: string;
  /** A heading; `{role}` placeholders become display names. */
  label?: string;
}

export interface PromptSpec {
  /** Who answers: a role name, or 'both' (each partner answers once). */
  to: string;
  /** Short title (≤ 45 characters: it becomes a modal title). `{role}` placeholders allowed. */
  title: string;
  /**
   * The heading of this step's answers in the summary, with names (`{owner}`, `{a}` …), so each
   * heading says whose words follow. Defaults to the title.
   */
  summaryTitle?: Wording;
  /** The one question. `{role}` placeholders become display names. */
  text: Wording;
  /** At most one short sentence on why this matters. */
  why?: Wording;
  input: InputSpec;
  /** For 'both' steps: answers stay hidden until both are in, then are revealed together. */
  sealed?: boolean;
  /** What the sealed prompt says about when the answers will appear, where the default is not true. */
  sealedNote?: string;
  /**
   * Sealed answers held back when both are in, and shown together with the answers to this later
   * step instead (each guess beside the real answer, so a guess cannot colour what follows it).
   */
  revealWith?: string;
  /** Only the answering partner sees this prompt (apology coaching). */
  private?: boolean;
  /**
   * Its answer is a promise: what its author will do for the other. Exports list these together, so a
   * couple (or their counsellor) can find what was promised without reading every conversation.
   */
  promise?: true;
  /** Earlier answers the prompt shows (what to mirror, what to answer). */
  quote?: (context: FlowContext) => Quote[];
  /** What the answer is about (e.g. the tolerance item), stored with it for the summary. */
  about?: (context: FlowContext) => string | undefined;
  /**
   * Notes on its words for the author alone, when they change an answer already given (the apology
   * coach): shown, never blocking, and never changing the words.
   */
  coach?: (text: string) => string[];
}

export interface StepMeta {
  prompt: PromptSpec;
}

/**
 * A commitment a conversation produced, in its author's own words: who promised, to whom (one
 * partner, or both for something they promised each other), and the step it came from.
 */
export interface PromiseDraft {
  by: PartnerId[];
  to: PartnerId[];
  words: string;
  /** What it answers, when the words alone don't say (the need, the item), in Mend's words or theirs. */
  about?: string;
  step: string;
}

/** A highlight section of a summary ("at a glance"). */
export interface SummarySection {
  title: string;
  lines?: string[];
  table?: { columns: string[]; rows: string[][] };
}

/** Names for placeholders and attribution: role → display name resolved by the engine. */
export type NameOf = (partner: PartnerId) => string;

export const emptyContext = (): FlowContext => ({
  roles: { a: 'a', b: 'b' },
  step: 0,
  answers: [],
  pending: {},
  pendingStep: null,
  drafts: {},
  counters: {},
  pause: null,
  end: null,
  afterSafety: null,
});
