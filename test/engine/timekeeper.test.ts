/**
 * Time with a fake clock: a turn reminder is sent once, a break's return reminder fires at the
 * agreed time, a quiet session expires (with its summary queued), and a delivered summary's
 * session is deleted after retention — each also across a restart (new store connection, new
 * services, same SQLite file) in between.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FlowRegistry, loadFlows } from '../../src/engine/flow-registry.js';
import { Outbox } from '../../src/engine/outbox.js';
import { SessionService, sessionKey } from '../../src/engine/session.js';
import type { Store } from '../../src/engine/store.js';
import { awaitingApproval } from '../../src/engine/summary-approval.js';
import { type Notice, Timekeeper } from '../../src/engine/timekeeper.js';
import { flowNamed } from '../support/flows.js';
import { alex, answer, completionScript, inputId, sam } from '../support/play.js';
import { sqliteCase } from '../support/stores.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let flows: FlowRegistry;
let storeCase: ReturnType<typeof sqliteCase>;
let t: number;
const now = () => t;
let open: { store: Store; sessions: SessionService; keeper: Timekeeper }[] = [];

/** A "process": a store connection, a session service and a timekeeper, all new. */
async function boot(
  settings: { retentionHours?: number; approvalHours?: number; store?: (store: Store) => Store } = {},
) {
  const opened = await storeCase.open();
  const store = settings.store ? settings.store(opened) : opened;
  const sessions = new SessionService({ store, flows, now, summaryApprovalMs: (settings.approvalHours ?? 0) * HOUR });
  const keeper = new Timekeeper({
    store,
    sessions,
    outbox: sessions.outbox,
    now,
    reminderMs: 12 * HOUR,
    expiryMs: 14 * DAY,
    retentionMs: (settings.retentionHours ?? 24) * HOUR,
  });
  const booted = { store, sessions, keeper };
  open.push(booted);
  return booted;
}

/** Stops a "process" (the restart in between). */
async function halt(booted: { store: Store }) {
  await booted.store.close();
  open = open.filter((b) => b !== booted);
}

async function tick(keeper: Timekeeper): Promise<Notice[]> {
  const notices: Notice[] = [];
  await keeper.tick(async (notice) => {
    notices.push(notice);
  });
  return notices;
}

beforeEach(async () => {
  flows = await loadFlows();
  storeCase = sqliteCase();
  t = Date.UTC(2026, 10, 27, 9, 0, 0);
});
afterEach(async () => {
  for (const b of open) await b.store.close();
  open = [];
  await storeCase.cleanup();
});

const channel = 'couple-channel';

describe('turn reminders', () => {
  it('reminds whoever’s turn it is once, after REMINDER_HOURS, even across a restart', async () => {
    let p = await boot();
    await p.sessions.start({ channelId: channel, flowId: 'admit-mistake', starter: alex, partner: sam });
    t += 11 * HOUR;
    expect(await tick(p.keeper)).toEqual([]);
    t += 2 * HOUR;
    const first = await tick(p.keeper);
    expect(first.map((n) => n.kind)).toEqual(['turn-reminder']);
    expect(first[0]?.kind === 'turn-reminder' && first[0].to).toEqual(['a']);

    await halt(p);
    p = await boot();
    t += 12 * HOUR;
    expect(await tick(p.keeper)).toEqual([]);

    // A new prompt may be reminded of once, in its turn.
    const [roles] = completionScript(flowNamed('admit-mistake'));
    if (!roles) throw new Error('empty script');
    expect((await answer(p.sessions, channel, roles)).ok).toBe(true);
    t += 13 * HOUR;
    const second = await tick(p.keeper);
    expect(second.map((n) => n.kind)).toEqual(['turn-reminder']);
    expect(await tick(p.keeper)).toEqual([]);
  });

  it('a reminder that could not be delivered stays due', async () => {
    const p = await boot();
    await p.sessions.start({ channelId: channel, flowId: 'ground-rules', starter: alex, partner: sam });
    t += 13 * HOUR;
    await expect(
      p.keeper.tick(async () => {
        throw new Error('Discord is down');
      }),
    ).rejects.toThrow('Discord is down');
    expect((await tick(p.keeper)).map((n) => n.kind)).toEqual(['turn-reminder']);
  });
});

