/** "What was said": earlier answers a prompt quotes, each under its heading, markdown-safe. */
import { fillNames, type Prompt } from '../engine/prompt.js';
import type { SessionView } from '../engine/session.js';
import { safeText } from './note.js';

export function quoteLines(view: SessionView, prompt: Prompt): string {
  return prompt.quotes
    .map((q) => {
      const heading = q.label ? fillNames(q.label, view.context.roles, view.nameOf) : `${view.nameOf(q.by)} wrote`;
      const body = safeText(q.text)
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
      return `**${safeText(heading)}**\n${body}`;
    })
    .join('\n\n');
}
