/**
 * What keyv cannot do, on each store: a compare-and-set that refuses a stale stamp (also between
 * two connections, and with encryption), and the due-index — a due entry goes to one claimer only,
 * a lease that ran out is taken over, a late completion is refused, and a write during a lease is
 * kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEncryptionCodec } from '../../src/engine/encryption.js';
import { openStore, type Store } from '../../src/engine/store.js';
import { allStoreCases, announceSkips, type StoreCase, sqliteCase } from '../support/stores.js';

const cases = allStoreCases();
announceSkips(cases);

describe.each(cases)('on $name', (storeCase: StoreCase) => {
  let one: Store;
  let two: Store;
  beforeAll(async () => {
    if (storeCase.skip) return;
    one = await storeCase.open();
    two = await storeCase.open();
  });
  afterAll(async () => {
    if (storeCase.skip) return;
    await one.close();
    await two.close();
    await storeCase.cleanup();
  });

  it.skipIf(storeCase.skip)('writes only over the stamp it read, from either connection', async () => {
    expect(await one.read('k')).toBeUndefined();
    const first = await one.writeIf('k', { n: 1 }, undefined);
    expect(first).toBeDefined();
    // Creating again where something is stored is refused.
    expect(await two.writeIf('k', { n: 9 }, undefined)).toBeUndefined();
    const read = await two.read('k');
    expect(read?.value).toEqual({ n: 1 });
    expect(await two.get('k')).toEqual({ n: 1 });
    const second = await two.writeIf('k', { n: 2 }, read?.stamp);
    expect(second).toBeDefined();
    // The first connection's stamp is stale now.
    expect(await one.writeIf('k', { n: 3 }, first)).toBeUndefined();
    expect(await one.get('k')).toEqual({ n: 2 });
    expect(await one.deleteIf('k', first ?? '')).toBe(false);
    expect(await one.deleteIf('k', second ?? '')).toBe(true);
    expect(await one.get('k')).toBeUndefined();
  });

  it.skipIf(storeCase.skip)('hands a due entry to one claimer, and only when due', async () => {
    await one.due.schedule([{ kind: 'session', id: 'c1', at: 1_000 }]);
    // Lowered, never raised.
    await two.due.schedule([{ kind: 'session', id: 'c1', at: 5_000 }]);
    expect(await one.due.entries('session')).toEqual([{ id: 'c1', at: 1_000 }]);
    expect(await one.due.claim('session', 999, 100, 10)).toEqual([]);
    const [a, b] = await Promise.all([
      one.due.claim('session', 1_000, 100, 10),
      two.due.claim('session', 1_000, 100, 10),
    ]);
    expect([...(a ?? []), ...(b ?? [])].map((c) => c.id)).toEqual(['c1']);
    const claim = [...a, ...b][0];
    if (!claim) throw new Error('no claim');
    // Held: not due again while the lease runs.
    expect(await two.due.claim('session', 1_050, 100, 10)).toEqual([]);
    expect(await one.due.complete(claim, 2_000)).toBe(true);
    expect(await one.due.entries('session')).toEqual([{ id: 'c1', at: 2_000 }]);
    const [again] = await two.due.claim('session', 2_000, 100, 10);
    expect(again?.id).toBe('c1');
    if (!again) throw new Error('no claim');
    expect(await two.due.complete(again, undefined)).toBe(true);
    expect(await one.due.claim('session', 1e12, 100, 10)).toEqual([]);
  });

  it.skipIf(storeCase.skip)('a claimer that never completes loses the entry when its lease ends', async () => {
    await one.due.schedule([{ kind: 'ledger', id: 'l1', at: 10 }]);
    const [stuck] = await one.due.claim('ledger', 10, 500, 10);
    expect(stuck?.id).toBe('l1');
    expect(await two.due.claim('ledger', 509, 500, 10)).toEqual([]);
    const [taken] = await two.due.claim('ledger', 510, 500, 10);
    expect(taken?.id).toBe('l1');
    if (!stuck || !taken) throw new Error('no claim');
    // The first claimer's late completion changes nothing.
    expect(await one.due.complete(stuck, undefined)).toBe(false);
    expect(await two.due.complete(taken, undefined)).toBe(true);
    expect(await one.due.claim('ledger', 1e12, 500, 10)).toEqual([]);
  });

  it.skipIf(storeCase.skip)('a wake-up written during a lease is kept by the completion', async () => {
    await one.due.schedule([{ kind: 'retention', id: 'r1', at: 10 }]);
    const [claim] = await one.due.claim('retention', 10, 500, 10);
    if (!claim) throw new Error('no claim');
    await two.writeIf('r-subject', { x: 1 }, undefined, [{ kind: 'retention', id: 'r1', at: 300 }]);
    // Not handed out again while leased, even though the write made it due.
    expect(await two.due.claim('retention', 400, 500, 10)).toEqual([]);
    expect(await one.due.complete(claim, undefined)).toBe(true);
    expect(await one.due.entries('retention')).toEqual([{ id: 'r1', at: 300 }]);
    await one.due.complete((await one.due.claim('retention', 400, 500, 10))[0] ?? claim, undefined);
  });

  it.skipIf(storeCase.skip)('keeps sets of keys', async () => {
    await one.sets.add('s', ['b', 'a', 'a']);
    expect(await two.sets.members('s')).toEqual(['a', 'b']);
    await two.sets.remove('s', ['a']);
    expect(await one.sets.members('s')).toEqual(['b']);
    await one.sets.drop('s');
    expect(await one.sets.members('s')).toEqual([]);
  });
});

describe('with encryption', () => {
  it('compares the stored bytes, so the version is checked without decrypting', async () => {
    const storeCase = sqliteCase();
    const codec = createEncryptionCodec(Buffer.alloc(32, 7));
    const store = await openStore({ url: `sqlite://${storeCase.file}`, codec });
    try {
      const stamp = await store.writeIf('k', { secret: 'words' }, undefined);
      expect(stamp?.startsWith('enc1:')).toBe(true);
      const read = await store.read('k');
      expect(read).toEqual({ value: { secret: 'words' }, stamp });
      expect(await store.writeIf('k', { secret: 'more' }, read?.stamp)).toBeDefined();
      expect(await store.writeIf('k', { secret: 'stale' }, read?.stamp)).toBeUndefined();
      expect(await store.get('k')).toEqual({ secret: 'more' });
    } finally {
      await store.close();
      await storeCase.cleanup();
    }
  });
});
