/**
 * Follow-through in time, with a fake clock, each "process" a new store connection on the same SQLite file:
 * a check-in fires once, at the agreed time, across a restart (and after a crash between its start and its
 * first prompt); "check in again" schedules the next one; an unanswered check-in is reminded once and left
 * open; promises settled or let go leave the ledger after the retention. And a flow that comes back for
 * itself (gratitude, `followUp: { kind: 'again' }`): the next conversation of that flow starts, once, at the
 * time they chose, and schedules the one after.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FlowRegistry, loadFlows } from '../../src/engine/flow-registry.js';
import { startFollowUpSession } from '../../src/engine/follow-up-session.js';
import { followUpIdOf, type Ledger } from '../../src/engine/promises.js';
import { SessionService } from '../../src/engine/session.js';
import type { Store } from '../../src/engine/store.js';
import { type Notice, Timekeeper } from '../../src/engine/timekeeper.js';
import { flowNamed } from '../support/flows.js';
import { alex, answer, completionScript, sam } from '../support/play.js';
import { sqliteCase } from '../support/stores.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const GUILD = 'guild-1';
const CHANNEL = 'couple-channel';

let flows: FlowRegistry;
let storeCase: ReturnType<typeof sqliteCase>;
let t: number;
const now = () => t;
let open: { store: Store }[] = [];

/** A "process": a store connection, a session service and a timekeeper, all new. */
async function boot(retentionHours = 24) {
  const store = await storeCase.open();
  const sessions = new SessionService({ store, flows, now });
  const keeper = new Timekeeper({
    store,
    sessions,
    outbox: sessions.outbox,
    now,
    reminderMs: 12 * HOUR,
    expiryMs: 14 * DAY,
    retentionMs: retentionHours * HOUR,
  });
  const booted = { store, sessions, keeper };
  open.push(booted);
  return booted;
}

async function halt(booted: { store: Store }) {
  await booted.store.close();
  open = open.filter((b) => b !== booted);
}

type Booted = Awaited<ReturnType<typeof boot>>;

/**
 * One tick, delivering as the surface does: a follow-up is started as its session (the prompt would be
 * posted then); `fail` makes the delivery fail after the start, as a crash before the prompt went out would.
 */
async function tick({ sessions, keeper }: Booted, fail = false): Promise<Notice[]> {
  const notices: Notice[] = [];
  await keeper.tick(async (notice) => {
    notices.push(notice);
    if (notice.kind !== 'follow-up') return;
    const started = await startFollowUpSession(sessions, notice.ledger, notice.due, {
      starter: 'Alex',
      partner: 'Sam',
    });
    if (!started.ok || fail) throw new Error('not delivered');
  });
  return notices;
}

/** Admitting a mistake played to its end in `booted`, both choosing `when`. */
async function admitted({ sessions }: Booted, when: string): Promise<void> {
  await sessions.start({ channelId: CHANNEL, guildId: GUILD, flowId: 'admit-mistake', starter: alex, partner: sam });
  for (const event of completionScript(flowNamed('admit-mistake'))) {
    const value = event.step === 'followUp' ? { choice: when } : event.value;
    const outcome = await answer(sessions, CHANNEL, { ...event, value });
    expect(outcome.ok, `${event.by} at ${event.step}`).toBe(true);
  }
}

/** Gratitude played to its end in `booted`, both choosing `when` for the next one. */
async function grateful({ sessions }: Booted, when: string, start = true): Promise<void> {
  if (start) {
    await sessions.start({ channelId: CHANNEL, guildId: GUILD, flowId: 'gratitude', starter: alex, partner: sam });
  }
  for (const event of completionScript(flowNamed('gratitude'))) {
    const value = event.step === 'followUp' ? { choice: when } : event.value;
    const outcome = await answer(sessions, CHANNEL, { ...event, value });
    expect(outcome.ok, `${event.by} at ${event.step}`).toBe(true);
  }
}

const ledgerOf = (booted: Booted): Promise<Ledger | undefined> => booted.sessions.ledger.find(GUILD, alex.id, sam.id);

/** Both answer the check-in that is open: how it went, then what now (and when, if again). */
async function bothAnswerCheckIn({ sessions }: Booted, next: 'again' | 'settled' | 'letGo', when?: string) {
  const steps: [string, string][] = [
    ['howItWent', 'partly'],
    ['next', next],
    ...(next === 'again' && when ? ([['followUp', when]] as [string, string][]) : []),
  ];
  for (const [step, choice] of steps) {
    for (const by of ['a', 'b'] as const) {
      const outcome = await answer(sessions, CHANNEL, { type: 'ANSWER', by, step, value: { choice } });
      expect(outcome.ok, `${by} at ${step}`).toBe(true);
    }
  }
}

