/**
 * Sessions: start, apply one input, read. One turn is what XState's express-workflow example does
 * per request: restore the actor from the stored snapshot, start it, send the event, take the
 * persisted snapshot, stop it (`advance` below). Nothing is held in memory between inputs, so a
 * restart loses nothing. Inputs to one session run strictly one after another; each names the
 * prompt it answers and carries an id, so a stale, retried or doubled input is applied at most once.
 *
 * Across processes (two shards during a deploy, a retried interaction landing elsewhere) the queue
 * is not enough: every write is a compare-and-set on the record as it was read (store.writeIf). A
 * write that loses is not an error: the turn is run again on what the other process wrote — the
 * input checked anew, a duplicate recognised by its id — so no update is lost and none is doubled.
 * We chose compare-and-set over a lease lock: a turn is one read and one conditional write, with
 * no lock to take, renew or release, and nothing held by a process that dies mid-turn. The stamp
 * compared is the stored text itself, so it works the same when values are encrypted.
 */
import { type AnyMachineSnapshot, createActor, type StateValue } from 'xstate';
import { skipEvents } from './after-safety.js';
import { checkAnswer } from './answer-schema.js';
import { answerAt, answerKey, isSkipped } from './answers.js';
import { coupleIndex, OPEN_SESSIONS } from './couple-index.js';
import type { Wake } from './due.js';
import type { FlowDefinition } from './flow-kit.js';
import { canAdd, canRevise } from './flow-kit.js';
import type { FlowRegistry } from './flow-registry.js';
import type { AnswerRecord, AnswerRef, CheckInSubject, FlowContext, FlowEvent, PartnerId } from './flow-types.js';
import { emptyContext } from './flow-types.js';
import { CoupleHistory } from './history.js';
import { Outbox, type OutboxEntry } from './outbox.js';
import { PromiseLedger } from './promises.js';
import { atTop, type Prompt, refOfKey, resolvePrompt } from './prompt.js';
import { badPauseTime, invalidAnswer, pausedRejection, type Rejection, reject } from './rejections.js';
import { speaksOfHarm } from './safety.js';
import { SerialQueue } from './serial-queue.js';
import {
  checkedSnapshot,
  FINISHED,
  flowContextSchema,
  type Notices,
  type PersistedFlowSnapshot,
  type Person,
  parseSessionRecord,
  RECENT_INPUTS,
  type SessionRecord,
  type SessionStatus,
} from './session-record.js';
import type { Store } from './store.js';
import { summarize } from './summary.js';
import { SummaryApprovals } from './summary-approval.js';
import { newlyReadable, readableByBoth } from './visibility.js';
import { trimInvisible, visibleLength } from './visible-text.js';

export type InputAction = 'answer' | 'revise' | 'add' | 'pause' | 'resume' | 'end' | 'skip';

export interface SessionInput {
  /** Unique per intended action: the same id twice is applied once. */
  id: string;
  /** Who sent it (a platform user id). */
  userId: string;
  action: InputAction;
  /**
   * For answers: the prompt key it answers (`Prompt.key`); for a change or an addition, the key of
   * the prompt its answer was given to; for a skip, the key of the prompt it skips.
   */
  step?: string;
  /** For answers and changes: the raw answer, checked against the step's input spec. */
  value?: unknown;
  /**
   * For answers read off a form: the raw answer, given the prompt it answers (a form's fields are
   * read by what the step asks), so the surface need not read the session first.
   */
  valueFor?: (prompt: Prompt) => unknown;
  /** For additions: what the author adds to an answer the other partner has read. */
  text?: unknown;
  /** For pauses: the agreed return time (epoch ms), 20 minutes to 24 hours ahead. */
  until?: number;
}

export interface SessionView {
  record: SessionRecord;
  flow: FlowDefinition;
  context: FlowContext;
  status: SessionStatus;
  /** The prompt the session waits on, when active. */
  prompt?: Prompt;
  /** Display name of a partner. */
  nameOf: (partner: PartnerId) => string;
}

export type ApplyOutcome =
  | {
      ok: true;
      /** The input had been applied before; nothing changed this time. */
      duplicate: boolean;
      view: SessionView;
      /** The session as it was just before this input (read under the same queue turn). */
      previous: SessionView;
      /** Answers both partners can read since this input (sealed ones arrive together), in the order given. */
      shown: AnswerRecord[];
      /** An answer both could read already, changed or added to by its author with this input. */
      changed?: AnswerRecord;
      /** For its author alone: what the step's coach notices in words they just changed. */
      coachNotes?: string[];
      /** Which partner sent it. */
      by: PartnerId;
      /** The answer (or change, or addition) spoke of harm: it was not recorded, and the session is on a safety pause. */
      safetyHold?: boolean;
      /** The question a safety pause set aside was skipped, for whoever it still waited on. */
      skipped?: boolean;
    }
  | { ok: false; rejection: Rejection; view?: SessionView };

