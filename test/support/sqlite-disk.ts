/**
 * What a SQLite store really holds, read from outside Mend: its rows through a separate read-only
 * connection, and its bytes straight from the files — the database, its write-ahead log and the
 * log's shared-memory index — because a deleted row can live on in a freed page or an old log frame
 * long after no query returns it.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import sqlite3 from 'sqlite3';
import { type ByteFile, foundIn, missingFrom } from './byte-search.js';

export interface RawRow {
  key: string;
  value: string;
}

/** Every key and value in the store's table, as stored (namespaced keys, encoded values). */
export async function rawRows(file: string): Promise<RawRow[]> {
  const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
  try {
    return await new Promise<RawRow[]>((resolve, reject) =>
      db.all('SELECT key, value FROM keyv', (error, rows) => (error ? reject(error) : resolve(rows as RawRow[]))),
    );
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}

/** The database file, its WAL and its shm, byte for byte as they are now. */
export function diskFiles(file: string): ByteFile[] {
  return [file, `${file}-wal`, `${file}-shm`].map((path) => {
    let text = '';
    try {
      text = readFileSync(path).toString('latin1');
    } catch {
      // Not there (a clean close removes the WAL and shm): nothing in it.
    }
    return { name: basename(path), text };
  });
}

/** Which of `needles` are anywhere in the files, each as "<needle> in <file>". */
export const foundOnDisk = (file: string, needles: readonly string[]) => foundIn(diskFiles(file), needles);

/** The needles that are nowhere in the files. */
export const missingFromDisk = (file: string, needles: readonly string[]) => missingFrom(diskFiles(file), needles);