const followUps = (notices: Notice[]) => notices.filter((n) => n.kind === 'follow-up');

beforeEach(async () => {
  flows = await loadFlows();
  storeCase = sqliteCase();
  t = Date.UTC(2026, 5, 1, 9);
});

afterEach(async () => {
  for (const booted of open) await booted.store.close();
  open = [];
  await storeCase.cleanup?.();
});

describe('a check-in on a promise', () => {
  it('fires once, at the agreed time, across a restart', async () => {
    const first = await boot();
    await admitted(first, '1w');
    expect((await ledgerOf(first))?.due).toHaveLength(1);
    t += 7 * DAY - HOUR;
    expect(followUps(await tick(first))).toEqual([]);
    await halt(first);

    const second = await boot();
    t += HOUR;
    expect(followUps(await tick(second))).toHaveLength(1);
    expect((await second.sessions.view(CHANNEL))?.flow.id).toBe('check-in');
    await halt(second);

    const third = await boot();
    t += DAY;
    expect(followUps(await tick(third))).toEqual([]);
    expect((await ledgerOf(third))?.due[0]?.announcedAt).toBeDefined();
  });

  it('a start that crashed before its prompt went out is finished by the next process, without a second session', async () => {
    const first = await boot();
    await admitted(first, '3d');
    t += 3 * DAY;
    expect(followUps(await tick(first, true))).toHaveLength(1);
    const started = await first.sessions.view(CHANNEL);
    expect(started?.flow.id).toBe('check-in');
    await halt(first);

    const second = await boot();
    expect(followUps(await tick(second))).toHaveLength(1);
    // The same session, not a second one.
    expect((await second.sessions.view(CHANNEL))?.record.id).toBe(started?.record.id);
    expect(followUps(await tick(second))).toEqual([]);
  });

  it('“check in again” schedules the next one at the time they chose, and only then', async () => {
    const booted = await boot();
    await admitted(booted, '1w');
    t += 7 * DAY;
    await tick(booted);
    await bothAnswerCheckIn(booted, 'again', '2w');
    const ledger = await ledgerOf(booted);
    expect(ledger?.promises[0]?.status).toBe('open');
    expect(ledger?.promises[0]?.checkIns).toHaveLength(1);
    expect(ledger?.due.map((d) => d.dueAt)).toEqual([t + 14 * DAY]);

    t += 14 * DAY - HOUR;
    expect(followUps(await tick(booted))).toEqual([]);
    t += HOUR;
    expect(followUps(await tick(booted))).toHaveLength(1);
  });

  it('settled by both, it is due no more; past the retention, it leaves the ledger', async () => {
    const booted = await boot(24);
    await admitted(booted, '1w');
    t += 7 * DAY;
    await tick(booted);
    await bothAnswerCheckIn(booted, 'settled');
    const ledger = await ledgerOf(booted);
    expect(ledger?.promises[0]?.status).toBe('settled');
    expect(ledger?.due).toEqual([]);
    t += 23 * HOUR;
    await tick(booted);
    expect((await ledgerOf(booted))?.promises).toHaveLength(1);
    t += 2 * HOUR;
    await tick(booted);
    expect(await ledgerOf(booted)).toBeUndefined();
  });

  it('unanswered, it is reminded once, then left open: never closed, never reminded again', async () => {
    const booted = await boot();
    await admitted(booted, '3d');
    t += 3 * DAY;
    await tick(booted);
    const reminders = [];
    for (let i = 0; i < 30; i++) {
      t += DAY;
      reminders.push(...(await tick(booted)).filter((n) => n.kind === 'turn-reminder'));
      expect((await tick(booted)).filter((n) => n.kind === 'expired')).toEqual([]);
    }
    expect(reminders).toHaveLength(1);
    expect((await booted.sessions.view(CHANNEL))?.status).toBe('active');
  });

  it('waits while another conversation is open in their channel, then comes', async () => {
    const booted = await boot();
    await admitted(booted, '3d');
    await booted.sessions.start({
      channelId: CHANNEL,
      guildId: GUILD,
      flowId: 'ground-rules',
      starter: alex,
      partner: sam,
    });
    t += 3 * DAY;
    expect(followUps(await tick(booted))).toHaveLength(1);
    expect((await booted.sessions.view(CHANNEL))?.flow.id).toBe('ground-rules');
    expect((await ledgerOf(booted))?.due[0]?.announcedAt).toBeUndefined();
    await booted.sessions.apply(CHANNEL, { id: 'end', userId: alex.id, action: 'end' });
    expect(followUps(await tick(booted))).toHaveLength(1);
    expect((await booted.sessions.view(CHANNEL))?.flow.id).toBe('check-in');
  });
});

