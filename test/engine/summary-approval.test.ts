/**
 * The look-over's rules, on the stored summary: one answer each, from the two partners only; a note is
 * checked like any typed text (something visible, not too long, the safety phrases) and a refused one
 * leaves the store exactly as it was; two answers release the summary.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox, type OutboxEntry } from '../../src/engine/outbox.js';
import type { Store } from '../../src/engine/store.js';
import { APPROVAL_NOTE_MAX, awaitingApproval, checkNote, SummaryApprovals } from '../../src/engine/summary-approval.js';
import { alex, outsider, sam } from '../support/play.js';
import { sqliteCase } from '../support/stores.js';

const T0 = Date.UTC(2026, 10, 30, 20, 0, 0);
let storeCase: ReturnType<typeof sqliteCase>;
let store: Store;
let outbox: Outbox;
let approvals: SummaryApprovals;

const entry: OutboxEntry = {
  sessionId: 'session-1',
  channelId: 'couple-channel',
  guildId: 'guild',
  partnerIds: [alex.id, sam.id],
  summary: {
    flowId: 'ground-rules',
    flowTitle: 'Ground rules',
    at: T0,
    partners: ['Alex', 'Sam'],
    status: 'completed',
    outcome: 'You went through every step together.',
    highlights: [],
    steps: [],
    unrevealed: [],
    nextStep: 'Talk again soon.',
  },
  sent: 0,
  attempts: 0,
  nextAttemptAt: T0 + 30_000,
  approval: { deadline: T0 + 24 * 3_600_000, answers: [] },
};

beforeEach(async () => {
  storeCase = sqliteCase();
  store = await storeCase.open();
  outbox = new Outbox(store);
  approvals = new SummaryApprovals(outbox, () => T0 + 1000);
  await outbox.put(entry);
});
afterEach(async () => {
  await store.close();
  await storeCase.cleanup();
});

describe('checkNote', () => {
  it('takes a note as typed, without what cannot be seen at its ends', () => {
    expect(checkNote('\u200b  It felt shorter to me. \n')).toEqual({ ok: true, text: 'It felt shorter to me.' });
  });
  it('refuses an empty note, one of invisible characters only, a note too long, and one that speaks of harm', () => {
    expect(checkNote('')).toEqual({ ok: false, refusal: 'empty-note' });
    expect(checkNote(' \u200b\u200d\u3164 ')).toEqual({ ok: false, refusal: 'empty-note' });
    expect(checkNote(undefined)).toEqual({ ok: false, refusal: 'empty-note' });
    expect(checkNote('a'.repeat(APPROVAL_NOTE_MAX + 1))).toEqual({ ok: false, refusal: 'long-note' });
    expect(checkNote('a'.repeat(APPROVAL_NOTE_MAX))).toMatchObject({ ok: true });
    expect(checkNote('I am scared, he hit me last week')).toEqual({ ok: false, refusal: 'harm' });
  });
});

describe('SummaryApprovals', () => {
  it('a refused note, or someone not in the couple, changes nothing that is stored', async () => {
    const before = JSON.stringify(await store.get('outbox:session-1'));
    for (const text of ['', '   ', 'I am scared, he hit me last week', 'x'.repeat(APPROVAL_NOTE_MAX + 1)]) {
      expect((await approvals.respond('session-1', alex.id, { kind: 'note', text })).ok).toBe(false);
    }
    expect(await approvals.respond('session-1', outsider.id, { kind: 'fair' })).toMatchObject({
      ok: false,
      refusal: 'not-partner',
    });
    expect(JSON.stringify(await store.get('outbox:session-1'))).toBe(before);
  });

  it('one answer each; the second partner’s answer releases the summary for posting at once', async () => {
    expect(await approvals.respond('session-1', alex.id, { kind: 'fair' })).toMatchObject({
      ok: true,
      complete: false,
    });
    expect(await approvals.respond('session-1', alex.id, { kind: 'note', text: 'Second thoughts' })).toMatchObject({
      ok: false,
      refusal: 'already-answered',
    });
    const held = await outbox.get('session-1');
    expect(held && awaitingApproval(held)).toBe(true);
    const done = await approvals.respond('session-1', sam.id, { kind: 'note', text: 'From my side it felt rushed.' });
    expect(done).toMatchObject({ ok: true, complete: true });
    const released = await outbox.get('session-1');
    expect(released && awaitingApproval(released)).toBe(false);
    expect(released?.nextAttemptAt).toBe(T0 + 1000);
    expect(released?.approval?.answers.map((a) => [a.userId, a.kind, a.note])).toEqual([
      [alex.id, 'fair', undefined],
      [sam.id, 'note', 'From my side it felt rushed.'],
    ]);
    // Closed: the window has nothing left to close.
    expect(await approvals.closeWindow('session-1')).toBeUndefined();
  });

  it('two answers at once from both partners are both kept (one update at a time)', async () => {
    const [a, b] = await Promise.all([
      approvals.respond('session-1', alex.id, { kind: 'note', text: 'Mine' }),
      approvals.respond('session-1', sam.id, { kind: 'fair' }),
    ]);
    expect([a.ok, b.ok]).toEqual([true, true]);
    expect((await outbox.get('session-1'))?.approval?.answers).toHaveLength(2);
  });
});
