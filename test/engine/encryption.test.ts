/**
 * The store's encryption codec: values round-trip, are sealed with a fresh IV each time, and any
 * change, a different key or a missing key is refused with one clear StoreKeyError that never
 * carries key material.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { codecFor, createEncryptionCodec, plainCodec, StoreKeyError } from '../../src/engine/encryption.js';

const key = randomBytes(32);
const otherKey = randomBytes(32);
const codec = createEncryptionCodec(key);

const sessionJson = JSON.stringify({
  value: { flow: 'admitting', context: { answers: [{ by: 'alex', text: 'I read your messages — and I lied, é ✓' }] } },
  expires: null,
});

/** Every printable form of a key a message or log could leak. */
const keyForms = (k: Buffer) => [k.toString('base64'), k.toString('hex'), k.toString('base64url')];

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** Replaces one base64 character of part `index` (0 iv, 1 tag, 2 ciphertext) with a different one. */
function tamper(stored: string, index: number): string {
  const [prefix, ...parts] = stored.split(':');
  const part = parts[index]!;
  const at = Math.floor(part.length / 3);
  const swapped = part[at] === 'A' ? 'B' : 'A';
  parts[index] = part.slice(0, at) + swapped + part.slice(at + 1);
  return [prefix, ...parts].join(':');
}

describe('createEncryptionCodec', () => {
  it('round-trips a value, unicode included', () => {
    const stored = codec.encode(sessionJson);
    expect(codec.decode(stored)).toBe(sessionJson);
    expect(JSON.parse(codec.decode(stored))).toEqual(JSON.parse(sessionJson));
  });

  it('stores enc1:<iv>:<tag>:<ciphertext> with a 12-byte IV and a 16-byte tag, and no plaintext', () => {
    const stored = codec.encode(sessionJson);
    const match = /^enc1:([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/.exec(stored);
    expect(match).not.toBeNull();
    expect(Buffer.from(match![1]!, 'base64')).toHaveLength(12);
    expect(Buffer.from(match![2]!, 'base64')).toHaveLength(16);
    expect(stored).not.toContain('messages');
    expect(stored).not.toContain('alex');
  });

  it('encrypts the same value differently every time (fresh IV)', () => {
    const first = codec.encode(sessionJson);
    const second = codec.encode(sessionJson);
    expect(first).not.toBe(second);
    expect(first.split(':')[1]).not.toBe(second.split(':')[1]);
    expect(codec.decode(first)).toBe(codec.decode(second));
  });

  it('detects a change to the IV, the tag or the ciphertext', () => {
    const stored = codec.encode(sessionJson);
    for (const part of [0, 1, 2]) {
      const error = thrown(() => codec.decode(tamper(stored, part)));
      expect(error).toBeInstanceOf(StoreKeyError);
    }
  });

  it('detects a changed version prefix, a cut-short value and malformed parts', () => {
    const stored = codec.encode(sessionJson);
    const cases = [
      stored.slice(0, stored.length - 8), // ciphertext cut short: fails authentication
      stored.split(':').slice(0, 3).join(':'), // a part missing
      `${stored}:extra`,
      stored.replace(/^enc1:[^:]+/, 'enc1:AAAA'), // IV of the wrong length
      stored.replace(/^(enc1:[^:]+:)[^:]+/, '$1!!not-base64!!'),
    ];
    for (const bad of cases) expect(thrown(() => codec.decode(bad))).toBeInstanceOf(StoreKeyError);
    const future = thrown(() => codec.decode(stored.replace(/^enc1:/, 'enc2:')));
    expect(future).toBeInstanceOf(StoreKeyError);
    expect((future as StoreKeyError).problem).toBe('unknown-format');
  });

  it('refuses a value sealed with a different key, in one clear sentence', () => {
    const stored = createEncryptionCodec(otherKey).encode(sessionJson);
    const error = thrown(() => codec.decode(stored));
    expect(error).toBeInstanceOf(StoreKeyError);
    expect((error as StoreKeyError).problem).toBe('wrong-key');
    expect((error as Error).message).toBe(
      'The stored data is encrypted with a different key than STORE_ENCRYPTION_KEY. Restore the original key; nothing has been changed or deleted.',
    );
  });

  it('passes plain JSON written before a key was set through unchanged', () => {
    for (const plain of [sessionJson, '{"value":1}', '[]', '"enc1:looks like a prefix but is a JSON string"', 'null']) {
      expect(codec.decode(plain)).toBe(plain);
    }
  });

  it('copies the key, so changing the caller’s buffer later changes nothing', () => {
    const mine = Buffer.from(key);
    const own = createEncryptionCodec(mine);
    const stored = own.encode(sessionJson);
    mine.fill(0);
    expect(own.decode(stored)).toBe(sessionJson);
    expect(codec.decode(stored)).toBe(sessionJson);
  });

  it('refuses a key that is not 32 bytes, naming only its length', () => {
    const short = randomBytes(16);
    const error = thrown(() => createEncryptionCodec(short));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain('exactly 32 bytes (this one is 16)');
    for (const form of keyForms(short)) expect((error as Error).message).not.toContain(form);
  });
});

describe('plainCodec', () => {
  it('passes values through both ways', () => {
    expect(plainCodec.encode(sessionJson)).toBe(sessionJson);
    expect(plainCodec.decode(sessionJson)).toBe(sessionJson);
  });

  it('refuses encrypted values clearly instead of failing later as broken JSON', () => {
    const error = thrown(() => plainCodec.decode(codec.encode(sessionJson)));
    expect(error).toBeInstanceOf(StoreKeyError);
    expect((error as StoreKeyError).problem).toBe('no-key');
    expect((error as Error).message).toMatch(/^Stored data is encrypted, but STORE_ENCRYPTION_KEY is not set\./);
    expect((error as Error).message).toContain('nothing has been changed or deleted');
  });
});

describe('codecFor', () => {
  it('encrypts with a key and stays plain without one', () => {
    expect(codecFor(key).encode(sessionJson)).toMatch(/^enc1:/);
    expect(codecFor(undefined)).toBe(plainCodec);
  });
});

describe('no key material in any error', () => {
  it('leaves the key out of every message, stack and printed form', () => {
    const stored = codec.encode(sessionJson);
    const errors = [
      thrown(() => createEncryptionCodec(otherKey).decode(stored)),
      thrown(() => codec.decode(tamper(stored, 2))),
      thrown(() => codec.decode('enc1:AAAA:BBBB:CCCC')),
      thrown(() => plainCodec.decode(stored)),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(StoreKeyError);
      const printed = [
        (error as Error).message,
        (error as Error).stack ?? '',
        JSON.stringify(error),
        String(error),
        JSON.stringify((error as Error).cause ?? null),
      ].join('\n');
      for (const form of [...keyForms(key), ...keyForms(otherKey)]) expect(printed).not.toContain(form);
      // Nor the sealed value or what it holds.
      expect(printed).not.toContain(stored.slice(5, 30));
      expect(printed).not.toContain('messages');
    }
  });
});
