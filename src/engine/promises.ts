/**
 * The couple's ledger of promises (PRODUCT.md, "Beyond the four"): every commitment a conversation
 * produced, in its author's words — who promised, to whom, where and when — with each check-in on it,
 * and what is due next (a check-in, or the next conversation of a flow the couple asked for).
 *
 * One record per couple, keyed like the couple record, changed one update at a time. Stored like
 * sessions (encrypted at rest when a key is set), erased by /forget, and kept until a promise is
 * settled or let go, plus SESSION_RETENTION_HOURS.
 */
import { z } from 'zod';
import { coupleKey } from './couples.js';
import type { Wake } from './due.js';
import type { FlowDefinition } from './flow-kit.js';
import type { FlowContext, PartnerId } from './flow-types.js';
import { CHECK_IN_CHOICES, type CheckInChoice, NEXT_CHOICES, type NextChoice } from './follow-through-words.js';
import { FOLLOW_UP_STEP, followUpDelay } from './follow-up.js';
import { SerialQueue } from './serial-queue.js';
import type { SessionRecord } from './session-record.js';
import type { Store } from './store.js';
import { updateStored } from './stored-update.js';

export interface CheckInAnswer {
  userId: string;
  choice: CheckInChoice;
  note?: string;
}

export interface CheckIn {
  at: number;
  /** The check-in conversation it was said in. */
  sessionId: string;
  answers: CheckInAnswer[];
  /** What each chose next. */
  next: { userId: string; choice: NextChoice }[];
}

export type PromiseStatus = 'open' | 'settled' | 'let-go';

export interface PromiseEntry {
  /** `<session id>:<n>`: the same promise however often its conversation's end is recorded. */
  id: string;
  sessionId: string;
  flowId: string;
  flowTitle: string;
  step: string;
  by: string[];
  to: string[];
  words: string;
  about?: string;
  madeAt: number;
  status: PromiseStatus;
  /** When it was settled or let go (retention counts from here). */
  closedAt?: number;
  checkIns: CheckIn[];
}

/** Something Mend comes back for at a time the couple chose. */
export interface FollowUpDue {
  /** Also the id of the conversation it starts, so a start retried after a crash finds it. */
  id: string;
  kind: 'check-in' | 'again';
  /** The flow it starts: the check-in, or the flow to have again. */
  flowId: string;
  promiseIds: string[];
  dueAt: number;
  channelId: string;
  /** Who is partner 'a' in what it starts (the first promiser, or who started the last one). */
  starterId: string;
  /** The conversation was started (its first prompt may still be owed). */
  startedAt?: number;
  /** Its first prompt was posted: nothing more is owed. */
  announcedAt?: number;
}

export interface Ledger {
  guildId: string;
  partnerIds: [string, string];
  promises: PromiseEntry[];
  due: FollowUpDue[];
  updatedAt: number;
}

const checkInAnswer = z.object({
  userId: z.string(),
  choice: z.enum(CHECK_IN_CHOICES),
  note: z.string().optional(),
});

const ledgerSchema = z.object({
  guildId: z.string(),
  partnerIds: z.tuple([z.string(), z.string()]),
  promises: z.array(
    z.object({
      id: z.string(),
      sessionId: z.string(),
      flowId: z.string(),
      flowTitle: z.string(),
      step: z.string(),
      by: z.array(z.string()),
      to: z.array(z.string()),
      words: z.string(),
      about: z.string().optional(),
      madeAt: z.number(),
      status: z.enum(['open', 'settled', 'let-go']),
      closedAt: z.number().optional(),
      checkIns: z.array(
        z.object({
          at: z.number(),
          sessionId: z.string(),
          answers: z.array(checkInAnswer),
          next: z.array(z.object({ userId: z.string(), choice: z.enum(NEXT_CHOICES) })),
        }),
      ),
    }),
  ),
  due: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['check-in', 'again']),
      flowId: z.string(),
      promiseIds: z.array(z.string()),
      dueAt: z.number(),
      channelId: z.string(),
      starterId: z.string(),
      startedAt: z.number().optional(),
      announcedAt: z.number().optional(),
    }),
  ),
  updatedAt: z.number(),
}) satisfies z.ZodType<Ledger, unknown>;

export const LEDGER_PREFIX = 'promises:';
/** The ledger's key: the couple's key with its own prefix (both ids sorted, so either finds it). */
export const ledgerKey = (guildId: string, a: string, b: string) =>
  `${LEDGER_PREFIX}${coupleKey(guildId, a, b).slice('couple:'.length)}`;

export const parseLedger = (value: unknown): Ledger | undefined => {
  const parsed = ledgerSchema.safeParse(value);
  return parsed.success ? (parsed.data as Ledger) : undefined;
};

/**
 * The id of what a conversation leaves due (and of the conversation that starts from it): the same
 * for the same conversation, so recording its end twice schedules it once. A chain of follow-ups
 * (check in again, the next gratitude, and the next) counts up rather than growing a suffix per
 * round, so an id stays short enough for every store's key however long the couple keep it up.
 */