export type StartOutcome = { ok: true; view: SessionView } | { ok: false; rejection: Rejection; view?: SessionView };

export interface StartRequest {
  channelId: string;
  guildId?: string;
  flowId: string;
  /** The partner who typed /talk: 'a'. */
  starter: Person;
  /** The partner they invited: 'b'. */
  partner: Person;
  /** For a conversation Mend starts itself: its id (so a retried start finds it), and what it is about. */
  id?: string;
  subject?: CheckInSubject;
}

export interface SessionServiceOptions {
  store: Store;
  flows: FlowRegistry;
  now?: () => number;
  newId?: () => string;
  /**
   * How long the couple have to look over a finished conversation's summary before Mend posts it as
   * it stands (SUMMARY_APPROVAL_HOURS); 0 posts it at once, without the look-over.
   */
  summaryApprovalMs?: number;
}

/**
 * When to look at a session next (its reminder, its break's end, its expiry), or undefined for
 * never. The timekeeper, which knows the settings, installs its own; until then a session is looked
 * at as soon as it changed, which is never too late.
 */
export type SessionWake = (view: SessionView) => number | undefined;

/** A write lost to another writer: the turn is run again on what that one wrote. */
class WriteConflict extends Error {}

/** Far more than two processes can contend for one session; past it something is wrong. */
const MAX_ATTEMPTS = 50;

// Where a summary's deadline is kept; re-exported for the surfaces and maintenance.
export { parseSummaryDueId, summaryDueId } from './outbox.js';

import { summaryDueId } from './outbox.js';

const MINUTE = 60_000;
/** The longest addition to an answer already read. */
export const ADDITION_MAX = 1000;
export const PAUSE_MIN_MS = 20 * MINUTE;
export const PAUSE_MAX_MS = 24 * 60 * MINUTE;

export const sessionKey = (channelId: string) => `session:${channelId}`;

const INCOMPATIBLE =
  'Mend was updated and this conversation could not be carried over. What you wrote so far is kept in the summary; type /talk to start again.';

/** A session read from the store and checked, restored where it can still run. */
interface Loaded {
  record: SessionRecord;
  flow: FlowDefinition;
  context: FlowContext;
  /** The stored snapshot, checked; absent when it could not be read. */
  stored?: PersistedFlowSnapshot;
  /** The restored snapshot; absent when the session is closed (it could not be restored). */
  restored?: AnyMachineSnapshot;
  /** Closed just now because it could not be restored: the closing is not stored yet. */
  closedNow?: boolean;
  /** The stored text it was read from: a write replaces exactly that or nothing. */
  stamp?: string;
}

export class SessionService {
  private readonly queue = new SerialQueue();
  private readonly store: Store;
  private readonly flows: FlowRegistry;
  private readonly now: () => number;
  private readonly newId: () => string;
  private wakeOf: SessionWake = (view) => view.record.updatedAt;
  /** How many writes lost to another writer and were run again (tests and metrics). */
  conflicts = 0;
  readonly outbox: Outbox;
  /** The couples' promises and what is due for them (written as a conversation finishes). */
  readonly ledger: PromiseLedger;
  /** Each couple's past conversations: ids, dates, how they ended, where the summary is (never words). */
  readonly history: CoupleHistory;
  /** The couple's look-over of a summary before it is posted. */
  readonly approvals: SummaryApprovals;
  private readonly summaryApprovalMs: number;

  constructor(options: SessionServiceOptions) {
    this.store = options.store;
    this.outbox = new Outbox(options.store);
    this.ledger = new PromiseLedger(options.store, options.now ?? Date.now);
    this.history = new CoupleHistory(options.store);
    this.approvals = new SummaryApprovals(this.outbox, options.now ?? Date.now);
    this.summaryApprovalMs = options.summaryApprovalMs ?? 0;
    this.flows = options.flows;
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? (() => crypto.randomUUID());
  }

  /** Sets how a session's next deadline is found (the timekeeper calls it with its settings). */
  useDeadlines(wakeOf: SessionWake): void {
    this.wakeOf = wakeOf;
  }

