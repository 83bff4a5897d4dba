/**
 * The answer form's submit: its fields read into an answer, according to what the prompt asked,
 * and taken like any answer. A form for a step that has passed is refused kindly, with what was
 * typed echoed back so nothing is lost.
 */
import { valueFromForm } from '../form-fields.js';
import { defineModal } from '../interaction.js';

export default defineModal<{ key: string; choice?: string }>({
  name: 'form',
  encode: ({ key, choice }) => (choice === undefined ? [key] : [key, choice]),
  parse: ([key, choice]) => (key ? (choice === undefined ? { key } : { key, choice }) : undefined),
  // The fields are read by what the step asks, inside the engine's turn; a stale or finished step
  // is refused there, kindly, with what was typed echoed back.
  run: (interaction, context, { key, choice }) =>
    context.answering.submit(interaction, key, (prompt) => valueFromForm(interaction, prompt.input, choice)),
});
