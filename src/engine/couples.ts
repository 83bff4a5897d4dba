/**
 * What Mend keeps about a couple as a couple, keyed by the server and both partners (in a fixed
 * order, so either finds it): the channels their conversations ran in (to erase on request), and
 * the gate before their first conversation — that each has agreed to what Mend keeps, and each
 * has answered the private safety check. Of the check only its outcome is kept: checked, or held.
 * A hold says who raised it, because only they can lift it; it is never shown to the other.
 * Nothing anyone wrote is here.
 */
import { z } from 'zod';
import { SerialQueue } from './serial-queue.js';
import type { Store } from './store.js';
import { updateStored } from './stored-update.js';

export interface CoupleRecord {
  guildId: string;
  partnerIds: [string, string];
  /** The channel their conversations run in (the latest). */
  channelId: string;
  /** Every channel a session of theirs has run in (for erasing on request). */
  channelIds: string[];
  updatedAt: number;
  /** User id → when they agreed to what Mend keeps. */
  consent: Record<string, number>;
  /** User id → when they answered the safety check without a concern. */
  checked: Record<string, number>;
  /** Joint conversations are held: one of them raised a concern. */
  hold?: { raisedBy: string; at: number };
  /** A conversation asked for before the gate was passed: it starts once both are through. */
  waiting?: { flowId: string; starterId: string; channelId: string; at: number };
  /** When the couple was told what Mend is and is not (once, not in every conversation). */
  introducedAt?: number;
}

const schema = z.object({
  guildId: z.string(),
  partnerIds: z.tuple([z.string(), z.string()]),
  channelId: z.string(),
  channelIds: z.array(z.string()),
  updatedAt: z.number(),
  consent: z.record(z.string(), z.number()).default({}),
  checked: z.record(z.string(), z.number()).default({}),
  hold: z.object({ raisedBy: z.string(), at: z.number() }).optional(),
  waiting: z.object({ flowId: z.string(), starterId: z.string(), channelId: z.string(), at: z.number() }).optional(),
  introducedAt: z.number().optional(),
}) satisfies z.ZodType<CoupleRecord, unknown>;

export const coupleKey = (guildId: string, a: string, b: string) => {
  const [first, second] = [a, b].sort();
  return `couple:${guildId}:${first}:${second}`;
};

/**
 * What of a couple's record survives an erasure asked for by `requesterId`: nothing — except a hold
 * the other partner raised, which only they can lift (erasing must not become a way round it). It
 * keeps no words, no consent and no channels: only that joint conversations are held, and by whom.
 */
export function keptAfterErasure(record: CoupleRecord, requesterId: string): CoupleRecord | undefined {
  if (!record.hold || record.hold.raisedBy === requesterId) return undefined;
  const { guildId, partnerIds, hold, updatedAt } = record;
  return { guildId, partnerIds, channelId: '', channelIds: [], updatedAt, consent: {}, checked: {}, hold };
}

/** Reads a stored couple record (undefined when there is none or it does not parse). */
export function parseCouple(value: unknown): CoupleRecord | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Where a couple stands before a conversation can start. */
export type Gate =
  | { kind: 'open' }
  /** These partners have not agreed to what Mend keeps yet. */
  | { kind: 'consent'; missing: string[] }
  /** These partners have not answered the private safety check yet. */
  | { kind: 'check'; missing: string[] }
  /** Joint conversations are held (raised by `raisedBy`, who alone may lift it). */
  | { kind: 'held'; raisedBy: string };

export function gateOf(record: CoupleRecord | undefined, ids: [string, string]): Gate {
  if (record?.hold) return { kind: 'held', raisedBy: record.hold.raisedBy };
  const consentMissing = ids.filter((id) => record?.consent[id] === undefined);
  if (consentMissing.length > 0) return { kind: 'consent', missing: consentMissing };
  const checkMissing = ids.filter((id) => record?.checked[id] === undefined);
  if (checkMissing.length > 0) return { kind: 'check', missing: checkMissing };
  return { kind: 'open' };
}

/** The couples' records, each changed one update at a time (two partners may click at once). */
export class Couples {
  private readonly queue = new SerialQueue();

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  async find(guildId: string, a: string, b: string): Promise<CoupleRecord | undefined> {
    return parseCouple(await this.store.get(coupleKey(guildId, a, b)));
  }