  /** The flow of that id, if this process knows it. */
  flowOf(flowId: string): FlowDefinition | undefined {
    return this.flows.get(flowId);
  }

  start(request: StartRequest): Promise<StartOutcome> {
    return this.queue.run(request.channelId, () => this.retrying(() => this.startNow(request)));
  }

  apply(channelId: string, input: SessionInput): Promise<ApplyOutcome> {
    return this.queue.run(channelId, () => this.retrying(() => this.applyNow(channelId, input)));
  }

  async view(channelId: string): Promise<SessionView | undefined> {
    const loaded = await this.load(channelId);
    return loaded ? viewOf(loaded) : undefined;
  }

  /**
   * Whether this user may answer this prompt now, without changing anything — so a surface can
   * refuse before opening a form (a modal must be the first response, so it cannot wait).
   */
  async precheck(
    channelId: string,
    userId: string,
    key: string,
  ): Promise<{ ok: true; view: SessionView; prompt: Prompt; by: PartnerId } | { ok: false; rejection: Rejection }> {
    const view = await this.view(channelId);
    if (!view) return { ok: false, rejection: reject('no-session') };
    const by = partnerOf(view.record, userId);
    if (!by) return { ok: false, rejection: reject('not-partner') };
    const turn = whoseTurn(view, by, key);
    if ('code' in turn) return { ok: false, rejection: turn };
    return { ok: true, view, prompt: turn, by };
  }

  /** Deletes a session's stored state (after its summary is delivered, or on request). */
  remove(channelId: string, sessionId?: string): Promise<boolean> {
    return this.queue.run(channelId, () =>
      this.retrying(async () => {
        const read = await this.store.read(sessionKey(channelId));
        const current = parseSessionRecord(read?.value);
        // Only that session: a new one may have started in the channel since.
        if (!read || (sessionId !== undefined && current?.id !== sessionId)) return false;
        if (!(await this.store.deleteIf(sessionKey(channelId), read.stamp))) throw new WriteConflict();
        if (current) await this.store.sets.remove(OPEN_SESSIONS, [sessionKey(channelId)]);
        return true;
      }),
    );
  }

  /**
   * Closes a session that has been quiet too long (ended by the system, its summary queued).
   * Returns the view after, or undefined when there was nothing open to close.
   */
  expire(channelId: string): Promise<SessionView | undefined> {
    return this.queue.run(channelId, () =>
      this.retrying(async () => {
        const loaded = await this.load(channelId);
        if (!loaded?.restored || FINISHED.has(loaded.record.status)) return undefined;
        const turn = advance(loaded.flow, loaded.stored, [
          { type: 'END', by: 'system', at: this.now(), reason: 'expired' },
        ]);
        if (!turn.ok) return undefined;
        const next = this.recordAfter(loaded.record, turn);
        const view = viewOf({ ...next, flow: loaded.flow });
        await this.save(loaded.stamp, next.record, view);
        await this.queueSummary(next.record, loaded.flow, next.context);
        return view;
      }),
    );
  }

  /** Records that a reminder went out, so it is sent once. Changes nothing else. */
  noteReminder(channelId: string, sessionId: string, notices: Notices): Promise<void> {
    return this.queue.run(channelId, () =>
      this.retrying(async () => {
        const loaded = await this.load(channelId);
        // One that cannot be restored is closed by its next input, not by a reminder's note.
        if (loaded?.record.id !== sessionId || loaded.closedNow) return;
        const record = { ...loaded.record, notices: { ...loaded.record.notices, ...notices } };
        await this.save(loaded.stamp, record, viewOf({ ...loaded, record }));
      }),
    );
  }

  /**
   * A finished session whose summary is not queued (the process stopped between storing the session
   * and queueing its summary): queues it now, due at once. Undefined when that session is not finished
   * in its channel (it never finished, or has been deleted).
   */
  owedSummary(channelId: string, sessionId: string): Promise<OutboxEntry | undefined> {
    return this.queue.run(channelId, async () => {
      const queued = await this.outbox.get(sessionId);
      if (queued) return queued;
      const loaded = await this.load(channelId);
      if (loaded?.record.id !== sessionId || !FINISHED.has(loaded.record.status)) return undefined;
      return this.queueSummary(loaded.record, loaded.flow, loaded.context, 0);
    });
  }

