/**
 * Reading the bot's prompt messages as a partner would: which messages can be answered, which
 * prompt they belong to, and which button does what. Shared by the end-to-end tests and bench.
 */
import type { APIMessage } from 'discord.js';
import { splitCustomId } from '../../src/discord/interaction.js';

const decodeCustomId = (id: string) => {
  const split = splitCustomId(id);
  if (!split) return undefined;
  const [key, choice] = split.parts;
  return { action: split.name, key, choice };
};

export const customIdsOf = (message: APIMessage): string[] =>
  (message.components ?? []).flatMap((row) =>
    'components' in row ? row.components.flatMap((c) => ('custom_id' in c && c.custom_id ? [c.custom_id] : [])) : [],
  );

/** A message with a "write" or "choose" button: a prompt someone can answer. */
export const isAnswerable = (message: APIMessage): boolean =>
  customIdsOf(message).some((id) => {
    const parsed = decodeCustomId(id);
    return parsed?.action === 'write' || parsed?.action === 'choose';
  });

/** The prompt key a message's buttons belong to. */
export function promptKeyOf(message: APIMessage): string | undefined {
  for (const id of customIdsOf(message)) {
    const parsed = decodeCustomId(id);
    if (parsed && 'key' in parsed) return parsed.key;
  }
  return undefined;
}

/** The custom_id of a button on a message that does `action` (and, for choices, picks `choice`). */
export function buttonFor(message: APIMessage, action: 'write' | 'choose', choice?: string): string | undefined {
  return customIdsOf(message).find((id) => {
    const parsed = decodeCustomId(id);
    if (!parsed || parsed.action !== action) return false;
    return choice === undefined || ('choice' in parsed && parsed.choice === choice);
  });
}
