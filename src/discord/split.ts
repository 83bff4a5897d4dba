/**
 * Fits any amount of text into Discord's limits without cutting anything off: long text is split
 * at line or word boundaries into as many embeds as it needs, and embeds into as many messages.
 */
export const LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFooter: 2048,
  charactersPerMessage: 6000,
  modalTitle: 45,
  inputLabel: 45,
  inputValue: 4000,
  buttonLabel: 80,
  selectOptions: 25,
} as const;

export interface EmbedBlock {
  title?: string;
  description: string;
  footer?: string;
  color?: number;
}

/** Splits text into pieces of at most `max` characters, preferring line, then word, breaks. */
export function chunkText(text: string, max: number): string[] {
  if (max < 1) throw new Error('max must be positive');
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = window.lastIndexOf('\n');
    if (cut < max / 2) cut = window.lastIndexOf(' ');
    if (cut < max / 2) cut = max;
    // Never split a surrogate pair (an emoji would turn into two broken halves).
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    // Nor separate an escaping backslash from what it escapes.
    while (cut > 1 && rest[cut - 1] === '\\') cut -= 1;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  pieces.push(rest);
  return pieces;
}

const sizeOf = (e: EmbedBlock) => (e.title?.length ?? 0) + e.description.length + (e.footer?.length ?? 0);

/**
 * One titled section as embeds: the first keeps the title, the ones that continue it say so.
 * Keeps every character of `description`.
 */
export function sectionBlocks(title: string, description: string, color?: number): EmbedBlock[] {
  const safeTitle = title.length > LIMITS.embedTitle ? `${title.slice(0, LIMITS.embedTitle - 1)}…` : title;
  // Leave room so a full embed plus a title still fits in a message's 6000 characters.
  const pieces = chunkText(description, LIMITS.embedDescription);
  return pieces.map((piece, i) => {
    const block: EmbedBlock = { description: piece };
    block.title = i === 0 ? safeTitle : `${safeTitle.slice(0, LIMITS.embedTitle - 14)} (continued)`;
    if (color !== undefined) block.color = color;
    return block;
  });
}

/** Packs embeds into messages: at most 10 each and 6000 characters in all. Order is kept. */
export function packMessages(blocks: EmbedBlock[]): EmbedBlock[][] {
  const messages: EmbedBlock[][] = [];
  let current: EmbedBlock[] = [];
  let size = 0;
  for (const block of blocks) {
    const blockSize = sizeOf(block);
    if (blockSize > LIMITS.charactersPerMessage) throw new Error('an embed is larger than a message may be');
    if (current.length === LIMITS.embedsPerMessage || size + blockSize > LIMITS.charactersPerMessage) {
      messages.push(current);
      current = [];
      size = 0;
    }
    current.push(block);
    size += blockSize;
  }
  if (current.length > 0) messages.push(current);
  return messages;
}
