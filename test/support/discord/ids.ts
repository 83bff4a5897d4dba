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
    const sinceEpoch = BigInt(Date.now()) - DISCORD_EPOCH_MS;
    this.counter = (this.counter + 1n) & 0xfffn;
    return ((sinceEpoch << 22n) | (1n << 17n) | this.counter).toString();
  }
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