export function followUpIdOf(sessionId: string): string {
  const chained = /^(.+)-follow-up(?:-(\d+))?$/.exec(sessionId);
  if (!chained) return `${sessionId}-follow-up`;
  return `${chained[1]}-follow-up-${Number(chained[2] ?? 1) + 1}`;
}

export class PromiseLedger {
  private readonly queue = new SerialQueue();

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  async find(guildId: string, a: string, b: string): Promise<Ledger | undefined> {
    return parseLedger(await this.store.get(ledgerKey(guildId, a, b)));
  }

  /** The ledger stored under a key (as the due-index names it). */
  async atKey(key: string): Promise<Ledger | undefined> {
    return parseLedger(await this.store.get(key));
  }

  /**
   * Changes one couple's ledger, one change at a time (across processes too: a compare-and-set);
   * an emptied ledger is deleted. Its next deadline goes into the due-index with it.
   */
  update(guildId: string, a: string, b: string, change: (ledger: Ledger) => Ledger): Promise<Ledger> {
    const key = ledgerKey(guildId, a, b);
    return this.queue.run(key, () =>
      updateStored(this.store, key, (stored) => {
        const [first, second] = [a, b].sort() as [string, string];
        const base: Ledger = parseLedger(stored) ?? {
          guildId,
          partnerIds: [first, second],
          promises: [],
          due: [],
          updatedAt: this.now(),
        };
        const next = { ...change(base), updatedAt: this.now() };
        const empty = next.promises.length === 0 && next.due.length === 0;
        const at = ledgerWakeAt(next);
        const wakes: Wake[] = at === undefined ? [] : [{ kind: 'ledger', id: key, at }];
        return { value: empty ? undefined : next, wakes, result: next };
      }),
    );
  }

  /**
   * A conversation finished: what it promised joins the ledger, and what the couple chose in its
   * last step becomes due; a check-in's answers join the promises it asked after. Recording the
   * same end twice changes nothing.
   */
  async recordFinished(record: SessionRecord, flow: FlowDefinition, context: FlowContext): Promise<void> {
    const guildId = record.guildId;
    if (guildId === undefined) return;
    const ids = { a: record.partners.a.id, b: record.partners.b.id };
    const userOf = (p: PartnerId) => ids[p];
    if (context.subject) {
      await this.update(guildId, ids.a, ids.b, (ledger) => withCheckIn(ledger, record, context, userOf, this.now()));
      return;
    }
    const drafts = flow.promises(context);
    const delay = record.status === 'completed' ? followUpDelay(context) : undefined;
    const promises: PromiseEntry[] = drafts.map((draft, n) => {
      const entry: PromiseEntry = {
        id: `${record.id}:${n}`,
        sessionId: record.id,
        flowId: flow.id,
        flowTitle: flow.title,
        step: draft.step,
        by: draft.by.map(userOf),
        to: draft.to.map(userOf),
        words: draft.words,
        madeAt: record.updatedAt,
        status: 'open',
        checkIns: [],
      };
      if (draft.about !== undefined) entry.about = draft.about;
      return entry;
    });
    const followUp = delay === undefined ? undefined : followUpOf(record, flow, promises, delay);
    // "The next one" of a flow is one: when they have just said when (or "not for now"), that
    // replaces a time chosen before that has not come yet — as after one they started themselves.
    const answeredWhen =
      flow.followUp === 'again' &&
      record.status === 'completed' &&
      context.answers.some((a) => a.step === FOLLOW_UP_STEP);
    const superseded = (d: FollowUpDue) =>
      answeredWhen && d.kind === 'again' && d.flowId === flow.id && d.startedAt === undefined;
    const existing = await this.find(guildId, ids.a, ids.b);
    // Nothing to keep, and nothing of this conversation was due or replaced: no ledger to write.
    if (promises.length === 0 && !followUp && !existing?.due.some((d) => d.id === record.id || superseded(d))) return;
    await this.update(guildId, ids.a, ids.b, (ledger) => {
      const known = new Set(ledger.promises.map((p) => p.id));
      // A conversation Mend started for a follow-up is no longer due once it has ended.
      const due = ledger.due.filter((d) => d.id !== record.id && !superseded(d));
      if (followUp && !due.some((d) => d.id === followUp.id)) due.push(followUp);
      return { ...ledger, promises: [...ledger.promises, ...promises.filter((p) => !known.has(p.id))], due };
    });
  }

  /** The follow-up's conversation was started (so it is never started twice). */
  markStarted(guildId: string, a: string, b: string, dueId: string): Promise<Ledger> {
    return this.markDue(guildId, a, b, dueId, 'startedAt');
  }

  /** Its first prompt was posted: nothing more is owed. */
  markAnnounced(guildId: string, a: string, b: string, dueId: string): Promise<Ledger> {
    return this.markDue(guildId, a, b, dueId, 'announcedAt');
  }

  private markDue(guildId: string, a: string, b: string, dueId: string, field: 'startedAt' | 'announcedAt') {
    return this.update(guildId, a, b, (ledger) => ({
      ...ledger,
      due: ledger.due.map((d) => (d.id === dueId && d[field] === undefined ? { ...d, [field]: this.now() } : d)),
    }));
  }

