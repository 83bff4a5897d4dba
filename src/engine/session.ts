/**
 * Sessions: start, apply one input, read. Each input is: load → validate → restore the actor →
 * send → persist → stop. Nothing is held in memory between inputs, so a restart loses nothing.
 * Inputs to one session run strictly one after another; each names the prompt it answers and
 * carries an id, so a stale, retried or doubled input is applied at most once.
 */
import { type Actor, type AnyMachineSnapshot, type AnyStateMachine, createActor } from 'xstate';
import { checkAnswer } from './answer-schema.js';
import {
  type AnswerRecord,
  emptyContext,
  type FlowContext,
  type FlowDefinition,
  type FlowEvent,
  type PartnerId,
} from './flow-kit.js';
import type { FlowRegistry } from './flow-registry.js';
import { Outbox, type OutboxEntry } from './outbox.js';
import { atTop, type Prompt, resolvePrompt } from './prompt.js';
import { badPauseTime, invalidAnswer, type Rejection, reject } from './rejections.js';
import { speaksOfHarm } from './safety.js';
import { SerialQueue } from './serial-queue.js';
import {
  FINISHED,
  flowContextSchema,
  type Notices,
  type Person,
  parseSessionRecord,
  RECENT_INPUTS,
  type SessionRecord,
  type SessionStatus,
  snapshotContextOf,
} from './session-record.js';
import type { Store } from './store.js';
import { summarize } from './summary.js';

export type InputAction = 'answer' | 'pause' | 'resume' | 'end';

export interface SessionInput {
  /** Unique per intended action: the same id twice is applied once. */
  id: string;
  /** Who sent it (a platform user id). */
  userId: string;
  action: InputAction;
  /** For answers: the prompt key it answers (`Prompt.key`). */
  step?: string;
  /** For answers: the raw answer, checked against the step's input spec. */
  value?: unknown;
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
      /** Answers that became visible to both partners with this input (sealed ones arrive together). */
      revealed: AnswerRecord[];
      /** Which partner sent it. */
      by: PartnerId;
      /** The answer spoke of harm: it was not recorded, and the session is on a safety pause. */
      safetyHold?: boolean;
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
}

export interface SessionServiceOptions {
  store: Store;
  flows: FlowRegistry;
  now?: () => number;
  newId?: () => string;
}

const MINUTE = 60_000;
export const PAUSE_MIN_MS = 20 * MINUTE;
export const PAUSE_MAX_MS = 24 * 60 * MINUTE;

export const sessionKey = (channelId: string) => `session:${channelId}`;

const statusOf = (snapshot: AnyMachineSnapshot): SessionStatus => {
  if (atTop(snapshot, 'paused')) return 'paused';
  if (atTop(snapshot, 'completed')) return 'completed';
  if (atTop(snapshot, 'declined')) return 'declined';
  if (atTop(snapshot, 'ended')) return 'ended';
  return 'active';
};

const INCOMPATIBLE =
  'Mend was updated and this conversation could not be carried over. What you wrote so far is kept in the summary; type /talk to start again.';

/** What an applied input leaves to write, and what it answers once written. */
interface Write {
  record: SessionRecord;
  flow: FlowDefinition;
  context: FlowContext;
  outcome: ApplyOutcome;
}

type Loaded =
  | { kind: 'none' }
  | { kind: 'unreadable' }
  | {
      kind: 'ok';
      record: SessionRecord;
      flow: FlowDefinition;
      snapshot?: AnyMachineSnapshot;
      context: FlowContext;
      /** Closed just now (it could not be restored): the closing is not stored yet. */
      closedNow?: boolean;
      /** The restored actor, still running, when the caller asked to keep it (it must stop it). */
      actor?: Actor<AnyStateMachine>;
    };

export class SessionService {
  private readonly queue = new SerialQueue();
  private readonly store: Store;
  private readonly flows: FlowRegistry;
  private readonly now: () => number;
  private readonly newId: () => string;
  readonly outbox: Outbox;

  constructor(options: SessionServiceOptions) {
    this.store = options.store;
    this.outbox = new Outbox(options.store);
    this.flows = options.flows;
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? (() => crypto.randomUUID());
  }

