/** The buttons that answer a prompt, from its input spec: a choice each, or one "write" button. */
import type { Prompt } from '../engine/prompt.js';
import { buttonRows, type Row } from './components.js';
import choose from './interactions/choose.js';
import write from './interactions/write.js';

export function answerRows(prompt: Prompt): Row[] {
  const input = prompt.input;
  if (input.kind === 'choice') {
    return buttonRows(
      ...input.options.map((option) => ({
        customId: input.note
          ? write.customId({ key: prompt.key, choice: option.value })
          : choose.customId({ key: prompt.key, choice: option.value }),
        label: option.label,
      })),
    );
  }
  const label = input.kind === 'list' ? 'Write your points' : 'Write your answer';
  return buttonRows({ customId: write.customId({ key: prompt.key }), label });
}