  /** Promises of this ledger settled or let go longer ago than the retention leave it; returns how many. */
  async purge(ledger: Ledger, retentionMs: number): Promise<number> {
    const expired = (p: PromiseEntry) =>
      p.status !== 'open' && p.closedAt !== undefined && this.now() - p.closedAt >= retentionMs;
    if (!ledger.promises.some(expired)) return 0;
    let purged = 0;
    const [a, b] = ledger.partnerIds;
    await this.update(ledger.guildId, a, b, (current) => {
      const kept = current.promises.filter((p) => !expired(p));
      // Set, not added to: the change runs again if another process wrote first.
      purged = current.promises.length - kept.length;
      const keptIds = new Set(kept.map((p) => p.id));
      return {
        ...current,
        promises: kept,
        due: current.due.filter((d) => d.kind === 'again' || d.promiseIds.some((id) => keptIds.has(id))),
      };
    });
    return purged;
  }
}

/**
 * When to look at a ledger next, no later than anything in it is due: a follow-up not yet announced,
 * or a settled promise (its purge comes a retention later; the timekeeper, which knows that setting,
 * sets the exact time when it looks).
 */
export function ledgerWakeAt(ledger: Ledger, retentionMs = 0): number | undefined {
  const times = [
    ...ledger.due.filter((d) => d.announcedAt === undefined).map((d) => d.dueAt),
    ...ledger.promises.flatMap((p) =>
      p.status !== 'open' && p.closedAt !== undefined ? [p.closedAt + retentionMs] : [],
    ),
  ];
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** What a finished conversation leaves due: a check-in on its promises, or the same flow again. */
function followUpOf(record: SessionRecord, flow: FlowDefinition, promises: PromiseEntry[], delay: number): FollowUpDue {
  const starterId = promises[0]?.by[0] ?? record.partners.a.id;
  return {
    id: followUpIdOf(record.id),
    kind: flow.followUp === 'again' ? 'again' : 'check-in',
    flowId: flow.followUp === 'again' ? flow.id : CHECK_IN_FLOW_ID,
    promiseIds: promises.map((p) => p.id),
    dueAt: record.updatedAt + delay,
    channelId: record.channelId,
    starterId,
  };
}

/** The flow Mend starts for a check-in (flows/check-in.ts). */
export const CHECK_IN_FLOW_ID = 'check-in';

/** A check-in finished: its answers join each promise it asked after, and what they chose next. */
function withCheckIn(
  ledger: Ledger,
  record: SessionRecord,
  context: FlowContext,
  userOf: (p: PartnerId) => string,
  now: number,
): Ledger {
  const asked = new Set(context.subject?.promises.map((p) => p.id) ?? []);
  const latestOf = (step: string, by: PartnerId) => context.answers.findLast((a) => a.step === step && a.by === by);
  const answers: CheckInAnswer[] = (['a', 'b'] as const).flatMap((by) => {
    const given = latestOf('howItWent', by)?.value;
    const choice = CHECK_IN_CHOICES.find((c) => c === given?.choice);
    if (!choice) return [];
    return [given?.note ? { userId: userOf(by), choice, note: given.note } : { userId: userOf(by), choice }];
  });
  const next = (['a', 'b'] as const).flatMap((by) => {
    const choice = NEXT_CHOICES.find((c) => c === latestOf('next', by)?.value.choice);
    return choice ? [{ userId: userOf(by), choice }] : [];
  });
  // Nothing was said (ended before any answer): the promises stay as they were, and nothing is due.
  const said = answers.length > 0 || next.length > 0;
  const status = statusAfter(next.map((n) => n.choice));
  const delay = followUpDelay(context);
  const promises = ledger.promises.map((p): PromiseEntry => {
    if (!asked.has(p.id) || p.checkIns.some((c) => c.sessionId === record.id)) return p;
    if (!said) return p;
    const checkIns = [...p.checkIns, { at: record.updatedAt, sessionId: record.id, answers, next }];
    return status === 'open' ? { ...p, checkIns } : { ...p, checkIns, status, closedAt: now };
  });
  const due = ledger.due.filter((d) => d.id !== record.id);
  if (status === 'open' && delay !== undefined && !due.some((d) => d.id === followUpIdOf(record.id))) {
    const starterId = ledger.promises.find((p) => asked.has(p.id))?.by[0] ?? record.partners.a.id;
    due.push({
      id: followUpIdOf(record.id),
      kind: 'check-in',
      flowId: CHECK_IN_FLOW_ID,
      promiseIds: [...asked],
      dueAt: record.updatedAt + delay,
      channelId: record.channelId,
      starterId,
    });
  }
  return { ...ledger, promises, due };
}

/**
 * Where a promise stands after a check-in: open while either asked to check in again (or nobody
 * chose yet), settled when both said so, let go otherwise — never a verdict on anyone.
 */
function statusAfter(choices: NextChoice[]): PromiseStatus {
  if (choices.length < 2 || choices.includes('again')) return 'open';
  return choices.every((c) => c === 'settled') ? 'settled' : 'let-go';
}
