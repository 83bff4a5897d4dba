/** Everything typed in a form, echoed privately when it could not be used, so nothing is lost. */
import type { AnswerValue } from '../engine/flow-types.js';

export function echoOf(value: AnswerValue): string {
  const typed = [value.text, value.note, value.items?.join('\n')].filter((t): t is string => Boolean(t?.trim()));
  if (typed.length === 0) return '';
  const body = typed.join('\n').replace(/```/g, "'''");
  return `\n\nHere is what you wrote, so you can copy it:\n\`\`\`\n${body.slice(0, 3500)}\n\`\`\``;
}
