import { randomBytes } from 'node:crypto';

/** Discord counts snowflake timestamps from the first second of 2015. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/**
 * Makes real snowflakes (timestamp << 22 | counter) so discord.js's `createdTimestamp` and sorting by
 * id behave as they do against Discord.
 */
export class SnowflakeFactory {
  private counter = 0n;

  next(): string {
    return this.at(BigInt(Date.now()) - DISCORD_EPOCH_MS);
  }

  /**
   * An id whose guild falls on `shard` of `count` (Discord: `(guild_id >> 22) % shard_count`): its
   * timestamp is moved back at most `count - 1` ms to the nearest one that does.
   */
  nextOnShard(shard: number, count: number): string {
    const sinceEpoch = BigInt(Date.now()) - DISCORD_EPOCH_MS;
    const n = BigInt(count);
    const off = (((sinceEpoch - BigInt(shard)) % n) + n) % n;
    return this.at(sinceEpoch - off);
  }

  private at(sinceEpoch: bigint): string {
    this.counter = (this.counter + 1n) & 0xfffn;
    return ((sinceEpoch << 22n) | (1n << 17n) | this.counter).toString();
  }
}

/** The shard a guild's events go to, as Discord routes them. */
export function shardOfGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/**
 * Interaction tokens contain characters that must be URL-encoded (`:` here) so the emulator proves that it
 * decodes the token in callback and webhook paths the way Discord does.
 */
export function newInteractionToken(interactionId: string): string {
  return `interaction:${interactionId}:${randomBytes(24).toString('base64url')}`;
}

export function newSessionId(): string {
  return randomBytes(16).toString('hex');
}
