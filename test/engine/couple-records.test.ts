/**
 * Finding one couple's records — what /forget erases and /export reads — against every store: both
 * partners' sessions in any channel, their summaries (also of a session already gone), their couple
 * record; never another couple's, nor a session one of them had with someone else, nor another server's.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { coupleIndex } from '../../src/engine/couple-index.js';
import { findCoupleRecords, keysOf } from '../../src/engine/couple-records.js';
import { coupleKey } from '../../src/engine/couples.js';
import { eraseCouple } from '../../src/engine/erase.js';
import { outboxKey } from '../../src/engine/outbox.js';
import { type SessionRecord, sessionRecordSchema } from '../../src/engine/session-record.js';
import { alex, outsider, sam } from '../support/play.js';
import { allStoreCases, announceSkips } from '../support/stores.js';

const cases = allStoreCases();
announceSkips(cases);
afterAll(async () => {
  for (const storeCase of cases) await storeCase.cleanup();
});

const HOME = 'guild-home';
const AWAY = 'guild-away';

function session(id: string, channelId: string, a: string, b: string, guildId: string | undefined, startedAt: number) {
  const record: SessionRecord = {
    v: 1,
    id,
    channelId,
    flowId: 'ground-rules',
    flowVersion: 1,
    partners: { a: { id: a, name: 'A' }, b: { id: b, name: 'B' } },
    status: 'completed',
    startedAt,
    updatedAt: startedAt,
    recentInputs: [],
    snapshot: {},
  };
  if (guildId !== undefined) record.guildId = guildId;
  return sessionRecordSchema.parse(record);
}

const summaryOf = (sessionId: string, partnerIds: [string, string], guildId: string) => ({
  sessionId,
  channelId: 'any',
  guildId,
  partnerIds,
  summary: { steps: [], at: 1 },
  sent: 0,
  attempts: 0,
  nextAttemptAt: 0,
});

for (const storeCase of cases) {
  describe.skipIf(storeCase.skip !== undefined)(`the records of one couple (${storeCase.name})`, () => {
    it('finds theirs in every channel and nobody else’s; erasing deletes exactly those', async () => {
      const store = await storeCase.open();
      // Stored as Mend stores them: each key added to its couple's index first (couple-index.ts).
      const put = async (key: string, value: unknown, guildId: string | undefined, a: string, b: string) => {
        await store.sets.add(coupleIndex(guildId, a, b), [key]);
        await store.set(key, value);
      };
      await put('session:c-2', session('s-2', 'c-2', sam.id, alex.id, HOME, 2), HOME, sam.id, alex.id);
      await put('session:c-1', session('s-1', 'c-1', alex.id, sam.id, HOME, 1), HOME, alex.id, sam.id);
      await put('session:c-old', session('s-old', 'c-old', alex.id, sam.id, undefined, 0), undefined, alex.id, sam.id);
      await put(
        'session:c-robin',
        session('s-r', 'c-robin', alex.id, outsider.id, HOME, 3),
        HOME,
        alex.id,
        outsider.id,
      );
      await put('session:c-away', session('s-away', 'c-away', alex.id, sam.id, AWAY, 4), AWAY, alex.id, sam.id);
      await put(outboxKey('s-1'), summaryOf('s-1', [alex.id, sam.id], HOME), HOME, alex.id, sam.id);
      await put(outboxKey('s-gone'), summaryOf('s-gone', [sam.id, alex.id], HOME), HOME, sam.id, alex.id);
      await put(outboxKey('s-r'), summaryOf('s-r', [alex.id, outsider.id], HOME), HOME, alex.id, outsider.id);
      // An index entry may outlive what it pointed at (a channel reused by another pair since): every
      // record read through the index is still matched on both partners.
      await store.sets.add(coupleIndex(HOME, alex.id, sam.id), ['session:c-robin', outboxKey('s-r'), 'session:c-none']);
      await store.set(coupleKey(HOME, alex.id, sam.id), { guildId: HOME });
      await store.set(coupleKey(HOME, alex.id, outsider.id), { guildId: HOME });

      const found = await findCoupleRecords(store, HOME, sam.id, alex.id);
      expect(found.sessions.map((s) => s.record.id)).toEqual(['s-old', 's-1', 's-2']);
      expect(found.summaries.map((s) => s.entry.sessionId).sort()).toEqual(['s-1', 's-gone']);
      expect(found.couple?.key).toBe(coupleKey(HOME, alex.id, sam.id));
      // Someone who is not their partner finds nothing of theirs: only records of their own pair.
      const outsiders = await findCoupleRecords(store, HOME, outsider.id, sam.id);
      expect(keysOf(outsiders)).toEqual([]);

      expect(await eraseCouple(store, HOME, alex.id, sam.id)).toBe(keysOf(found).length);
      const left: string[] = [];
      for await (const key of store.keys()) left.push(key);
      expect(left.sort()).toEqual(
        ['session:c-robin', 'session:c-away', outboxKey('s-r'), coupleKey(HOME, alex.id, outsider.id)].sort(),
      );
      await store.close();
    });
  });
}
