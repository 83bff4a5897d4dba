/**
 * The playground's partner links. Each conversation gets a channel id and two partner ids of its
 * own, and each partner an unguessable token (32 random bytes): the link is the key to that
 * partner's seat and to nothing else. The store keeps only a hash of each token, so the file
 * alone opens no page.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { PartnerId } from '../engine/flow-types.js';
import type { Store } from '../engine/store.js';

/** What a link opens: one partner's seat in one conversation. */
export interface Seat {
  channelId: string;
  partner: PartnerId;
}

export interface NewRoom {
  channelId: string;
  userIds: Record<PartnerId, string>;
  tokens: Record<PartnerId, string>;
}

/** Every playground conversation is kept as if in one server of its own (erasure finds it there). */
export const PLAYGROUND_GUILD = 'playground';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
const seatKey = (hash: string) => `playground:seat:${hash}`;
const roomKey = (channelId: string) => `playground:room:${channelId}`;

const seatSchema = z.object({ channelId: z.string(), partner: z.enum(['a', 'b']) });
const roomSchema = z.object({ seats: z.array(z.string()) });

export async function newRoom(store: Store): Promise<NewRoom> {
  const channelId = `web-${randomUUID()}`;
  const tokens = { a: randomBytes(32).toString('base64url'), b: randomBytes(32).toString('base64url') };
  const userIds = { a: `web-${randomUUID()}`, b: `web-${randomUUID()}` };
  const hashes = [hashOf(tokens.a), hashOf(tokens.b)];
  await store.set(roomKey(channelId), { seats: hashes });
  await store.set(seatKey(hashes[0] as string), { channelId, partner: 'a' } satisfies Seat);
  await store.set(seatKey(hashes[1] as string), { channelId, partner: 'b' } satisfies Seat);
  return { channelId, userIds, tokens };
}

/** The seat a token opens, or undefined for a missing, malformed or unknown one. */
export async function seatOf(store: Store, token: string | undefined): Promise<Seat | undefined> {
  if (token === undefined || !TOKEN.test(token)) return undefined;
  const parsed = seatSchema.safeParse(await store.get(seatKey(hashOf(token))));
  return parsed.success ? parsed.data : undefined;
}

/** Forgets both links of a conversation (its session and summary are erased by the engine). */
export async function forgetRoom(store: Store, channelId: string): Promise<void> {
  const parsed = roomSchema.safeParse(await store.get(roomKey(channelId)));
  for (const hash of parsed.success ? parsed.data.seats : []) await store.delete(seatKey(hash));
  await store.delete(roomKey(channelId));
}
