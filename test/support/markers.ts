/**
 * Answers that can be found byte for byte: every text a script types (answers, notes, list items)
 * starts with a word made for this one test — `<tag><random>-<n>.` — that no flow, prompt or other
 * answer contains, so a search of a store's raw bytes for it finds exactly that answer or nothing.
 */
import { randomBytes } from 'node:crypto';
import type { AnswerValue } from '../../src/engine/flow-types.js';
import type { AnswerEvent } from './conversation.js';

export interface MarkedScript {
  script: AnswerEvent[];
  /** Every marker typed, one per text. */
  markers: string[];
}

/**
 * The script with the head of each text replaced by a marker of the same length, so lengths (and
 * the flow's limits) stay as the script had them.
 */
export function markAnswers(script: readonly AnswerEvent[], tag: string): MarkedScript {
  const stem = `${tag}${randomBytes(4).toString('hex')}-`;
  const markers: string[] = [];
  const mark = (text: string) => {
    // The full stop ends it, so marker 1 is not found inside marker 10.
    const marker = `${stem}${markers.length}.`;
    if (text.length <= marker.length) throw new Error(`"${text}" is too short to carry the marker ${marker}`);
    markers.push(marker);
    return `${marker}${text.slice(marker.length)}`;
  };
  const marked = script.map((event) => {
    const value: AnswerValue = { ...event.value };
    if (value.text !== undefined) value.text = mark(value.text);
    if (value.note !== undefined) value.note = mark(value.note);
    if (value.items !== undefined) value.items = value.items.map(mark);
    return { ...event, value };
  });
  return { script: marked, markers };
}
