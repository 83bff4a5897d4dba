/**
 * Sessions: start, apply one input, read. Each input is: load → validate → restore the actor →
 * send → persist → stop. Nothing is held in memory between inputs, so a restart loses nothing.
 * Inputs to one session run strictly one after another; each names the prompt it answers and
 * carries an id, so a stale, retried or doubled input is applied at most once.
 */
import { type AnyMachineSnapshot, createActor } from 'xstate';
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
import { type Prompt, resolvePrompt } from './prompt.js';
import { badPauseTime, invalidAnswer, type Rejection, reject } from './rejections.js';
import { SerialQueue } from './serial-queue.js';
import {
  FINISHED,
  flowContextSchema,
  type Person,
  RECENT_INPUTS,
  type SessionRecord,
  type SessionStatus,
  sessionRecordSchema,
  snapshotShapeSchema,
} from './session-record.js';
import type { Store } from './store.js';

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
      /** Answers that became visible to both partners with this input (sealed ones arrive together). */
      revealed: AnswerRecord[];
      /** Which partner sent it. */
      by: PartnerId;
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
  if (snapshot.matches('paused')) return 'paused';
  if (snapshot.matches('completed')) return 'completed';
  if (snapshot.matches('declined')) return 'declined';
  if (snapshot.matches('ended')) return 'ended';
  return 'active';
};

const INCOMPATIBLE =
  'Mend was updated and this conversation could not be carried over. What you wrote so far is kept in the summary; type /talk to start again.';

type Loaded =
  | { kind: 'none' }
  | { kind: 'unreadable' }
  | { kind: 'ok'; record: SessionRecord; flow: FlowDefinition; snapshot?: AnyMachineSnapshot; context: FlowContext };

export class SessionService {
  private readonly queue = new SerialQueue();
  private readonly store: Store;
  private readonly flows: FlowRegistry;
  private readonly now: () => number;
  private readonly newId: () => string;

  constructor(options: SessionServiceOptions) {
    this.store = options.store;
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

  /** Deletes a session's stored state (after its summary is delivered, or on request). */
  remove(channelId: string): Promise<boolean> {
    return this.queue.run(channelId, () => this.store.delete(sessionKey(channelId)));
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

  private async applyNow(channelId: string, input: SessionInput): Promise<ApplyOutcome> {
    const loaded = await this.load(channelId);
    if (loaded.kind !== 'ok') return { ok: false, rejection: reject('no-session') };
    const view = this.toView(loaded);
    const { record } = loaded;
    const by = partnerOf(record, input.userId);
    if (!by) return { ok: false, rejection: reject('not-partner'), view };
    if (record.recentInputs.includes(input.id)) return { ok: true, duplicate: true, view, revealed: [], by };
    if (FINISHED.has(record.status) || !loaded.snapshot) return { ok: false, rejection: reject('finished'), view };

    const event = this.eventFor(input, by, view);
    if ('code' in event) return { ok: false, rejection: event, view };

    const actor = createActor(loaded.flow.machine, { snapshot: record.snapshot as never, input: {} });
    actor.start();
    actor.send(event);
    const next = actor.getSnapshot();
    const snapshot = actor.getPersistedSnapshot();
    actor.stop();

    const updated: SessionRecord = {
      ...record,
      status: statusOf(next),
      updatedAt: this.now(),
      recentInputs: [...record.recentInputs.slice(-(RECENT_INPUTS - 1)), input.id],
      snapshot,
    };
    await this.store.set(sessionKey(channelId), updated);
    const context = next.context as FlowContext;
    const revealed = context.answers.slice(loaded.context.answers.length).filter((a) => !a.withheld);
    const nextView = this.toView({ kind: 'ok', record: updated, flow: loaded.flow, snapshot: next, context });
    return { ok: true, duplicate: false, view: nextView, revealed, by };
  }

  private eventFor(input: SessionInput, by: PartnerId, view: SessionView): FlowEvent | Rejection {
    const at = this.now();
    switch (input.action) {
      case 'answer': {
        if (view.status === 'paused') return reject('paused');
        const prompt = view.prompt;
        if (!prompt || input.step !== prompt.key) return reject('stale-step');
        if (!prompt.awaiting.includes(by)) {
          return reject(prompt.answered.includes(by) ? 'already-answered' : 'not-your-turn');
        }
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

  /** Reads and checks a stored session. A record we cannot trust is never handed to XState. */
  private async load(channelId: string): Promise<Loaded> {
    const raw = await this.store.get(sessionKey(channelId));
    if (raw === undefined) return { kind: 'none' };
    const parsed = sessionRecordSchema.safeParse(raw);
    if (!parsed.success) return { kind: 'unreadable' };
    const record = parsed.data as SessionRecord;
    const flow = this.flows.get(record.flowId);
    if (!flow) return { kind: 'unreadable' };
    return this.restore(record, flow);
  }

  private restore(record: SessionRecord, flow: FlowDefinition): Loaded & { kind: 'ok' } {
    const shape = snapshotShapeSchema.safeParse(record.snapshot);
    const context = shape.success ? (shape.data.context as FlowContext) : emptyContextOf(record.snapshot);
    if (FINISHED.has(record.status) && record.status === 'closed') return { kind: 'ok', record, flow, context };
    const compatible = record.flowVersion === flow.version || (flow.compatibleWith ?? []).includes(record.flowVersion);
    if (!shape.success || !compatible) return this.closed(record, flow, context);
    try {
      // A state that no longer exists makes XState report an error (or throw): either way we close
      // the session kindly rather than crash. The error observer keeps XState from rethrowing.
      const actor = createActor(flow.machine, { snapshot: record.snapshot as never, input: {} });
      let failed = false;
      actor.subscribe({ error: () => (failed = true) });
      actor.start();
      const restored = actor.getSnapshot();
      actor.stop();
      if (failed || restored.status === 'error') return this.closed(record, flow, context);
      return { kind: 'ok', record, flow, snapshot: restored, context };
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
    };
  }

  private toView(loaded: Loaded & { kind: 'ok' }): SessionView {
    const { record, flow, snapshot, context } = loaded;
    const view: SessionView = {
      record,
      flow,
      context,
      status: snapshot && record.status !== 'closed' ? statusOf(snapshot) : record.status,
      nameOf: (p) => record.partners[p].name,
    };
    const prompt = snapshot && record.status !== 'closed' ? resolvePrompt(snapshot, flow.machine.id) : undefined;
    if (prompt) view.prompt = prompt;
    return view;
  }
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