  /** Resolves once every queued input has been applied (graceful shutdown). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private async startNow(request: StartRequest): Promise<StartOutcome> {
    const flow = this.flows.get(request.flowId);
    if (!flow) return { ok: false, rejection: reject('unknown-flow') };
    if (request.starter.id === request.partner.id) return { ok: false, rejection: reject('same-person') };
    const { loaded: existing, stamp: found } = await this.loadStamped(request.channelId);
    if (existing?.closedNow) existing.stamp = await this.storeClosing(existing);
    if (existing && !FINISHED.has(existing.record.status)) {
      return { ok: false, rejection: reject('session-active'), view: viewOf(existing) };
    }
    const turn = advance(flow, undefined, [], request.subject ? { subject: request.subject } : {});
    if (!turn.ok) throw new Error(`the flow "${flow.id}" cannot start`);
    const now = this.now();
    const record: SessionRecord = {
      v: 1,
      id: request.id ?? this.newId(),
      channelId: request.channelId,
      flowId: flow.id,
      flowVersion: flow.version,
      partners: { a: request.starter, b: request.partner },
      status: 'active',
      startedAt: now,
      updatedAt: now,
      recentInputs: [],
      snapshot: turn.persisted,
    };
    if (request.guildId !== undefined) record.guildId = request.guildId;
    const view = viewOf({ record, flow, context: turn.context, restored: turn.snapshot });
    // Indexed first: an index entry for a session that then lost its write costs a lookup, never a miss.
    const key = sessionKey(request.channelId);
    await this.store.sets.add(OPEN_SESSIONS, [key]);
    await this.store.sets.add(coupleIndex(record.guildId, record.partners.a.id, record.partners.b.id), [key]);
    // Over whatever was there (a finished session, or one that no longer reads), never over a newer write.
    await this.save(existing ? existing.stamp : found, record, view);
    return { ok: true, view };
  }

  /** One input: load and check it, take the turn, and write what it leaves. */
  private async applyNow(channelId: string, input: SessionInput): Promise<ApplyOutcome> {
    const loaded = await this.load(channelId);
    if (!loaded) return { ok: false, rejection: reject('no-session') };
    if (loaded.closedNow) loaded.stamp = await this.storeClosing(loaded);
    const previous = viewOf(loaded);
    const by = partnerOf(loaded.record, input.userId);
    if (!by) return { ok: false, rejection: reject('not-partner'), view: previous };
    if (loaded.record.recentInputs.includes(input.id)) {
      return { ok: true, duplicate: true, view: previous, previous, shown: [], by };
    }
    if (FINISHED.has(loaded.record.status) || !loaded.restored) {
      return { ok: false, rejection: reject('finished'), view: previous };
    }

    const checked = this.eventsFor(input, by, previous);
    if ('code' in checked) return { ok: false, rejection: checked, view: previous };
    // An answer (or new words for one, or an addition) that speaks of harm is never recorded: the
    // exercise pauses for both instead, and only both partners together can resume it. For an
    // answer, the pause notes the step it set aside, so that once both have resumed it can be
    // skipped rather than asked again; a change or an addition leaves the question as it was.
    const [first] = checked;
    const safetyHold = checked.length === 1 && first !== undefined && speaksOfHarmIn(first);
    const events: FlowEvent[] = safetyHold ? [safetyPause(first, loaded.context.step, this.now())] : checked;
    const event = events[0] as FlowEvent;

    const turn = advance(loaded.flow, loaded.stored, events);
    if (!turn.ok && !turn.restored) {
      // It reads, but will not run again (its flow changed beneath it): closed kindly, as at load.
      const closed = closedKindly(loaded);
      await this.storeClosing(closed);
      return { ok: false, rejection: reject('finished'), view: viewOf(closed) };
    }
    // The machine refused the event (a guard or action threw): nothing is written, and the
    // surface says sorry; the session stays exactly as it was.
    if (!turn.ok) {
      const types = events.map((e) => e.type).join(', ');
      throw new Error(`the ${loaded.flow.id} machine failed on ${types} at ${previous.prompt?.step}`);
    }
    const recentInputs = [...loaded.record.recentInputs.slice(-(RECENT_INPUTS - 1)), input.id];
    const next = this.recordAfter({ ...loaded.record, recentInputs }, turn);
    const view = viewOf({ ...next, flow: loaded.flow });
    await this.save(loaded.stamp, next.record, view);
    if (FINISHED.has(next.record.status)) await this.queueSummary(next.record, loaded.flow, next.context);

    const shown = newlyReadable(loaded.flow, loaded.context, next.context);
    const outcome: ApplyOutcome = { ok: true, duplicate: false, view, previous, shown, by };
    const changed = event.type === 'REVISE' || event.type === 'ADD' ? changedAnswer(previous, view, event) : undefined;
    if (changed) outcome.changed = changed;
    if (event.type === 'REVISE') {
      const notes = loaded.flow.steps.get(event.target.step)?.coach?.(event.value.text ?? '') ?? [];
      if (notes.length > 0) outcome.coachNotes = notes;
    }
    if (safetyHold) outcome.safetyHold = true;
    if (input.action === 'skip') outcome.skipped = true;
    return outcome;
  }

