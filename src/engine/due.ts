/**
 * The due-index: every deadline Mend keeps (a turn reminder, a break's end, a quiet session's expiry,
 * a summary retry, a delivered summary's retention, a follow-up check-in, a promise's purge) as one
 * entry `(kind, id) → when`, kept by the store itself — SQLite and PostgreSQL in an indexed table,
 * Redis in a sorted set — so a sweep reads only what is due, never every key.
 *
 * An entry says "look at this subject no later than then": whoever claims it reads the subject, does
 * what is due, and says when to look next. So writers only ever *lower* an entry's time (a later
 * wake-up is never lost; an early one costs one look), and the handler, which knows the settings,
 * sets the real next time when it completes its claim.
 *
 * A claim is a lease: the store hands each due entry to one claimer (an atomic UPDATE … RETURNING,
 * `FOR UPDATE SKIP LOCKED`, or a Lua script), which holds it until it completes or the lease ends. A
 * claimer that crashed, or hangs past its lease, loses the entry to the next sweep: its late
 * completion is refused by the token, so only one outcome is kept. Writes during a lease lower the
 * entry's time as usual; the completion keeps the sooner of the two.
 *
 * A new kind of deadline is one line in DEADLINE_KINDS, plus the handler that reads its subject.
 */

/** Every kind of deadline. Each has its own entries and its own sweep. */
export const DEADLINE_KINDS = [
  /** A session (id: channel id): its turn reminder, the end of its break, its expiry. */
  'session',
  /** A finished session's summary (id: `summaryDueId`): handed to the sweeper if not delivered, retried. */
  'summary',
  /** A delivered summary (id: session id): its session and summary are deleted after retention. */
  'retention',
  /** A couple's ledger (id: the ledger key): a follow-up coming due, a settled promise's purge. */
  'ledger',
  /** A summary waiting for the couple to look it over (id: session id): its window's end. */
  'approval',
] as const;

export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** "Look at this subject no later than `at`" (epoch ms). */
export interface Wake {
  kind: DeadlineKind;
  id: string;
  at: number;
}

/** An entry handed to one claimer until it completes or `leaseUntil` passes. */
export interface Claim {
  kind: DeadlineKind;
  id: string;
  token: string;
}

export interface DueIndex {
  /** Lowers each entry's time to `at` (adds it when absent); never makes one later. */
  schedule(wakes: readonly Wake[]): Promise<void>;
  /**
   * Takes up to `limit` entries of `kind` due at `now` (or whose lease has run out), leasing them
   * until `now + leaseMs`. Each entry is handed to one claimer only.
   */
  claim(kind: DeadlineKind, now: number, leaseMs: number, limit: number): Promise<Claim[]>;
  /**
   * Ends a claim: the entry is next due at `next` (or at the sooner time a write set meanwhile), or
   * removed when `next` is undefined and nothing was written meanwhile. False when the lease was lost
   * (it ran out and another claimer took the entry): nothing is changed.
   */
  complete(claim: Claim, next: number | undefined): Promise<boolean>;
  /** Removes entries, leased or not (an erasure: their subjects are gone, and their ids name the couple). */
  cancel(entries: readonly { kind: DeadlineKind; id: string }[]): Promise<void>;
  /** Entries of a kind and their times (tests and maintenance; not for the hot path). */
  entries(kind: DeadlineKind): Promise<{ id: string; at: number }[]>;
}

/** The time a claimed entry holds while leased: never due by itself, only by a write or the lease's end. */
export const LEASED = 8_640_000_000_000_000;

/** How long a claimer holds an entry: far longer than handling one takes, short enough to take over soon. */
export const DEFAULT_LEASE_MS = 60_000;

export interface SweepOptions {
  now: () => number;
  leaseMs?: number;
  /** Entries taken per claim. */
  batch?: number;
}

/**
 * Claims and handles every due entry of one kind. `handle` does what is due for the subject and
 * returns when to look next (undefined: nothing more is due). If it throws, the entry is released
 * as due now (tried again at the next sweep) and the error is rethrown after the batch.
 */
export async function sweepDue(
  due: DueIndex,
  kind: DeadlineKind,
  options: SweepOptions,
  handle: (id: string) => Promise<number | undefined>,
): Promise<void> {
  const batch = options.batch ?? 100;
  const seen = new Set<string>();
  let failure: unknown;
  // Bounded: an entry handed back as due now is not taken again in the same sweep.
  for (let round = 0; round < 1_000; round++) {
    const claims = await due.claim(kind, options.now(), options.leaseMs ?? DEFAULT_LEASE_MS, batch);
    let fresh = 0;
    for (const claim of claims) {
      if (seen.has(claim.id)) {
        await due.complete(claim, options.now());
        continue;
      }
      seen.add(claim.id);
      fresh++;
      let next: number | undefined;
      try {
        next = await handle(claim.id);
      } catch (error) {
        failure ??= error;
        next = options.now();
      }
      await due.complete(claim, next);
    }
    if (claims.length < batch || fresh === 0 || failure !== undefined) break;
  }
  if (failure !== undefined) throw failure;
}
