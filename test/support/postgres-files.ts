/**
 * What a PostgreSQL table really holds on the server's disk: the files of its heap, its TOAST table and
 * every index of both, read through `pg_read_binary_file` after a CHECKPOINT has written out every dirty
 * page. A deleted row is invisible to every query long before its bytes leave these files.
 */
import type pg from 'pg';
import type { ByteFile } from './byte-search.js';

/** Whether this connection may CHECKPOINT and read the server's files (a superuser may). */
export async function canReadServerFiles(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ super: boolean }>(
    'SELECT rolsuper AS super FROM pg_roles WHERE rolname = current_user',
  );
  return rows[0]?.super === true;
}

/** The data files (paths relative to the data directory) of the table, its TOAST table and their indexes. */
export async function tableFiles(client: pg.Client, table: string): Promise<string[]> {
  const { rows } = await client.query<{ path: string }>(
    `WITH t AS (SELECT oid, reltoastrelid FROM pg_class WHERE oid = $1::text::regclass)
     SELECT pg_relation_filepath(oid) AS path FROM t
     UNION ALL SELECT pg_relation_filepath(reltoastrelid) FROM t WHERE reltoastrelid <> 0
     UNION ALL SELECT pg_relation_filepath(indexrelid) FROM pg_index, t
       WHERE indrelid = t.oid OR indrelid = t.reltoastrelid`,
    [table],
  );
  return rows.map((row) => row.path);
}

/** The table's own file node: VACUUM FULL (or any rewrite) gives the table a new one. */
export async function fileNode(client: pg.Client, table: string): Promise<string> {
  const { rows } = await client.query<{ node: string }>('SELECT pg_relation_filenode($1::text::regclass) AS node', [
    table,
  ]);
  return String(rows[0]?.node);
}

/** A server file's bytes as latin1 text ('' when there is no such file). */
export async function serverFileText(client: pg.Client, path: string): Promise<string> {
  try {
    const { rows } = await client.query<{ bytes: Buffer }>('SELECT pg_read_binary_file($1) AS bytes', [path]);
    return rows[0]?.bytes.toString('latin1') ?? '';
  } catch (error) {
    // A rewritten table's old file is emptied at commit and unlinked at the next checkpoint.
    if (/could not (open|stat) file/.test(String(error))) return '';
    throw error;
  }
}

/** Every dirty page written out, then the files' bytes as they are on the server's disk. */
export async function serverFiles(client: pg.Client, paths: readonly string[]): Promise<ByteFile[]> {
  await client.query('CHECKPOINT');
  const files: ByteFile[] = [];
  for (const path of paths) files.push({ name: path, text: await serverFileText(client, path) });
  return files;
}