  /** The stored record after a turn, and the context and snapshot it came from. */
  private recordAfter(record: SessionRecord, turn: Turn & { ok: true }) {
    const next: SessionRecord = {
      ...record,
      status: statusOf(turn.snapshot),
      updatedAt: this.now(),
      snapshot: turn.persisted,
    };
    return { record: next, context: turn.context, restored: turn.snapshot };
  }

  /** The events one input becomes (a skip answers for everyone the prompt waits on), or why not. */
  private eventsFor(input: SessionInput, by: PartnerId, view: SessionView): FlowEvent[] | Rejection {
    if (input.action === 'skip') return skipEvents(view, input.step, this.now());
    const event = this.eventFor(input, by, view);
    return 'code' in event ? event : [event];
  }

  private eventFor(input: SessionInput, by: PartnerId, view: SessionView): FlowEvent | Rejection {
    const at = this.now();
    switch (input.action) {
      case 'answer': {
        const prompt = whoseTurn(view, by, input.step);
        if ('code' in prompt) return prompt;
        const checked = checkAnswer(prompt.input, input.valueFor ? input.valueFor(prompt) : input.value);
        if (!checked.ok) return invalidAnswer(checked.message);
        const event: FlowEvent = { type: 'ANSWER', by, step: prompt.step, value: checked.value, at };
        if (prompt.about !== undefined) event.about = prompt.about;
        return event;
      }
      case 'revise':
      case 'add': {
        if (FINISHED.has(view.status)) return reject('finished');
        if (view.status === 'paused') return pausedRejection(view.context.pause);
        const ref = input.step === undefined ? undefined : refOfKey(input.step);
        if (!ref) return reject('no-such-answer');
        return input.action === 'revise'
          ? this.revision(view, by, ref, input.value)
          : this.addition(view, by, ref, input.text);
      }
      case 'pause': {
        if (view.status === 'paused') return pausedRejection(view.context.pause);
        if (input.until === undefined) return { type: 'PAUSE', by, at };
        const ahead = input.until - at;
        if (!Number.isFinite(ahead) || ahead < PAUSE_MIN_MS - MINUTE || ahead > PAUSE_MAX_MS + MINUTE) {
          return badPauseTime('A break can last from 20 minutes to 24 hours. Please pick a time in that range.');
        }
        return { type: 'PAUSE', by, at, until: input.until };
      }
      case 'resume':
        if (view.status !== 'paused') return reject('not-paused');
        return { type: 'RESUME', by, at };
      case 'end': {
        const step = view.prompt?.step;
        return step === undefined ? { type: 'END', by, at } : { type: 'END', by, at, step };
      }
      case 'skip':
        // A skip may be several events: `eventsFor` takes it before it gets here.
        return reject('not-skippable');
    }
  }

  /** New words for an answer of theirs the other has not read yet (checked like the answer was). */
  private revision(view: SessionView, by: PartnerId, ref: AnswerRef, raw: unknown): FlowEvent | Rejection {
    const { context } = view;
    const pending = context.pendingStep === ref.step && context.step === ref.seq ? context.pending[by] : undefined;
    const given = pending ?? answerAt(context, by, ref)?.value;
    const spec = view.flow.steps.get(ref.step);
    // A skipped question has no words of theirs to change.
    if (!given || !spec || isSkipped(given)) return reject('no-such-answer');
    const checked = checkAnswer(spec.input, raw);
    if (!checked.ok) return invalidAnswer(checked.message);
    const record = answerAt(context, by, ref);
    if (record && !record.draft && !isReadable(view, record)) return reject('held-back');
    if (!canRevise(context, by, ref, checked.value.choice)) {
      return record && !record.draft && record.value.choice === checked.value.choice
        ? reject('already-read')
        : invalidAnswer('You can change your words here; to choose differently, say so in your next answer.');
    }
    return { type: 'REVISE', by, target: ref, value: checked.value };
  }

