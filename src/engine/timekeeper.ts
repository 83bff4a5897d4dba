/**
 * Time, kept in the store rather than in timers (XState does not persist `after` timers, and a
 * restart would lose them): on every tick it reads what is due — a gentle turn reminder, the end of
 * an agreed break, a session quiet for too long, a delivered summary past its retention — and
 * hands each to the surface to deliver. A reminder is recorded as sent only after it was
 * delivered, so a failed one is tried again and a sent one is never repeated, across restarts too.
 * The clock is injected, so tests move time instead of sleeping.
 *
 * Nothing here scans the store: each deadline is an entry in the due-index (due.ts), claimed with
 * a lease, so with several processes each one fires once, and one whose claimer died is taken over
 * when the lease ends. A claimed entry's subject is read afresh and checked exactly as before (is the
 * reminder still owed? the break really over?), and the next deadline is set from what it finds.
 */
import { approvalDeadline } from './approval-deadline.js';
import { type DeadlineKind, sweepDue } from './due.js';
import type { PartnerId } from './flow-types.js';
import type { Outbox, OutboxEntry } from './outbox.js';
import { type FollowUpDue, type Ledger, ledgerWakeAt } from './promises.js';
import type { SessionService, SessionView } from './session.js';
import { FINISHED } from './session-record.js';
import type { Store } from './store.js';

export type Notice =
  /** The partner(s) whose turn it is have been quiet: one gentle reminder. */
  | { kind: 'turn-reminder'; view: SessionView; to: PartnerId[] }
  /** The agreed break is over: remind both. */
  | { kind: 'break-over'; view: SessionView }
  /** Quiet for too long: the session was closed; its summary is queued. */
  | { kind: 'expired'; view: SessionView }
  /**
   * A time the couple chose has come: a check-in on their promises, or the next conversation of a
   * flow. The surface starts it (its id is the follow-up's, so a retried start finds it) and posts
   * its first prompt; only then is it recorded as announced.
   */
  | { kind: 'follow-up'; ledger: Ledger; due: FollowUpDue }
  /**
   * The time to look over a summary (SUMMARY_APPROVAL_HOURS) has passed without both answering: it
   * is no longer held back. The surface says so and posts it as it stands, with the notes given.
   */
  | { kind: 'record-as-it-stands'; entry: OutboxEntry };

export interface TimekeeperOptions {
  store: Store;
  sessions: SessionService;
  outbox: Outbox;
  now: () => number;
  /** 0 turns turn reminders off. */
  reminderMs: number;
  expiryMs: number;
  /** How long a delivered summary's session stays stored (0: deleted at once). */
  retentionMs: number;
  /** How long a claimed deadline is held before another process may take it over. */
  leaseMs?: number;
}

export class Timekeeper {
  /** Retention deleted something whose scrub has not succeeded yet (the rows are gone, so no later pass would ask again). */
  private scrubOwed = false;

  constructor(private readonly options: TimekeeperOptions) {
    // Every session write puts the session's next deadline, by these settings, in the due-index.
    options.sessions.useDeadlines((view) => this.sessionWakeAt(view));
  }

  /**
   * Every deadline that has come. `deliver` sends a notice; if it throws, the notice stays due and
   * is tried on the next tick (the error is rethrown once the rest are done).
   */
  async tick(deliver: (notice: Notice) => Promise<void>): Promise<void> {
    await this.sweep('session', (channelId) => this.sessionDue(channelId, deliver));
    await this.sweep('ledger', (key) => this.ledgerDue(key, deliver));
    await this.sweep('approval', (sessionId) => this.approvalDue(sessionId, deliver));
    await this.purgeDelivered();
  }

  /**
   * A summary's look-over window has passed without both partners answering. It is closed first
   * (one compare-and-set write, so it is announced once across processes and restarts); if the
   * notice then fails, the summary is no longer held back and the poster's retries deliver it,
   * carrying in itself that it was posted as it stood.
   */
  private async approvalDue(sessionId: string, deliver: (notice: Notice) => Promise<void>) {
    const { sessions, outbox, now } = this.options;
    const entry = await outbox.get(sessionId);
    const deadline = entry && approvalDeadline(entry);
    if (deadline === undefined) return undefined;
    if (deadline > now()) return deadline;
    const closed = await sessions.approvals.closeWindow(sessionId);
    if (closed) await deliver({ kind: 'record-as-it-stands', entry: closed }).catch(() => undefined);
    return undefined;
  }

