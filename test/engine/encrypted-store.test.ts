/**
 * Encryption at rest, checked on the bytes on disk: a real SQLite store written through the
 * encryption codec holds no answer text, and a store opened with the wrong key or no key refuses
 * to read, clearly, without changing a byte of the file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Codec } from '../../src/engine/codec.js';
import { createEncryptionCodec, plainCodec, StoreKeyError } from '../../src/engine/encryption.js';
import { openStore } from '../../src/engine/store.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mend-enc-'));
  dirs.push(dir);
  return join(dir, 'x.sqlite');
}

const url = (file: string) => `sqlite://${file}`;

/** Words no SQLite page would hold by chance. */
const SECRET_ANSWER = 'Quillwort-Marzipan-4417: I said I was at the gym but I was with Jordan';
const SECRET_FRAGMENTS = ['Quillwort-Marzipan-4417', 'with Jordan', 'at the gym', 'Alex Rivera'];

const sessionLike = {
  flowId: 'admitting',
  status: 'active',
  partners: { a: { id: '111111111111111111', name: 'Alex Rivera' }, b: { id: '222222222222222222', name: 'Sam' } },
  context: { answers: { admit: { by: 'a', text: SECRET_ANSWER, at: 1_790_000_000_000 } }, loops: 0 },
};

const KEY = 'session:123456789012345678';

/** The main file and the WAL (when one is left), as the store left them after close. */
function diskBytes(file: string): Buffer {
  const wal = `${file}-wal`;
  return Buffer.concat([readFileSync(file), existsSync(wal) ? readFileSync(wal) : Buffer.alloc(0)]);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** After close the last connection has checkpointed: the main file is the whole truth. */
function assertCheckpointed(file: string): void {
  const wal = `${file}-wal`;
  if (existsSync(wal)) expect(statSync(wal).size).toBe(0);
}

async function write(file: string, codec: Codec | undefined, value: unknown): Promise<void> {
  const store = await openStore({ url: url(file), ...(codec ? { codec } : {}) });
  await store.set(KEY, value);
  await store.close();
  assertCheckpointed(file);
}

async function readError(file: string, codec: Codec): Promise<unknown> {
  const store = await openStore({ url: url(file), codec });
  try {
    await store.get(KEY);
  } catch (error) {
    return error;
  } finally {
    await store.close();
  }
  throw new Error('expected get() to reject');
}

describe('an encrypted SQLite store on disk', () => {
  const key = randomBytes(32);
  const file = tempDb();

  it('holds no answer text, names or JSON structure, in the file or its WAL', async () => {
    await write(file, createEncryptionCodec(key), sessionLike);
    const bytes = diskBytes(file);
    for (const fragment of [...SECRET_FRAGMENTS, '"answers"', '"partners"']) {
      expect(bytes.includes(Buffer.from(fragment, 'utf8')), fragment).toBe(false);
    }
    // The value is there, sealed (and the test is looking at the right file).
    expect(bytes.includes(Buffer.from('enc1:', 'utf8'))).toBe(true);
  });

  it('reads back what it wrote with the same key', async () => {
    const store = await openStore({ url: url(file), codec: createEncryptionCodec(key) });
    expect(await store.get(KEY)).toEqual(sessionLike);
    await store.close();
  });

  it('refuses a different key with StoreKeyError and leaves the file byte-for-byte unchanged', async () => {
    const before = sha256(readFileSync(file));
    const error = await readError(file, createEncryptionCodec(randomBytes(32)));
    expect(error).toBeInstanceOf(StoreKeyError);
    expect((error as StoreKeyError).problem).toBe('wrong-key');
    expect((error as Error).message).toContain('different key than STORE_ENCRYPTION_KEY');
    assertCheckpointed(file);
    expect(sha256(readFileSync(file))).toBe(before);
  });

  it('refuses to read with no key, clearly, and leaves the file byte-for-byte unchanged', async () => {
    const before = sha256(readFileSync(file));
    const error = await readError(file, plainCodec);
    expect(error).toBeInstanceOf(StoreKeyError);
    expect((error as StoreKeyError).problem).toBe('no-key');
    expect((error as Error).message).toContain('STORE_ENCRYPTION_KEY is not set');
    assertCheckpointed(file);
    expect(sha256(readFileSync(file))).toBe(before);
  });

  it('still reads everything with the original key after the refused attempts', async () => {
    const store = await openStore({ url: url(file), codec: createEncryptionCodec(key) });
    expect(await store.get(KEY)).toEqual(sessionLike);
    await store.close();
  });
});

describe('a store written before a key was set', () => {
  it('keeps working when a key is added, and is sealed on the next write', async () => {
    const key = randomBytes(32);
    const file = tempDb();
    await write(file, plainCodec, sessionLike);
    expect(diskBytes(file).includes(Buffer.from(SECRET_FRAGMENTS[0]!, 'utf8'))).toBe(true);

    const store = await openStore({ url: url(file), codec: createEncryptionCodec(key) });
    expect(await store.get(KEY)).toEqual(sessionLike);
    const next = { ...sessionLike, status: 'paused' };
    await store.set(KEY, next);
    expect(await store.get(KEY)).toEqual(next);
    await store.close();
    assertCheckpointed(file);

    // The one value there was is now sealed. (Old plaintext can linger in SQLite's free pages until
    // VACUUM; that is SQLite's business, so only the live value is checked here.)
    const reopened = await openStore({ url: url(file), codec: plainCodec });
    await expect(reopened.get(KEY)).rejects.toBeInstanceOf(StoreKeyError);
    await reopened.close();
  });
});