  /** A few words added to an answer of theirs the other has already read. */
  private addition(view: SessionView, by: PartnerId, ref: AnswerRef, raw: unknown): FlowEvent | Rejection {
    const record = answerAt(view.context, by, ref);
    if (!record || record.draft || isSkipped(record.value)) return reject('no-such-answer');
    if (!isReadable(view, record)) return reject('held-back');
    if (!canAdd(view.context, by, ref)) return reject('not-read-yet');
    const text = typeof raw === 'string' ? trimInvisible(raw) : '';
    if (visibleLength(text) === 0)
      return invalidAnswer('Please write what you would like to add — a few words are enough.');
    if (text.length > ADDITION_MAX) return invalidAnswer(`An addition can be at most ${ADDITION_MAX} characters.`);
    return { type: 'ADD', by, target: ref, text };
  }

  /**
   * Reads and checks a stored session: undefined when there is none (or nothing we can read as
   * one). A record we cannot trust is never handed to XState; one whose flow changed beyond its
   * versions, or whose state no longer exists, is closed kindly, keeping what was written.
   */
  private async load(channelId: string): Promise<Loaded | undefined> {
    return (await this.loadStamped(channelId)).loaded;
  }

  /** `load`, and the stored text's stamp even when it does not read as a session. */
  private async loadStamped(channelId: string): Promise<{ loaded?: Loaded; stamp?: string }> {
    const read = await this.store.read(sessionKey(channelId));
    const loaded = read && this.loaded(read.value, read.stamp);
    return { ...(loaded ? { loaded } : {}), ...(read ? { stamp: read.stamp } : {}) };
  }

  private loaded(value: unknown, stamp: string): Loaded | undefined {
    const record = parseSessionRecord(value);
    const flow = record && this.flows.get(record.flowId);
    if (!record || !flow) return undefined;
    const snapshot = checkedSnapshot(record.snapshot);
    const context = snapshot?.context ?? answersOf(record.snapshot);
    if (record.status === 'closed') return { record, flow, context, stamp };
    const compatible = record.flowVersion === flow.version || (flow.compatibleWith ?? []).includes(record.flowVersion);
    const restored = snapshot && compatible ? readable(flow, snapshot) : undefined;
    if (!snapshot || !restored) return closedKindly({ record, flow, context, stamp });
    return { record, flow, context: snapshot.context, stored: snapshot, restored, stamp };
  }

  /**
   * Writes a session over exactly what was read (`stamp`; undefined: only where none is stored), with
   * its next deadline in the due-index, and, as it finishes, its summary's. Returns the new stamp;
   * throws WriteConflict when another writer got there first.
   */
  private async save(stamp: string | undefined, record: SessionRecord, view: SessionView): Promise<string> {
    const wakes: Wake[] = [];
    const finished = FINISHED.has(record.status);
    const at = finished ? undefined : this.wakeOf(view);
    if (at !== undefined) wakes.push({ kind: 'session', id: record.channelId, at });
    // Should the process stop before the summary is queued, the summary's deadline finds it owed.
    if (finished) {
      const at = this.now() + SUMMARY_HANDOFF_MS;
      wakes.push({ kind: 'summary', id: summaryDueId(record.channelId, record.id), at });
    }
    const written = await this.store.writeIf(sessionKey(record.channelId), record, stamp, wakes);
    if (written === undefined) throw new WriteConflict();
    if (finished) await this.store.sets.remove(OPEN_SESSIONS, [sessionKey(record.channelId)]);
    return written;
  }

