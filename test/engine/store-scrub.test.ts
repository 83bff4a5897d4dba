/**
 * `Store.scrub()` on SQLite, at the edges the end-to-end erasure tests do not reach: a WAL that
 * cannot be emptied because another connection is reading is an error, not a silent success; and a
 * WAL left behind by a process that died between a delete and its scrub is emptied when the store is
 * next opened.
 */
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/engine/store.js';
import { foundOnDisk } from '../support/sqlite-disk.js';

const SECRET = { answer: 'Hawthorn-Quince-9051: what I never told you' };
const WORDS = 'Hawthorn-Quince-9051';

const dirs: string[] = [];
const open: Store[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function storeIn(dir: string): Promise<{ store: Store; file: string }> {
  const file = join(dir, 'mend.sqlite');
  const store = await openStore({ url: `sqlite://${file}` });
  open.push(store);
  return { store, file };
}

const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'mend-scrub-'));
  dirs.push(dir);
  return dir;
};

/** Another connection to the file, inside a read transaction: it holds the WAL until `end()`. */
async function readerHolding(file: string): Promise<{ end(): Promise<void> }> {
  const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
  await new Promise<void>((resolve, reject) =>
    db.exec('BEGIN; SELECT count(*) FROM keyv;', (error) => (error ? reject(error) : resolve())),
  );
  return {
    end: () => new Promise<void>((resolve) => db.exec('COMMIT', () => db.close(() => resolve()))),
  };
}

describe('scrub on SQLite', () => {
  it('rejects, saying why, while another connection holds the WAL, and empties it once that one is done', async () => {
    const { store, file } = await storeIn(tempDir());
    await store.set('session:1', SECRET);
    const reader = await readerHolding(file);
    await store.delete('session:1');
    // SQLite waits out its busy timeout (5 s) for the reader, then reports the log still in use.
    await expect(store.scrub()).rejects.toThrow(/write-ahead log could not be emptied/);
    expect(foundOnDisk(file, [WORDS])).toEqual([`${WORDS} in mend.sqlite-wal`]);
    await reader.end();
    await store.scrub();
    expect(statSync(`${file}-wal`).size).toBe(0);
    expect(foundOnDisk(file, [WORDS])).toEqual([]);
  }, 15_000);

  it('opening a store empties the WAL that a process which died between delete and scrub left behind', async () => {
    const { store, file } = await storeIn(tempDir());
    await store.set('session:1', SECRET);
    await store.delete('session:1');
    // The files as a crash at this moment leaves them (the shm is rebuilt on open).
    const crashed = join(tempDir(), 'mend.sqlite');
    copyFileSync(file, crashed);
    copyFileSync(`${file}-wal`, `${crashed}-wal`);
    expect(foundOnDisk(crashed, [WORDS])).toEqual([`${WORDS} in mend.sqlite-wal`]);

    const reopened = await openStore({ url: `sqlite://${crashed}` });
    open.push(reopened);
    expect(await reopened.get('session:1')).toBeUndefined();
    expect(statSync(`${crashed}-wal`).size).toBe(0);
    expect(foundOnDisk(crashed, [WORDS])).toEqual([]);
  });
});
