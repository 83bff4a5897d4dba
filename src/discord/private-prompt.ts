/** A private prompt (the apology review), shown only to its author as an ephemeral reply. */
import { fillNames, type Prompt } from '../engine/prompt.js';
import type { SessionView } from '../engine/session.js';
import { answerRows } from './answer-buttons.js';
import { COLOR, clip, embedOf, type MessagePayload, safeText } from './note.js';
import { quoteLines } from './quotes.js';
import { LIMITS, packMessages, sectionBlocks } from './split.js';

export function privatePromptPayload(view: SessionView, prompt: Prompt): MessagePayload {
  const fill = (text: string) => fillNames(text, view.context.roles, view.nameOf);
  const parts = [safeText(fill(prompt.text))];
  const quoted = quoteLines(view, prompt);
  if (quoted) parts.push(quoted);
  const blocks = sectionBlocks(clip(fill(prompt.title), LIMITS.embedTitle), parts.join('\n\n'), COLOR.calm);
  // Discord marks the message itself as seen only by them; the note need not say it again.
  return {
    content: '',
    embeds: packMessages(blocks)[0]?.map(embedOf) ?? [],
    components: answerRows(prompt, fill),
    allowedMentions: { parse: [] },
  };
}