  /** Runs a turn until its write wins: a turn that lost to another writer is run again on what it wrote. */
  private async retrying<T>(turn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await turn();
      } catch (error) {
        if (!(error instanceof WriteConflict) || attempt >= MAX_ATTEMPTS) throw error;
        this.conflicts++;
      }
    }
  }

  /** A session that could not be restored is closed for good, and what was written is summarised. Returns the new stamp. */
  private async storeClosing(loaded: Loaded): Promise<string> {
    const record = { ...loaded.record, updatedAt: this.now() };
    const stamp = await this.save(loaded.stamp, record, viewOf({ ...loaded, record }));
    await this.queueSummary(loaded.record, loaded.flow, loaded.context);
    return stamp;
  }

  /**
   * Queues the summary once the session is stored as finished — only the write that won may, so a
   * turn run again after a conflict never leaves a summary of a session that did not end that way.
   * Should the process stop between the two, the summary's deadline (written with the session)
   * finds it owed and queues it then (`owedSummary`).
   */
  private async queueSummary(
    record: SessionRecord,
    flow: FlowDefinition,
    context: FlowContext,
    handoffMs = SUMMARY_HANDOFF_MS,
  ): Promise<OutboxEntry> {
    const at = this.now();
    const summaryInput: Parameters<typeof summarize>[0] = {
      flow,
      context,
      status: record.status,
      nameOf: namesOf(record),
      at,
    };
    if (record.closedReason !== undefined) summaryInput.closedReason = record.closedReason;
    const entry: OutboxEntry = {
      sessionId: record.id,
      channelId: record.channelId,
      partnerIds: [record.partners.a.id, record.partners.b.id],
      summary: summarize(summaryInput),
      sent: 0,
      attempts: 0,
      // The interaction that finished the session posts the summary straight after its closing
      // message; the sweeper steps in only if that did not happen (a crash, a Discord error), so
      // it never posts a summary ahead of the conversation's last words.
      nextAttemptAt: at + handoffMs,
    };
    if (record.guildId !== undefined) entry.guildId = record.guildId;
    const existing = await this.outbox.get(record.id);
    // Already queued (the session finishing again after a crash, or owed and queued by a sweep):
    // that entry stands — a second one would start its messages and its look-over again.
    if (existing) return existing;
    if (this.wantsApproval(record, flow, context))
      entry.approval = { deadline: at + this.summaryApprovalMs, answers: [] };
    await this.outbox.queue(entry);
    if (entry.approval)
      await this.store.due.schedule([{ kind: 'approval', id: record.id, at: entry.approval.deadline }]);
    // Before the session is stored as finished, like its summary: what it promised is never lost.
    await this.ledger.recordFinished(record, flow, context);
    await this.history.recordFinished(record, context, at);
    return entry;
  }

  /**
   * Whether the couple look the summary over before it is posted: a conversation they went through,
   * or that one of them ended, in a flow that asks for it. One Mend closed (a quiet spell, a kind
   * close after an update) and a "not now" are posted at once: nobody is there to wait for.
   */
  private wantsApproval(record: SessionRecord, flow: FlowDefinition, context: FlowContext): boolean {
    if (this.summaryApprovalMs <= 0 || !flow.summaryApproval) return false;
    if (record.status === 'completed') return true;
    return record.status === 'ended' && context.end !== null && context.end.by !== 'system';
  }
}

/** How long the sweeper leaves a new summary to the interaction that queued it. */
const SUMMARY_HANDOFF_MS = 30_000;

/** A session that cannot continue, closed kindly, keeping what was written for the summary. */
function closedKindly(loaded: Loaded): Loaded {
  const { record } = loaded;
  const closed: Loaded = {
    record: { ...record, status: 'closed', closedReason: record.closedReason ?? INCOMPATIBLE },
    flow: loaded.flow,
    context: loaded.context,
    closedNow: record.status !== 'closed',
  };
  if (loaded.stamp !== undefined) closed.stamp = loaded.stamp;
  return closed;
}

/**
 * A stored snapshot as a snapshot to read (its prompt, its status), without starting an actor:
 * reading a session is most of what an interaction does, and only a turn needs the actor. A state
 * that no longer exists does not resolve: undefined.
 */
function readable(flow: FlowDefinition, snapshot: PersistedFlowSnapshot): AnyMachineSnapshot | undefined {
  try {
    return flow.machine.resolveState({ value: snapshot.value as StateValue, context: snapshot.context });
  } catch {
    return undefined;
  }
}

/** What one turn of a flow machine leaves: the live snapshot (for prompts) and the one to store. */
type Turn =
  | { ok: true; snapshot: AnyMachineSnapshot; persisted: PersistedFlowSnapshot; context: FlowContext }
  /** `restored`: whether the stored snapshot ran at all (false: it cannot be restored any more). */
  | { ok: false; restored: boolean };

/**
 * One turn: restore the actor (from nothing, for a new session), start it, send the events (most
 * inputs are one; a skip answers for both partners at once, so it is one turn and one store write),
 * take the persisted snapshot, stop. A snapshot naming a state that no longer
 * exists, or a machine that fails on the event, makes XState report an error rather than throw
 * because an error observer is subscribed; either way the turn is `{ ok: false }`, never a crash.
 */