  /**
   * Changes a couple's record (creating it in `channelId` when they have none), one change at a
   * time per couple; returns the record as stored. `change` returns the new record.
   */
  update(
    guildId: string,
    a: string,
    b: string,
    channelId: string,
    change: (record: CoupleRecord) => CoupleRecord,
  ): Promise<CoupleRecord> {
    const key = coupleKey(guildId, a, b);
    // The queue keeps this process's changes in order; the compare-and-set keeps other processes' too.
    return this.queue.run(key, () =>
      updateStored(this.store, key, (stored) => {
        const now = this.now();
        const [first, second] = [a, b].sort() as [string, string];
        const existing = parseCouple(stored);
        const base: CoupleRecord = existing ?? {
          guildId,
          partnerIds: [first, second],
          channelId,
          channelIds: [channelId],
          updatedAt: now,
          consent: {},
          checked: {},
        };
        const next = { ...change(base), updatedAt: now };
        return { value: next, result: next };
      }),
    );
  }

  /**
   * Remembers the channel a conversation of theirs runs in (their latest, and every one, to erase),
   * and that they have been told what Mend is; returns whether this is the first time.
   */
  async remember(guildId: string, a: string, b: string, channelId: string): Promise<{ firstTime: boolean }> {
    let firstTime = false;
    await this.update(guildId, a, b, channelId, (record) => {
      firstTime = record.introducedAt === undefined;
      return {
        ...record,
        channelId,
        channelIds: [...new Set([...record.channelIds, channelId])],
        introducedAt: record.introducedAt ?? this.now(),
      };
    });
    return { firstTime };
  }

  /** A conversation asked for before the gate was passed, to start once both are through it. */
  wait(
    guildId: string,
    starterId: string,
    partnerId: string,
    channelId: string,
    flowId: string,
  ): Promise<CoupleRecord> {
    return this.update(guildId, starterId, partnerId, channelId, (record) => ({
      ...record,
      waiting: { flowId, starterId, channelId, at: this.now() },
    }));
  }

  /**
   * When the gate is open and a conversation waits, takes it (so of two partners passing the gate
   * at once, only one starts it).
   */
  async takeWaiting(guildId: string, a: string, b: string, channelId: string): Promise<CoupleRecord['waiting']> {
    let taken: CoupleRecord['waiting'];
    await this.update(guildId, a, b, channelId, (record) => {
      // A change may run again (another process wrote first): only the last run's outcome counts.
      taken = undefined;
      if (!record.waiting || gateOf(record, record.partnerIds).kind !== 'open') return record;
      taken = record.waiting;
      const { waiting: _taken, ...rest } = record;
      return rest;
    });
    return taken;
  }

  agree(guildId: string, userId: string, partnerId: string, channelId: string): Promise<CoupleRecord> {
    return this.update(guildId, userId, partnerId, channelId, (record) => ({
      ...record,
      consent: { ...record.consent, [userId]: this.now() },
    }));
  }

  /**
   * "Not now": no agreement from this partner (any earlier one is withdrawn), and nothing waits;
   * returns the conversation that was waiting, if any.
   */
  async decline(
    guildId: string,
    userId: string,
    partnerId: string,
    channelId: string,
  ): Promise<CoupleRecord['waiting']> {
    let dropped: CoupleRecord['waiting'];
    await this.update(guildId, userId, partnerId, channelId, (record) => {
      dropped = record.waiting;
      const { [userId]: _withdrawn, ...consent } = record.consent;
      const { waiting: _dropped, ...rest } = record;
      return { ...rest, consent };
    });
    return dropped;
  }

  /**
   * The outcome of one partner's safety check: checked, or a hold they raised. The answers
   * themselves are never passed here.
   */
  checkedSafety(
    guildId: string,
    userId: string,
    partnerId: string,
    channelId: string,
    concern: boolean,
  ): Promise<CoupleRecord> {
    return this.update(guildId, userId, partnerId, channelId, (record) => {
      if (!concern) return { ...record, checked: { ...record.checked, [userId]: this.now() } };
      const { waiting: _dropped, ...rest } = record;
      return { ...rest, hold: record.hold ?? { raisedBy: userId, at: this.now() } };
    });
  }

  /** The one who raised a hold lifts it (nobody else can): their check then counts as done. */
  async liftHold(guildId: string, userId: string, partnerId: string, channelId: string): Promise<boolean> {
    let lifted = false;
    await this.update(guildId, userId, partnerId, channelId, (record) => {
      if (record.hold?.raisedBy !== userId) return record;
      lifted = true;
      const { hold: _lifted, ...rest } = record;
      return { ...rest, checked: { ...record.checked, [userId]: this.now() } };
    });
    return lifted;
  }
}
