/**
 * Every button, select and modal Mend sends carries its whole meaning in its custom_id, so one
 * global router can handle it after any restart (no in-memory collectors). Format:
 * `mend:<action>:<arg>:<arg>` — at most 100 characters, checked when built.
 */
export type CustomId =
  /** Open the answer form for a prompt (text, list, or a choice that takes a note). */
  | { action: 'write'; key: string; choice?: string }
  /** A choice answered straight from its button. */
  | { action: 'choose'; key: string; choice: string }
  /** The answer form itself. */
  | { action: 'form'; key: string; choice?: string }
  /** Show a private prompt (apology review) to its author. */
  | { action: 'open'; key: string }
  | { action: 'pause' }
  /** The length of a break, picked from a menu. */
  | { action: 'break' }
  | { action: 'end' }
  | { action: 'end-confirm' }
  | { action: 'resume' }
  /** Create a private channel for the two of them and start there. */
  | { action: 'make-channel'; flow: string; partner: string }
  | { action: 'forget-confirm'; partner: string };

const PREFIX = 'mend';
const MAX = 100;

/** Step keys are `<step path>@<n>`; choice values and flow ids are slugs. No ':' in any. */
const safe = (part: string) => {
  if (part.includes(':')) throw new Error(`custom_id part may not contain ':' (${part})`);
  return part;
};

export function encodeCustomId(id: CustomId): string {
  const parts: string[] = [PREFIX, id.action];
  switch (id.action) {
    case 'write':
    case 'form':
      parts.push(safe(id.key));
      if (id.choice !== undefined) parts.push(safe(id.choice));
      break;
    case 'choose':
      parts.push(safe(id.key), safe(id.choice));
      break;
    case 'open':
      parts.push(safe(id.key));
      break;
    case 'make-channel':
      parts.push(safe(id.flow), safe(id.partner));
      break;
    case 'forget-confirm':
      parts.push(safe(id.partner));
      break;
    default:
      break;
  }
  const encoded = parts.join(':');
  if (encoded.length > MAX) throw new Error(`custom_id over ${MAX} characters: ${encoded}`);
  return encoded;
}

/** Parses a custom_id; anything not ours, or malformed, is undefined (never thrown). */
export function decodeCustomId(raw: string): CustomId | undefined {
  const [prefix, action, first, second] = raw.split(':');
  if (prefix !== PREFIX || !action) return undefined;
  switch (action) {
    case 'write':
    case 'form':
      if (!first) return undefined;
      return second === undefined ? { action, key: first } : { action, key: first, choice: second };
    case 'choose':
      return first && second !== undefined ? { action, key: first, choice: second } : undefined;
    case 'open':
      return first ? { action, key: first } : undefined;
    case 'make-channel':
      return first && second ? { action, flow: first, partner: second } : undefined;
    case 'forget-confirm':
      return first ? { action, partner: first } : undefined;
    case 'pause':
    case 'break':
    case 'end':
    case 'end-confirm':
    case 'resume':
      return { action };
    default:
      return undefined;
  }
}

/** Field ids inside the answer form. */
export const FIELD = { text: 'text', note: 'note', picks: 'picks', items: 'items' } as const;