  /** When a session next needs a look by these settings: its reminder, its break's end, its expiry. */
  sessionWakeAt(view: SessionView): number | undefined {
    const { record } = view;
    if (FINISHED.has(view.status) || FINISHED.has(record.status)) return undefined;
    const times: number[] = [];
    // A check-in nobody answers is reminded once and then left open, never closed or nagged.
    if (view.flow.closesWhenQuiet ?? true) times.push(record.updatedAt + this.options.expiryMs);
    const until = view.context.pause?.until;
    if (view.status === 'paused' && until !== undefined && record.notices?.pauseReturn !== until) times.push(until);
    const prompt = view.prompt;
    if (view.status === 'active' && this.options.reminderMs > 0 && prompt && record.notices?.turn !== prompt.key) {
      times.push(record.updatedAt + this.options.reminderMs);
    }
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  private sweep(kind: DeadlineKind, handle: (id: string) => Promise<number | undefined>): Promise<void> {
    const { store, now, leaseMs } = this.options;
    return sweepDue(store.due, kind, leaseMs === undefined ? { now } : { now, leaseMs }, handle);
  }

  /** One session's deadline has come: what is due for it now, and when it is next due. */
  private async sessionDue(channelId: string, deliver: (notice: Notice) => Promise<void>) {
    const { sessions, now } = this.options;
    const view = await sessions.view(channelId);
    if (!view || FINISHED.has(view.status)) return undefined;
    const { record } = view;
    const idleMs = now() - record.updatedAt;

    if ((view.flow.closesWhenQuiet ?? true) && idleMs >= this.options.expiryMs) {
      const expired = await sessions.expire(channelId);
      if (expired) await deliver({ kind: 'expired', view: expired });
      return undefined;
    }
    const until = view.context.pause?.until;
    if (view.status === 'paused' && until !== undefined && now() >= until && record.notices?.pauseReturn !== until) {
      await deliver({ kind: 'break-over', view });
      await sessions.noteReminder(channelId, record.id, { pauseReturn: until });
      return this.sessionWakeAt({ ...view, record: { ...record, notices: { ...record.notices, pauseReturn: until } } });
    }
    const prompt = view.prompt;
    if (
      view.status === 'active' &&
      this.options.reminderMs > 0 &&
      prompt &&
      idleMs >= this.options.reminderMs &&
      record.notices?.turn !== prompt.key
    ) {
      await deliver({ kind: 'turn-reminder', view, to: prompt.awaiting });
      await sessions.noteReminder(channelId, record.id, { turn: prompt.key });
      return this.sessionWakeAt({ ...view, record: { ...record, notices: { ...record.notices, turn: prompt.key } } });
    }
    return this.sessionWakeAt(view);
  }

  /**
   * A ledger's deadline has come: every follow-up whose time has come and whose first prompt is not
   * posted yet, and the purge of promises settled longer than the retention ago. A follow-up that
   * cannot go out now (the channel is busy with another conversation, Discord is down) stays due and
   * is tried at the next tick, without holding up the others.
   */
  private async ledgerDue(key: string, deliver: (notice: Notice) => Promise<void>) {
    const { sessions, now, retentionMs } = this.options;
    let ledger = await sessions.ledger.atKey(key);
    if (!ledger) return undefined;
    let owed = false;
    for (const due of ledger.due) {
      if (due.announcedAt !== undefined || now() < due.dueAt) continue;
      try {
        await deliver({ kind: 'follow-up', ledger, due });
      } catch {
        owed = true;
        continue;
      }
      const [a, b] = ledger.partnerIds;
      ledger = await sessions.ledger.markAnnounced(ledger.guildId, a, b, due.id);
    }
    // Promises settled or let go are kept for the same retention as sessions, then leave the ledger.
    if ((await sessions.ledger.purge(ledger, retentionMs)) > 0) {
      this.scrubOwed = true;
      ledger = await sessions.ledger.atKey(key);
    }
    if (owed) return now();
    return ledger ? ledgerWakeAt(ledger, retentionMs) : undefined;
  }

  /** Deletes what a delivered summary no longer needs, once its retention has passed. */
  async purgeDelivered(): Promise<void> {
    const { store, sessions, outbox, now, retentionMs } = this.options;
    await this.sweep('retention', async (sessionId) => {
      const entry = await outbox.get(sessionId);
      if (entry?.deliveredAt === undefined) return undefined;
      if (now() - entry.deliveredAt < retentionMs) return entry.deliveredAt + retentionMs;
      await sessions.remove(entry.channelId, entry.sessionId);
      await outbox.remove(entry.sessionId);
      this.scrubOwed = true;
      return undefined;
    });
    // What retention deleted is gone from the files too, not only from the rows; a scrub that
    // failed (another connection held SQLite's log) is tried again at the next tick.
    if (this.scrubOwed) {
      await store.scrub();
      this.scrubOwed = false;
    }
  }
}
