/** The buttons that answer a prompt, from its input spec: a choice each, or one "write" button. */
import type { Prompt } from '../engine/prompt.js';
import { buttonRows, type Row } from './components.js';
import choose from './interactions/choose.js';
import write from './interactions/write.js';

/** Whether a choice opens the note's form, or answers at once. */
const takesNote = (input: Extract<Prompt['input'], { kind: 'choice' }>, value: string): boolean =>
  input.note !== undefined && (input.note.onlyFor === undefined || input.note.onlyFor.includes(value));

/** `fill` puts names in for role placeholders (an option may say "I’d like {b} to"). */
export function answerRows(prompt: Prompt, fill: (text: string) => string): Row[] {
  const input = prompt.input;
  if (input.kind === 'choice') {
    return buttonRows(
      ...input.options.map((option) => ({
        customId: takesNote(input, option.value)
          ? write.customId({ key: prompt.key, choice: option.value })
          : choose.customId({ key: prompt.key, choice: option.value }),
        label: fill(option.label),
      })),
    );
  }
  const label = input.kind === 'list' ? 'Write your list' : 'Write your answer';
  return buttonRows({ customId: write.customId({ key: prompt.key }), label });
}
