/**
 * An export as the files a person receives: `mend-export.md` and `mend-export.json`, each split into
 * numbered parts when it is larger than one file may be (`mend-export-part-1.md`, …). Markdown is cut
 * between conversations (a conversation larger than a file, between its lines); JSON into parts that
 * each parse on their own, every part carrying who and when, conversations whole where they fit and
 * in numbered pieces where one alone is too large. Nothing is ever cut off.
 */

import { markdownBlocks } from './export-markdown.js';
import type { ExportConversation, ExportDocument, ExportSummary } from './export-types.js';

export interface ExportFile {
  name: string;
  data: Buffer;
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const toJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Something that could not be made to fit (one answer larger than a whole file may be). */
export class ExportTooLargeError extends Error {}

/** Both files, Markdown first, each at most `maxBytes` (in parts where needed). */
export function exportFiles(doc: ExportDocument, maxBytes: number): ExportFile[] {
  return [...markdownFiles(doc, maxBytes), ...jsonFiles(doc, maxBytes)];
}

export const markdownFiles = (doc: ExportDocument, maxBytes: number): ExportFile[] =>
  named(markdownParts(markdownBlocks(doc), maxBytes), 'md');

export const jsonFiles = (doc: ExportDocument, maxBytes: number): ExportFile[] =>
  named(jsonParts(doc, maxBytes), 'json');

function named(parts: string[], extension: string): ExportFile[] {
  if (parts.length === 1) return [{ name: `mend-export.${extension}`, data: Buffer.from(parts[0] ?? '', 'utf8') }];
  return parts.map((text, i) => ({ name: `mend-export-part-${i + 1}.${extension}`, data: Buffer.from(text, 'utf8') }));
}

/** Fills parts with pieces in order, each part at most `maxBytes` once joined. */
function pack(pieces: string[], separator: string, maxBytes: number): string[] {
  const parts: string[] = [];
  let current: string | undefined;
  for (const piece of pieces) {
    const joined = current === undefined ? piece : `${current}${separator}${piece}`;
    if (bytes(joined) <= maxBytes) current = joined;
    else {
      if (current !== undefined) parts.push(current);
      current = piece;
    }
  }
  if (current !== undefined) parts.push(current);
  return parts;
}

/** Blocks (conversations) whole where they fit; one too large is cut between lines, a line too long between characters. */
function markdownParts(blocks: string[], maxBytes: number): string[] {
  const pieces = blocks
    .map((b) => `${b}\n`)
    .flatMap((block) => (bytes(block) <= maxBytes ? [block] : linesOf(block, maxBytes)));
  return pack(pieces, '\n', maxBytes);
}

function linesOf(block: string, maxBytes: number): string[] {
  const lines = block.split('\n');
  const pieces = lines.flatMap((line) => (bytes(line) <= maxBytes ? [line] : charactersOf(line, maxBytes)));
  return pack(pieces, '\n', maxBytes);
}

function charactersOf(line: string, maxBytes: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const character of line) {
    if (bytes(current + character) > maxBytes) {
      pieces.push(current);
      current = '';
    }
    current += character;
  }
  return [...pieces, current];
}

/** One part of a split JSON export: the couple, the promises and the history are in the first. */
type JsonPart = Omit<ExportDocument, 'couple' | 'promises'> &
  Partial<Pick<ExportDocument, 'couple' | 'promises' | 'history'>>;

/** The JSON whole when it fits; otherwise parts that each parse on their own. */
function jsonParts(doc: ExportDocument, maxBytes: number): string[] {
  const whole = toJson(doc);
  if (bytes(whole) <= maxBytes) return [whole];
  const { couple, promises, history, conversations, ...head } = doc;
  // Sized with the largest part numbers there could be, so numbering them afterwards never grows a part.
  const placeholder = { number: Number.MAX_SAFE_INTEGER, of: Number.MAX_SAFE_INTEGER };
  const first: JsonPart = {
    ...head,
    part: placeholder,
    couple,
    promises,
    ...(history ? { history } : {}),
    conversations: [],
  };
  const later = (): JsonPart => ({ ...head, part: placeholder, conversations: [] });
  if (bytes(toJson(first)) > maxBytes) throw new ExportTooLargeError('the export’s opening does not fit in one file');
  const parts = [first];
  for (const piece of conversations.flatMap((c) => piecesOf(c, later, maxBytes))) {
    const current = parts.at(-1) ?? first;
    current.conversations.push(piece);
    if (bytes(toJson(current)) <= maxBytes) continue;
    current.conversations.pop();
    const next = later();
    next.conversations.push(piece);
    parts.push(next);
  }
  return parts.map((part, i) => toJson({ ...part, part: { number: i + 1, of: parts.length } }));
}

/**
 * A conversation as it goes into a part: whole when it fits alone, else in numbered pieces, each with
 * the conversation's details. Its answers, and its summary's highlights and steps, are spread over the
 * pieces in order (the summary's other fields are in each piece that has some of it): put back
 * together, the lists are concatenated.
 */
function piecesOf(
  conversation: ExportConversation,
  emptyPart: () => { conversations: ExportConversation[] },
  maxBytes: number,
): ExportConversation[] {
  const fits = (c: ExportConversation) => bytes(toJson({ ...emptyPart(), conversations: [c] })) <= maxBytes;
  if (fits(conversation)) return [conversation];
  const { answers, summary, ...details } = conversation;
  const placeholder = { number: Number.MAX_SAFE_INTEGER, of: Number.MAX_SAFE_INTEGER };
  const fresh = (): ExportConversation => ({ ...details, piece: placeholder, ...(answers ? { answers: [] } : {}) });
  const withSummary = (piece: ExportConversation): ExportSummary => {
    piece.summary ??= summary && { ...summary, highlights: [], steps: [] };
    return piece.summary as ExportSummary;
  };
  type Fragment = (piece: ExportConversation) => void;
  const fragments: Fragment[] = [
    ...(answers ?? []).map(
      (answer): Fragment =>
        (piece) =>
          piece.answers?.push(answer),
    ),
    ...(summary?.highlights ?? []).map(
      (section): Fragment =>
        (piece) =>
          withSummary(piece).highlights.push(section),
    ),
    ...(summary?.steps ?? []).map(
      (step): Fragment =>
        (piece) =>
          withSummary(piece).steps.push(step),
    ),
  ];
  const pieces: ExportConversation[] = [];
  let current = fresh();
  let empty = true;
  for (const add of fragments) {
    const grown = structuredClone(current);
    add(grown);
    if (fits(grown)) {
      current = grown;
      empty = false;
      continue;
    }
    if (empty) throw new ExportTooLargeError('one answer or summary step does not fit in one file');
    pieces.push(current);
    current = fresh();
    add(current);
    if (!fits(current)) throw new ExportTooLargeError('one answer or summary step does not fit in one file');
  }
  pieces.push(current);
  // A summary with no highlights or steps at all still belongs in the last piece.
  if (summary && !pieces.some((p) => p.summary)) withSummary(current);
  return pieces.map((piece, i) => ({ ...piece, piece: { number: i + 1, of: pieces.length } }));
}