  start(request: StartRequest): Promise<StartOutcome> {
    return this.queue.run(request.channelId, () => this.startNow(request));
  }

  apply(channelId: string, input: SessionInput): Promise<ApplyOutcome> {
    return this.queue.run(channelId, () => this.applyNow(channelId, input));
  }

  async view(channelId: string): Promise<SessionView | undefined> {
    const loaded = await this.load(channelId);
    return loaded.kind === 'ok' ? this.toView(loaded) : undefined;
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
    return this.queue.run(channelId, async () => {
      if (sessionId !== undefined) {
        // Only that session: a new one may have started in the channel since.
        const current = parseSessionRecord(await this.store.get(sessionKey(channelId)));
        if (current?.id !== sessionId) return false;
      }
      return this.store.delete(sessionKey(channelId));
    });
  }

  /**
   * Closes a session that has been quiet too long (ended by the system, its summary queued).
   * Returns the view after, or undefined when there was nothing open to close.
   */
  expire(channelId: string): Promise<SessionView | undefined> {
    return this.queue.run(channelId, async () => {
      const loaded = await this.load(channelId);
      if (loaded.kind !== 'ok' || FINISHED.has(loaded.record.status) || !loaded.snapshot) return undefined;
      const actor = createActor(loaded.flow.machine, { snapshot: loaded.record.snapshot as never, input: {} });
      actor.start();
      actor.send({ type: 'END', by: 'system', at: this.now(), reason: 'expired' });
      const next = actor.getSnapshot();
      const snapshot = actor.getPersistedSnapshot();
      actor.stop();
      const record: SessionRecord = { ...loaded.record, status: statusOf(next), updatedAt: this.now(), snapshot };
      const context = next.context as FlowContext;
      await this.queueSummary(record, loaded.flow, context);
      await this.store.set(sessionKey(channelId), record);
      return this.toView({ kind: 'ok', record, flow: loaded.flow, snapshot: next, context });
    });
  }

