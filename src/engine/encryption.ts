/**
 * Encryption at rest for the session store: a `Codec` (see codec.ts) that seals every stored value
 * with AES-256-GCM under STORE_ENCRYPTION_KEY.
 *
 * Stored text: `enc1:<base64 iv>:<base64 tag>:<base64 ciphertext>`, a fresh random 12-byte IV per
 * value and the 16-byte GCM tag, so a changed byte anywhere is caught on read. The version prefix
 * is also bound in as associated data, so it cannot be swapped without detection.
 *
 * Plain JSON (written before a key was set) is read as is, so a store written without a key keeps
 * working once one is added; it is sealed the next time each value is written. The reverse is
 * refused: encrypted data is never handed on as if it were JSON, neither under a different key nor
 * with no key at all. Those reads throw a `StoreKeyError` that says what to do, and nothing in the
 * store is touched. No error here carries key material.
 *
 * The key itself is read and validated by config.ts (STORE_ENCRYPTION_KEY, base64 of 32 bytes).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Codec } from './codec.js';

const VERSION = 'enc1';
const PREFIX = `${VERSION}:`;
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const AAD = Buffer.from(VERSION, 'utf8');

/** Why a stored value could not be read. */
export type StoreKeyProblem = 'wrong-key' | 'no-key' | 'damaged' | 'unknown-format';

/**
 * Stored data that this process cannot read with the key it has. Nothing was changed or deleted:
 * the operator fixes the key (or the version) and restarts.
 */
export class StoreKeyError extends Error {
  readonly problem: StoreKeyProblem;

  constructor(problem: StoreKeyProblem, message: string) {
    super(message);
    this.name = 'StoreKeyError';
    this.problem = problem;
  }
}

const MESSAGES: Record<StoreKeyProblem, string> = {
  'wrong-key':
    'The stored data is encrypted with a different key than STORE_ENCRYPTION_KEY. Restore the original key; nothing has been changed or deleted.',
  'no-key':
    'Stored data is encrypted, but STORE_ENCRYPTION_KEY is not set. Set it to the key the data was written with; nothing has been changed or deleted.',
  damaged:
    'A stored value looks encrypted but is cut short or malformed, so it cannot be read. Check the store for damage or outside edits; nothing has been changed or deleted.',
  'unknown-format':
    'A stored value is encrypted in a format this version of Mend does not know (written by a newer version?). Run the version that wrote it; nothing has been changed or deleted.',
};

const storeKeyError = (problem: StoreKeyProblem) => new StoreKeyError(problem, MESSAGES[problem]);

/** `enc1:…`, or `encN:…` from some other version: anything that is not JSON and claims to be sealed. */
const looksEncrypted = (stored: string) => /^enc\d+:/.test(stored);

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function fromBase64(text: string | undefined, bytes?: number): Buffer {
  if (text === undefined || !BASE64.test(text)) throw storeKeyError('damaged');
  const buffer = Buffer.from(text, 'base64');
  if (bytes !== undefined && buffer.length !== bytes) throw storeKeyError('damaged');
  return buffer;
}

/**
 * A codec that encrypts every value with `key` (32 bytes, as config.ts returns it). The key is
 * copied, so later changes to the caller's buffer do not affect the codec.
 */
export function createEncryptionCodec(key: Buffer): Codec {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    // Only the length is named: never the key.
    throw new TypeError(
      `The store encryption key must be exactly ${KEY_BYTES} bytes${Buffer.isBuffer(key) ? ` (this one is ${key.length})` : ''}: make one with \`openssl rand -base64 32\`.`,
    );
  }
  const secret = Buffer.from(key);

  return {
    encode(json) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, secret, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(AAD);
      const sealed = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return `${PREFIX}${iv.toString('base64')}:${tag.toString('base64')}:${sealed.toString('base64')}`;
    },

    decode(stored) {
      if (!looksEncrypted(stored)) return stored;
      if (!stored.startsWith(PREFIX)) throw storeKeyError('unknown-format');
      const parts = stored.slice(PREFIX.length).split(':');
      if (parts.length !== 3) throw storeKeyError('damaged');
      const iv = fromBase64(parts[0], IV_BYTES);
      const tag = fromBase64(parts[1], TAG_BYTES);
      const sealed = fromBase64(parts[2]);
      const decipher = createDecipheriv(ALGORITHM, secret, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(AAD);
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
      } catch {
        // GCM cannot tell a different key from altered bytes; a different key is by far the
        // likelier cause, and the advice (restore the original key) is the same first step.
        throw storeKeyError('wrong-key');
      }
    },
  };
}

/**
 * The codec for a store with no key: values pass through as plain JSON, and encrypted values are
 * refused with a clear error instead of failing later as broken JSON.
 */
export const plainCodec: Codec = {
  encode: (json) => json,
  decode(stored) {
    if (!looksEncrypted(stored)) return stored;
    throw storeKeyError(stored.startsWith(PREFIX) ? 'no-key' : 'unknown-format');
  },
};

/** The codec for a configured key (`config.storeEncryptionKey`), or the plain one when there is none. */
export function codecFor(key: Buffer | undefined): Codec {
  return key ? createEncryptionCodec(key) : plainCodec;
}