describe('breaks', () => {
  it('reminds both at the agreed return time, once, across a restart', async () => {
    let p = await boot();
    await p.sessions.start({ channelId: channel, flowId: 'needs-discovery', starter: alex, partner: sam });
    const until = t + 45 * 60_000;
    const paused = await p.sessions.apply(channel, { id: inputId(), userId: sam.id, action: 'pause', until });
    expect(paused.ok && paused.view.status).toBe('paused');
    t += 30 * 60_000;
    expect(await tick(p.keeper)).toEqual([]);

    await halt(p);
    p = await boot();
    t = until;
    const due = await tick(p.keeper);
    expect(due.map((n) => n.kind)).toEqual(['break-over']);
    t += HOUR;
    expect(await tick(p.keeper)).toEqual([]);
  });
});

describe('expiry', () => {
  it('closes a session quiet for SESSION_EXPIRY_DAYS, queues its summary, and says so once', async () => {
    let p = await boot();
    await p.sessions.start({ channelId: channel, flowId: 'tolerance-questions', starter: alex, partner: sam });
    t += 13 * DAY;
    expect((await tick(p.keeper)).map((n) => n.kind)).toEqual(['turn-reminder']);

    await halt(p);
    p = await boot();
    t += 1 * DAY + 1;
    const due = await tick(p.keeper);
    expect(due.map((n) => n.kind)).toEqual(['expired']);
    const view = await p.sessions.view(channel);
    expect(view?.status).toBe('ended');
    expect(view?.context.end?.reason).toBe('expired');
    const queued = await p.sessions.outbox.get(view?.record.id ?? '');
    expect(queued?.summary.outcome).toMatch(/quiet/);
    expect(await tick(p.keeper)).toEqual([]);
  });
});

describe('retention', () => {
  async function deliveredSession(p: Awaited<ReturnType<typeof boot>>) {
    await p.sessions.start({ channelId: channel, flowId: 'ground-rules', starter: alex, partner: sam });
    const ended = await p.sessions.apply(channel, { id: inputId(), userId: alex.id, action: 'end' });
    if (!ended.ok) throw new Error('could not end');
    const outbox = new Outbox(p.store);
    const entry = await outbox.get(ended.view.record.id);
    if (!entry) throw new Error('no summary queued');
    await outbox.put({ ...entry, sent: 1, deliveredAt: t });
    return ended.view.record.id;
  }

  it('deletes a session SESSION_RETENTION_HOURS after its summary was delivered, across a restart', async () => {
    let p = await boot();
    const id = await deliveredSession(p);
    t += 23 * HOUR;
    await tick(p.keeper);
    expect(await p.store.get(sessionKey(channel))).toBeDefined();

    await halt(p);
    p = await boot();
    t += 2 * HOUR;
    await tick(p.keeper);
    expect(await p.store.get(sessionKey(channel))).toBeUndefined();
    expect(await p.sessions.outbox.get(id)).toBeUndefined();
  });

  it('with retention 0, deletes at the first tick after delivery', async () => {
    const p = await boot({ retentionHours: 0 });
    const id = await deliveredSession(p);
    await tick(p.keeper);
    expect(await p.store.get(sessionKey(channel))).toBeUndefined();
    expect(await p.sessions.outbox.get(id)).toBeUndefined();
  });

  it('a scrub that failed after a purge is tried again at the next tick, and only until it succeeds', async () => {
    let scrubs = 0;
    // The store's own scrub, failing once as it does while another connection holds SQLite's log.
    const p = await boot({
      retentionHours: 0,
      store: (store) => ({
        ...store,
        async scrub() {
          scrubs++;
          if (scrubs === 1) throw new Error('the write-ahead log could not be emptied');
          await store.scrub();
        },
      }),
    });
    await deliveredSession(p);
    await expect(tick(p.keeper)).rejects.toThrow('could not be emptied');
    expect(await p.store.get(sessionKey(channel))).toBeUndefined();
    await tick(p.keeper);
    expect(scrubs).toBe(2);
    await tick(p.keeper);
    expect(scrubs).toBe(2);
  });

  it('never deletes a summary that was not delivered yet', async () => {
    const p = await boot({ retentionHours: 0 });
    await p.sessions.start({ channelId: channel, flowId: 'ground-rules', starter: alex, partner: sam });
    const ended = await p.sessions.apply(channel, { id: inputId(), userId: alex.id, action: 'end' });
    if (!ended.ok) throw new Error('could not end');
    t += 30 * DAY;
    await tick(p.keeper);
    expect(await p.sessions.outbox.get(ended.view.record.id)).toBeDefined();
  });
});