  /** Records that a reminder went out, so it is sent once. Changes nothing else. */
  noteReminder(channelId: string, sessionId: string, notices: Notices): Promise<void> {
    return this.queue.run(channelId, async () => {
      const record = parseSessionRecord(await this.store.get(sessionKey(channelId)));
      if (record?.id !== sessionId) return;
      await this.store.set(sessionKey(channelId), { ...record, notices: { ...record.notices, ...notices } });
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
    const existing = await this.load(request.channelId);
    if (existing.kind === 'ok' && existing.closedNow) {
      await this.storeClosing(existing.record, existing.flow, existing.context);
    }
    if (existing.kind === 'ok' && !FINISHED.has(existing.record.status)) {
      return { ok: false, rejection: reject('session-active'), view: this.toView(existing) };
    }
    const actor = createActor(flow.machine, { input: {} });
    actor.start();
    const snapshot = actor.getPersistedSnapshot();
    actor.stop();
    const now = this.now();
    const record: SessionRecord = {
      v: 1,
      id: this.newId(),
      channelId: request.channelId,
      flowId: flow.id,
      flowVersion: flow.version,
      partners: { a: request.starter, b: request.partner },
      status: 'active',
      startedAt: now,
      updatedAt: now,
      recentInputs: [],
      snapshot,
    };
    if (request.guildId !== undefined) record.guildId = request.guildId;
    await this.store.set(sessionKey(request.channelId), record);
    const loaded = this.restore(record, flow);
    return { ok: true, view: this.toView(loaded) };
  }

  /**
   * One input: load, check, send, then write. What the write needs is decided first, so the
   * actor and the rest of the turn's working state are dropped before the write is awaited
   * (with many sessions in flight, whatever a turn keeps across an await is what the garbage
   * collector copies, again and again).
   */
  private async applyNow(channelId: string, input: SessionInput): Promise<ApplyOutcome> {
    const decided = await this.decide(channelId, input);
    if (!('write' in decided)) return decided;
    const { record, flow, context, outcome } = decided.write;
    if (FINISHED.has(record.status)) await this.queueSummary(record, flow, context);
    await this.store.set(sessionKey(channelId), record);
    return outcome;
  }

  /**
   * One actor per input: load restores it (which is also how it checks the snapshot can be
   * restored) and keeps it running; the input is sent to that same actor, stopped here.
   */
  private async decide(channelId: string, input: SessionInput): Promise<ApplyOutcome | { write: Write }> {
    const loaded = await this.load(channelId, true);
    try {
      return await this.decideLoaded(input, loaded);
    } finally {
      if (loaded.kind === 'ok') loaded.actor?.stop();
    }
  }

  private async decideLoaded(input: SessionInput, loaded: Loaded): Promise<ApplyOutcome | { write: Write }> {
    if (loaded.kind !== 'ok') return { ok: false, rejection: reject('no-session') };
    if (loaded.closedNow) await this.storeClosing(loaded.record, loaded.flow, loaded.context);
    const view = this.toView(loaded);
    const { record } = loaded;
    const by = partnerOf(record, input.userId);
    if (!by) return { ok: false, rejection: reject('not-partner'), view };
    if (record.recentInputs.includes(input.id)) {
      return { ok: true, duplicate: true, view, previous: view, revealed: [], by };
    }
    if (FINISHED.has(record.status) || !loaded.snapshot || !loaded.actor) {
      return { ok: false, rejection: reject('finished'), view };
    }

    const checked = this.eventFor(input, by, view);
    if ('code' in checked) return { ok: false, rejection: checked, view };
    // An answer that speaks of harm is never recorded: the exercise pauses for both instead, and
    // only both partners together can resume it.
    const safetyHold = checked.type === 'ANSWER' && speaksOfHarm(checked.value);
    const event: FlowEvent = safetyHold ? { type: 'PAUSE', by: 'system', at: this.now(), safety: true } : checked;

    const actor = loaded.actor;
    actor.send(event);
    const next = actor.getSnapshot();
    const snapshot = actor.getPersistedSnapshot();
    actor.stop();

    const recentInputs = record.recentInputs.slice(-(RECENT_INPUTS - 1));
    recentInputs.push(input.id);
    const updated: SessionRecord = {
      ...record,
      status: statusOf(next),
      updatedAt: this.now(),
      recentInputs,
      snapshot,
    };
    const context = next.context as FlowContext;
    const revealed = context.answers.slice(loaded.context.answers.length);
    const nextView = this.toView({ kind: 'ok', record: updated, flow: loaded.flow, snapshot: next, context });
    const outcome: ApplyOutcome = { ok: true, duplicate: false, view: nextView, previous: view, revealed, by };
    if (safetyHold) outcome.safetyHold = true;
    return { write: { record: updated, flow: loaded.flow, context, outcome } };
  }

  private eventFor(input: SessionInput, by: PartnerId, view: SessionView): FlowEvent | Rejection {
    const at = this.now();
    switch (input.action) {
      case 'answer': {
        const turn = whoseTurn(view, by, input.step);
        if ('code' in turn) return turn;
        const prompt = turn;
        const checked = checkAnswer(prompt.input, input.value);
        if (!checked.ok) return invalidAnswer(checked.message);
        const event: FlowEvent = { type: 'ANSWER', by, step: prompt.step, value: checked.value };
        if (prompt.about !== undefined) event.about = prompt.about;
        return event;
      }
      case 'pause': {
        if (view.status === 'paused') return reject('paused');
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
      case 'end':
        return { type: 'END', by, at };
    }
  }

  /** A session that could not be restored is closed for good, and what was written is summarised. */
  private async storeClosing(record: SessionRecord, flow: FlowDefinition, context: FlowContext): Promise<void> {
    await this.queueSummary(record, flow, context);
    await this.store.set(sessionKey(record.channelId), { ...record, updatedAt: this.now() });
  }

  /**
   * Queues the summary before the session is saved as finished: if the process stops between
   * the two writes, the summary is safe and the session simply finishes again on the next input.
   */
  private async queueSummary(record: SessionRecord, flow: FlowDefinition, context: FlowContext): Promise<void> {
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
      nextAttemptAt: at,
    };
    if (record.guildId !== undefined) entry.guildId = record.guildId;
    await this.outbox.put(entry);
  }

  /** Reads and checks a stored session. A record we cannot trust is never handed to XState. */
  private async load(channelId: string, keepActor = false): Promise<Loaded> {
    const raw = await this.store.get(sessionKey(channelId));
    if (raw === undefined) return { kind: 'none' };
    const record = parseSessionRecord(raw);
    if (!record) return { kind: 'unreadable' };
    const flow = this.flows.get(record.flowId);
    if (!flow) return { kind: 'unreadable' };
    return this.restore(record, flow, keepActor);
  }

  private restore(record: SessionRecord, flow: FlowDefinition, keepActor = false): Loaded & { kind: 'ok' } {
    const shaped = snapshotContextOf(record.snapshot);
    const context = shaped ?? emptyContextOf(record.snapshot);
    if (FINISHED.has(record.status) && record.status === 'closed') return { kind: 'ok', record, flow, context };
    const compatible = record.flowVersion === flow.version || (flow.compatibleWith ?? []).includes(record.flowVersion);
    if (!shaped || !compatible) return this.closed(record, flow, context);
    try {
      // A state that no longer exists makes XState report an error (or throw): either way we close
      // the session kindly rather than crash. The error observer keeps XState from rethrowing.
      const actor = createActor(flow.machine, { snapshot: record.snapshot as never, input: {} });
      const watch = new FailureWatch();
      const subscription = actor.subscribe(watch);
      actor.start();
      const restored = actor.getSnapshot();
      if (watch.failed || restored.status === 'error') {
        actor.stop();
        return this.closed(record, flow, context);
      }
      if (!keepActor) {
        actor.stop();
        return { kind: 'ok', record, flow, snapshot: restored, context };
      }
      // Kept for the input, which is sent as it always was: to an actor without an error observer.
      subscription.unsubscribe();
      return { kind: 'ok', record, flow, snapshot: restored, context, actor };
    } catch {
      return this.closed(record, flow, context);
    }
  }

  /** A session that cannot continue is closed, kindly, keeping what was written for the summary. */
  private closed(record: SessionRecord, flow: FlowDefinition, context: FlowContext): Loaded & { kind: 'ok' } {
    return {
      kind: 'ok',
      record: { ...record, status: 'closed', closedReason: record.closedReason ?? INCOMPATIBLE },
      flow,
      context,
      closedNow: record.status !== 'closed',
    };
  }

  private toView(loaded: Loaded & { kind: 'ok' }): SessionView {
    const { record, flow, snapshot, context } = loaded;
    const view: SessionView = {
      record,
      flow,
      context,
      status: snapshot && record.status !== 'closed' ? statusOf(snapshot) : record.status,
      nameOf: namesOf(record),
    };
    const prompt = snapshot && record.status !== 'closed' ? resolvePrompt(snapshot, flow.machine.id) : undefined;
    if (prompt) view.prompt = prompt;
    return view;
  }
}

/** The prompt a partner may answer now with this key, or why not. */
function whoseTurn(view: SessionView, by: PartnerId, key: string | undefined): Prompt | Rejection {
  if (FINISHED.has(view.status)) return reject('finished');
  if (view.status === 'paused') return reject('paused');
  const prompt = view.prompt;
  if (!prompt || key !== prompt.key) return reject('stale-step');
  if (!prompt.awaiting.includes(by)) return reject(prompt.answered.includes(by) ? 'already-answered' : 'not-your-turn');
  return prompt;
}

/**
 * Notes whether an actor reported an error. A class rather than `{ error: () => … }`: under tsx
 * every inline arrow in an object literal costs a naming call, and this runs on every turn.
 */
class FailureWatch {
  failed = false;
  error(): void {
    this.failed = true;
  }
}

/** Display names of a session's partners (made here, unnamed, as this runs twice per turn). */
function namesOf(record: SessionRecord): (partner: PartnerId) => string {
  return (p) => record.partners[p].name;
}

export function partnerOf(record: SessionRecord, userId: string): PartnerId | undefined {
  if (record.partners.a.id === userId) return 'a';
  if (record.partners.b.id === userId) return 'b';
  return undefined;
}

/** Whatever answers can be read from a snapshot we could not restore, so none are lost. */
function emptyContextOf(snapshot: unknown): FlowContext {
  const context = (snapshot as { context?: unknown } | undefined)?.context;
  const parsed = flowContextSchema.safeParse(context);
  if (parsed.success) return parsed.data as FlowContext;
  return emptyContext();
}
