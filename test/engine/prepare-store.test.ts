/**
 * A store written before the indexes (sessions, summaries and ledgers set with plain writes, as an
 * earlier Mend did) is indexed once at start-up: /forget and /export then find the couple's records,
 * the census counts the open sessions, and the deadlines are in the due-index. The next start reads
 * only the marker. A wrong key stops it before anything is written.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openSessionsByFlow } from '../../src/engine/census.js';
import { findCoupleRecords } from '../../src/engine/couple-records.js';
import { createEncryptionCodec, StoreKeyError } from '../../src/engine/encryption.js';
import { outboxKey } from '../../src/engine/outbox.js';
import { ledgerKey } from '../../src/engine/promises.js';
import { type SessionRecord, sessionRecordSchema } from '../../src/engine/session-record.js';
import { openStore } from '../../src/engine/store.js';
import { INDEXED_KEY, prepareStore } from '../../src/maintenance/prepare-store.js';
import { alex, sam } from '../support/play.js';
import { allStoreCases, announceSkips, sqliteCase } from '../support/stores.js';

const cases = allStoreCases();
announceSkips(cases);
afterAll(async () => {
  for (const storeCase of cases) await storeCase.cleanup();
});

const GUILD = 'guild-1';

const session = (id: string, channelId: string, status: SessionRecord['status'], updatedAt: number) =>
  sessionRecordSchema.parse({
    v: 1,
    id,
    channelId,
    guildId: GUILD,
    flowId: 'ground-rules',
    flowVersion: 1,
    partners: { a: { id: alex.id, name: 'Alex' }, b: { id: sam.id, name: 'Sam' } },
    status,
    startedAt: updatedAt,
    updatedAt,
    recentInputs: [],
    snapshot: {},
  });

for (const storeCase of cases) {
  describe.skipIf(storeCase.skip !== undefined)(`a store from before the indexes (${storeCase.name})`, () => {
    it('is indexed once, and then found without a scan', async () => {
      const store = await storeCase.open();
      try {
        await store.set('session:c-open', session('s-open', 'c-open', 'active', 1_000));
        await store.set('session:c-done', session('s-done', 'c-done', 'completed', 2_000));
        await store.set(outboxKey('s-done'), {
          sessionId: 's-done',
          channelId: 'c-done',
          guildId: GUILD,
          partnerIds: [alex.id, sam.id],
          summary: { steps: [], at: 2_000 },
          sent: 0,
          attempts: 0,
          nextAttemptAt: 2_500,
        });
        const ledger = ledgerKey(GUILD, alex.id, sam.id);
        await store.set(ledger, {
          guildId: GUILD,
          partnerIds: [alex.id, sam.id].sort(),
          promises: [],
          due: [
            {
              id: 'f-1',
              kind: 'check-in',
              flowId: 'check-in',
              promiseIds: [],
              dueAt: 9_000,
              channelId: 'c-done',
              starterId: alex.id,
            },
          ],
          updatedAt: 2_000,
        });
        expect((await findCoupleRecords(store, GUILD, alex.id, sam.id)).sessions).toEqual([]);

        expect(await prepareStore(store)).toEqual({ indexed: 4 });
        const found = await findCoupleRecords(store, GUILD, sam.id, alex.id);
        expect(found.sessions.map((s) => s.record.id).sort()).toEqual(['s-done', 's-open']);
        expect(found.summaries.map((s) => s.entry.sessionId)).toEqual(['s-done']);
        expect(await openSessionsByFlow(store)).toEqual(new Map([['ground-rules', 1]]));
        expect(await store.due.entries('session')).toEqual([{ id: 'c-open', at: 1_000 }]);
        expect(await store.due.entries('summary')).toEqual([{ id: 'c-done/s-done', at: 2_500 }]);
        expect(await store.due.entries('ledger')).toEqual([{ id: ledger, at: 9_000 }]);
        expect(await store.get(INDEXED_KEY)).toMatchObject({ version: 1 });
        // The next start reads the marker and the canary, and nothing else.
        expect(await prepareStore(store)).toEqual({ indexed: 0 });
      } finally {
        await store.close();
      }
    });
  });
}

describe('with the wrong key', () => {
  it('stops with the key error before writing anything', async () => {
    const storeCase = sqliteCase();
    const url = `sqlite://${storeCase.file}`;
    const written = await openStore({ url, codec: createEncryptionCodec(Buffer.alloc(32, 1)) });
    await written.set('session:c', { sealed: true });
    await written.close();
    const wrong = await openStore({ url, codec: createEncryptionCodec(Buffer.alloc(32, 2)) });
    try {
      await expect(prepareStore(wrong)).rejects.toBeInstanceOf(StoreKeyError);
      expect(await wrong.sets.members('open-sessions')).toEqual([]);
    } finally {
      await wrong.close();
      await storeCase.cleanup();
    }
  });
});
