/**
 * Time, kept in the store rather than in timers (XState does not persist `after` timers, and a
 * restart would lose them): on every tick it reads what is due — a gentle turn reminder, the end of
 * an agreed break, a session quiet for too long, a delivered summary past its retention — and
 * hands each to the surface to deliver. A reminder is recorded as sent only after it was
 * delivered, so a failed one is tried again and a sent one is never repeated, across restarts too.
 * The clock is injected, so tests move time instead of sleeping.
 */

import { dueApprovals } from './approval-deadline.js';
import type { PartnerId } from './flow-types.js';
import type { Outbox, OutboxEntry } from './outbox.js';
import type { FollowUpDue, Ledger } from './promises.js';
import { type SessionService, type SessionView, sessionKey } from './session.js';
import { FINISHED, type SessionRecord, sessionRecordSchema } from './session-record.js';
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
}

export class Timekeeper {
  /** Retention deleted something whose scrub has not succeeded yet (the rows are gone, so no later pass would ask again). */
  private scrubOwed = false;

  constructor(private readonly options: TimekeeperOptions) {}

  /**
   * One pass over every session and queued summary. `deliver` sends a notice; if it throws, the
   * notice stays due and is tried on the next tick.
   */
  async tick(deliver: (notice: Notice) => Promise<void>): Promise<void> {
    const { store, sessions, now } = this.options;
    for (const key of await collectKeys(store, 'session:')) {
      const parsed = sessionRecordSchema.safeParse(await store.get(key));
      if (!parsed.success) continue;
      const record = parsed.data as SessionRecord;
      if (FINISHED.has(record.status)) continue;
      const idleMs = now() - record.updatedAt;

      // A check-in nobody answers is reminded once and then left open, never closed or nagged.
      const closesWhenQuiet = sessions.flowOf(record.flowId)?.closesWhenQuiet ?? true;
      if (closesWhenQuiet && idleMs >= this.options.expiryMs) {
        const view = await sessions.expire(record.channelId);
        if (view) await deliver({ kind: 'expired', view });
        continue;
      }
      const view = await sessions.view(record.channelId);
      if (!view || view.record.id !== record.id) continue;

      const until = view.context.pause?.until;
      if (view.status === 'paused' && until !== undefined && now() >= until && record.notices?.pauseReturn !== until) {
        await deliver({ kind: 'break-over', view });
        await sessions.noteReminder(record.channelId, record.id, { pauseReturn: until });
        continue;
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
        await sessions.noteReminder(record.channelId, record.id, { turn: prompt.key });
      }
    }
    await this.followUpsDue(deliver);
    await this.approvalsDue(deliver);
    await this.purgeDelivered();
  }

  /**
   * Summaries whose look-over window has passed. Each is closed first (one store write, so it is
   * announced once across restarts); if the notice then fails, the summary is no longer held back
   * and the poster's retries deliver it, carrying in itself that it was posted as it stood.
   */
  private async approvalsDue(deliver: (notice: Notice) => Promise<void>): Promise<void> {
    const { sessions, outbox, now } = this.options;
    for (const due of dueApprovals(await outbox.all(), now())) {
      const closed = await sessions.approvals.closeWindow(due.sessionId);
      if (closed) await deliver({ kind: 'record-as-it-stands', entry: closed }).catch(() => undefined);
    }
  }

  /**
   * Every follow-up whose time has come and whose first prompt is not posted yet. One that cannot
   * go out now (the channel is busy with another conversation, Discord is down) stays due and is
   * tried at the next tick, without holding up the others.
   */
  private async followUpsDue(deliver: (notice: Notice) => Promise<void>): Promise<void> {
    const { sessions, now } = this.options;
    for (const ledger of await sessions.ledger.all()) {
      for (const due of ledger.due) {
        if (due.announcedAt !== undefined || now() < due.dueAt) continue;
        try {
          await deliver({ kind: 'follow-up', ledger, due });
        } catch {
          continue;
        }
        const [a, b] = ledger.partnerIds;
        await sessions.ledger.markAnnounced(ledger.guildId, a, b, due.id);
      }
    }
  }

  /** Deletes what a delivered summary no longer needs, once its retention has passed. */
  async purgeDelivered(): Promise<void> {
    const { store, sessions, outbox, now } = this.options;
    for (const entry of await outbox.all()) {
      if (entry.deliveredAt === undefined || now() - entry.deliveredAt < this.options.retentionMs) continue;
      const current = sessionRecordSchema.safeParse(await store.get(sessionKey(entry.channelId)));
      if (current.success && current.data.id === entry.sessionId)
        await sessions.remove(entry.channelId, entry.sessionId);
      await outbox.remove(entry.sessionId);
      this.scrubOwed = true;
    }
    // Promises settled or let go are kept for the same retention, then leave the ledger.
    if ((await sessions.ledger.purge(this.options.retentionMs)) > 0) this.scrubOwed = true;
    // What retention deleted is gone from the files too, not only from the rows; a scrub that
    // failed (another connection held SQLite's log) is tried again at the next tick.
    if (this.scrubOwed) {
      await store.scrub();
      this.scrubOwed = false;
    }
  }
}

/** Keys first, then reads: never hold a store iterator open while writing. */
async function collectKeys(store: Store, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.keys()) if (key.startsWith(prefix)) keys.push(key);
  return keys;
}