function advance(
  flow: FlowDefinition,
  snapshot: PersistedFlowSnapshot | undefined,
  events: readonly FlowEvent[] = [],
  /** A new session's starting context (what a conversation Mend starts is about). */
  input: Partial<FlowContext> = {},
): Turn {
  const actor = createActor(flow.machine, snapshot ? { snapshot, input: {} } : { input });
  const watch = new FailureWatch();
  actor.subscribe(watch);
  let restored = false;
  try {
    actor.start();
    restored = !watch.failed && actor.getSnapshot().status !== 'error';
    if (restored) {
      for (const event of events) {
        actor.send(event);
        if (watch.failed) break;
      }
    }
    const current = actor.getSnapshot();
    if (!restored || watch.failed || current.status === 'error') return { ok: false, restored };
    // A flow machine's persisted snapshot carries the kit's context (the machine is built on
    // flowKit's types); `load` checks it again whenever it comes back from the store.
    const persisted = actor.getPersistedSnapshot() as PersistedFlowSnapshot;
    return { ok: true, snapshot: current, persisted, context: persisted.context };
  } catch {
    return { ok: false, restored };
  } finally {
    actor.stop();
  }
}

/** Notes whether an actor reported an error (so XState does not rethrow it). */
class FailureWatch {
  failed = false;
  error(): void {
    this.failed = true;
  }
}

const statusOf = (snapshot: AnyMachineSnapshot): SessionStatus => {
  if (atTop(snapshot, 'paused')) return 'paused';
  if (atTop(snapshot, 'completed')) return 'completed';
  if (atTop(snapshot, 'declined')) return 'declined';
  if (atTop(snapshot, 'ended')) return 'ended';
  return 'active';
};

function viewOf(loaded: Loaded): SessionView {
  const { record, flow, context, restored } = loaded;
  const view: SessionView = {
    record,
    flow,
    context,
    status: restored && record.status !== 'closed' ? statusOf(restored) : record.status,
    nameOf: namesOf(record),
  };
  const prompt = restored && record.status !== 'closed' ? resolvePrompt(restored, flow.machine.id) : undefined;
  if (prompt) view.prompt = prompt;
  return view;
}

/** The prompt a partner may answer now with this key, or why not. */
function whoseTurn(view: SessionView, by: PartnerId, key: string | undefined): Prompt | Rejection {
  if (FINISHED.has(view.status)) return reject('finished');
  if (view.status === 'paused') return pausedRejection(view.context.pause);
  const prompt = view.prompt;
  if (!prompt || key !== prompt.key) return reject('stale-step');
  if (!prompt.awaiting.includes(by)) return reject(prompt.answered.includes(by) ? 'already-answered' : 'not-your-turn');
  return prompt;
}

/** Whether what a partner wrote in this event speaks of violence, abuse or self-harm. */
function speaksOfHarmIn(event: FlowEvent): boolean {
  if (event.type === 'ANSWER' || event.type === 'REVISE') return speaksOfHarm(event.value);
  if (event.type === 'ADD') return speaksOfHarm({ text: event.text });
  return false;
}

/** The pause that holds the exercise for both, in place of an event whose words spoke of harm. */
function safetyPause(instead: FlowEvent, seq: number, at: number): FlowEvent {
  const pause: FlowEvent = { type: 'PAUSE', by: 'system', at, safety: true };
  return instead.type === 'ANSWER' ? { ...pause, step: instead.step, seq } : pause;
}

/** Whether both partners can read this answer now (a sealed guess can be in, yet held back). */
function isReadable(view: SessionView, answer: AnswerRecord): boolean {
  const key = answerKey(answer);
  return readableByBoth(view.flow, view.context).some((a) => answerKey(a) === key);
}

/** The answer a change or an addition touched, when both partners could read it before and after. */
function changedAnswer(
  before: SessionView,
  after: SessionView,
  event: Extract<FlowEvent, { type: 'REVISE' | 'ADD' }>,
): AnswerRecord | undefined {
  const key = answerKey({ ...event.target, by: event.by });
  if (!readableByBoth(before.flow, before.context).some((a) => answerKey(a) === key)) return undefined;
  return readableByBoth(after.flow, after.context).find((a) => answerKey(a) === key);
}

/** Display names of a session's partners. */
function namesOf(record: SessionRecord): (partner: PartnerId) => string {
  return (p) => record.partners[p].name;
}

export function partnerOf(record: SessionRecord, userId: string): PartnerId | undefined {
  if (record.partners.a.id === userId) return 'a';
  if (record.partners.b.id === userId) return 'b';
  return undefined;
}

/** Whatever answers can be read from a snapshot we could not restore, so none are lost. */
function answersOf(snapshot: unknown): FlowContext {
  const context = (snapshot as { context?: unknown } | undefined)?.context;
  const parsed = flowContextSchema.safeParse(context);
  return parsed.success ? parsed.data : emptyContext();
}