describe('the next conversation of a flow that comes back for itself (gratitude)', () => {
  it('starts as a new gratitude, once, at the time they chose, across a restart', async () => {
    const first = await boot();
    await grateful(first, '2w');
    const finished = await first.sessions.view(CHANNEL);
    const [due] = (await ledgerOf(first))?.due ?? [];
    expect(due).toMatchObject({ kind: 'again', flowId: 'gratitude', promiseIds: [], dueAt: t + 14 * DAY });
    expect((await ledgerOf(first))?.promises).toEqual([]);
    t += 14 * DAY - HOUR;
    expect(followUps(await tick(first))).toEqual([]);
    await halt(first);

    const second = await boot();
    t += HOUR;
    expect(followUps(await tick(second))).toHaveLength(1);
    const started = await second.sessions.view(CHANNEL);
    expect(started?.flow.id).toBe('gratitude');
    expect(started?.record.id).toBe(due?.id);
    expect(started?.record.id).not.toBe(finished?.record.id);
    expect(started?.status).toBe('active');
    // A fresh conversation: nothing carried over, and its first question asks them both.
    expect(started?.context.answers).toEqual([]);
    expect(started?.prompt).toMatchObject({ step: 'appreciations', awaiting: ['a', 'b'] });
    expect(started?.context.subject).toBeUndefined();
    await halt(second);

    const third = await boot();
    t += DAY;
    expect(followUps(await tick(third))).toEqual([]);
    expect((await ledgerOf(third))?.due[0]?.announcedAt).toBeDefined();
    expect((await third.sessions.view(CHANNEL))?.record.id).toBe(started?.record.id);
  });

  it('the one it started, finished, schedules the one after; ended early or “not for now”, nothing more', async () => {
    const booted = await boot();
    await grateful(booted, '1w');
    t += 7 * DAY;
    await tick(booted);
    const second = await booted.sessions.view(CHANNEL);
    expect(second?.flow.id).toBe('gratitude');
    await grateful(booted, '1m', false);
    const after = (await ledgerOf(booted))?.due ?? [];
    // The one that came is due no more; the next is, a month on, as a gratitude again.
    expect(after.map((d) => [d.kind, d.flowId, d.dueAt])).toEqual([['again', 'gratitude', t + 30 * DAY]]);
    expect(after[0]?.id).toBe(followUpIdOf(second?.record.id ?? ''));

    t += 30 * DAY;
    expect(followUps(await tick(booted))).toHaveLength(1);
    const third = await booted.sessions.view(CHANNEL);
    expect(third?.flow.id).toBe('gratitude');
    expect(third?.record.id).toBe(after[0]?.id);
    // Ended before its end, it leaves nothing due: the couple start the next one themselves, if they like.
    await booted.sessions.apply(CHANNEL, { id: 'end-3', userId: sam.id, action: 'end' });
    expect(await ledgerOf(booted)).toBeUndefined();
    t += 60 * DAY;
    expect(followUps(await tick(booted))).toEqual([]);
  });

  it('one they start themselves in between replaces the time chosen before with the one they choose now', async () => {
    const booted = await boot();
    await grateful(booted, '1m');
    t += 7 * DAY;
    await grateful(booted, '3d');
    expect((await ledgerOf(booted))?.due.map((d) => [d.flowId, d.dueAt])).toEqual([['gratitude', t + 3 * DAY]]);
    t += 3 * DAY;
    expect(followUps(await tick(booted))).toHaveLength(1);
    await booted.sessions.apply(CHANNEL, { id: 'end-between', userId: alex.id, action: 'end' });
    // The month first chosen has not come back on its own.
    t += 30 * DAY;
    expect(followUps(await tick(booted))).toEqual([]);

    // "Not for now", said later, stands too: nothing is left due.
    await grateful(booted, '2w');
    t += DAY;
    await grateful(booted, 'none');
    expect(await ledgerOf(booted)).toBeUndefined();
  });

  it('“not for now” from both schedules nothing', async () => {
    const booted = await boot();
    await grateful(booted, 'none');
    expect(await ledgerOf(booted)).toBeUndefined();
    t += 60 * DAY;
    expect(followUps(await tick(booted))).toEqual([]);
  });

  it('a chain of them keeps its ids short, however long it runs', () => {
    let id = 'a6f1c1e2-0000-4000-8000-000000000000';
    const seen = new Set([id]);
    for (let round = 0; round < 200; round++) {
      id = followUpIdOf(id);
      expect(seen.has(id)).toBe(false);
      seen.add(id);
    }
    expect(id.length).toBeLessThan(60);
    expect(followUpIdOf('s1')).toBe(followUpIdOf('s1'));
  });
});
