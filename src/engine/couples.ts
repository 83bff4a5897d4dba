/**
 * The couple's remembered channel: where their sessions run and their summaries go. Keyed by the
 * guild and both partners (in a fixed order), so either partner finds it.
 */
import { z } from 'zod';
import type { Store } from './store.js';

export interface CoupleRecord {
  guildId: string;
  partnerIds: [string, string];
  channelId: string;
  /** Every channel a session of theirs has run in (for erasing on request). */
  channelIds: string[];
  updatedAt: number;
}

const schema = z.object({
  guildId: z.string(),
  partnerIds: z.tuple([z.string(), z.string()]),
  channelId: z.string(),
  channelIds: z.array(z.string()),
  updatedAt: z.number(),
});

export const coupleKey = (guildId: string, a: string, b: string) => {
  const [first, second] = [a, b].sort();
  return `couple:${guildId}:${first}:${second}`;
};

export async function findCouple(
  store: Store,
  guildId: string,
  a: string,
  b: string,
): Promise<CoupleRecord | undefined> {
  const parsed = schema.safeParse(await store.get(coupleKey(guildId, a, b)));
  return parsed.success ? (parsed.data as CoupleRecord) : undefined;
}

export async function rememberCouple(
  store: Store,
  guildId: string,
  a: string,
  b: string,
  channelId: string,
  now: number,
): Promise<void> {
  const existing = await findCouple(store, guildId, a, b);
  const channelIds = [...new Set([...(existing?.channelIds ?? []), channelId])];
  const [first, second] = [a, b].sort() as [string, string];
  const record: CoupleRecord = { guildId, partnerIds: [first, second], channelId, channelIds, updatedAt: now };
  await store.set(coupleKey(guildId, a, b), record);
}