describe('the look-over window (SUMMARY_APPROVAL_HOURS)', () => {
  it('holds a finished summary until both answer or the window passes, then releases it once, across a restart', async () => {
    let p = await boot({ approvalHours: 24 });
    await p.sessions.start({ channelId: channel, flowId: 'ground-rules', starter: alex, partner: sam });
    const ended = await p.sessions.apply(channel, { id: inputId(), userId: alex.id, action: 'end' });
    if (!ended.ok) throw new Error('could not end');
    const id = ended.view.record.id;
    const held = await p.sessions.outbox.get(id);
    expect(held && awaitingApproval(held)).toBe(true);
    expect(held?.approval?.deadline).toBe(t + 24 * HOUR);
    // One of them finds it fair; the other says nothing.
    const fair = await p.sessions.approvals.respond(id, alex.id, { kind: 'fair' });
    expect(fair.ok && !fair.complete).toBe(true);

    t += 23 * HOUR;
    expect((await tick(p.keeper)).filter((n) => n.kind === 'record-as-it-stands')).toEqual([]);
    const before = await p.sessions.outbox.get(id);
    expect(before && awaitingApproval(before)).toBe(true);

    // The process stops, and a new one (a new store connection) takes over past the deadline.
    await halt(p);
    p = await boot({ approvalHours: 24 });
    t += 2 * HOUR;
    const notices = (await tick(p.keeper)).filter((n) => n.kind === 'record-as-it-stands');
    expect(notices).toHaveLength(1);
    const released = await p.sessions.outbox.get(id);
    expect(released && awaitingApproval(released)).toBe(false);
    expect(released?.approval).toMatchObject({ closedBy: 'window', answers: [{ userId: alex.id, kind: 'fair' }] });
    expect(released?.deliveredAt).toBeUndefined();

    // Once: neither the same process nor the next one announces it again.
    expect((await tick(p.keeper)).filter((n) => n.kind === 'record-as-it-stands')).toEqual([]);
    await halt(p);
    p = await boot({ approvalHours: 24 });
    t += DAY;
    expect((await tick(p.keeper)).filter((n) => n.kind === 'record-as-it-stands')).toEqual([]);
    // Too late to add a note: the record is no longer waiting.
    const late = await p.sessions.approvals.respond(id, sam.id, { kind: 'note', text: 'Late words' });
    expect(late).toMatchObject({ ok: false, refusal: 'closed' });
  });

  it('both answering releases it at once, with nothing left for the window', async () => {
    const p = await boot({ approvalHours: 24 });
    await p.sessions.start({ channelId: channel, flowId: 'ground-rules', starter: alex, partner: sam });
    const ended = await p.sessions.apply(channel, { id: inputId(), userId: sam.id, action: 'end' });
    if (!ended.ok) throw new Error('could not end');
    const id = ended.view.record.id;
    await p.sessions.approvals.respond(id, alex.id, { kind: 'fair' });
    const second = await p.sessions.approvals.respond(id, sam.id, { kind: 'note', text: '  I wanted to go on.  ' });
    expect(second).toMatchObject({ ok: true, complete: true, answer: { kind: 'note', note: 'I wanted to go on.' } });
    const entry = await p.sessions.outbox.get(id);
    expect(entry?.approval?.closedBy).toBe('both');
    t += 2 * DAY;
    expect((await tick(p.keeper)).filter((n) => n.kind === 'record-as-it-stands')).toEqual([]);
  });

  it('a session Mend closed after a quiet spell is not held for a look-over', async () => {
    const p = await boot({ approvalHours: 24 });
    const started = await p.sessions.start({ channelId: channel, flowId: 'ground-rules', starter: alex, partner: sam });
    if (!started.ok) throw new Error('could not start');
    t += 15 * DAY;
    await tick(p.keeper);
    const entry = await p.sessions.outbox.get(started.view.record.id);
    expect(entry).toBeDefined();
    expect(entry?.approval).toBeUndefined();
  });
});
