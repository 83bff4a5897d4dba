/** The addition form's submit: a few words added to an answer the other partner has read. */
import { refOfKey } from '../../engine/prompt.js';
import { defineModal } from '../interaction.js';

export const ADDITION_FIELD = 'addition';

export default defineModal<{ key: string }>({
  name: 'addition',
  encode: ({ key }) => [key],
  parse: ([key]) => (key && refOfKey(key) ? { key } : undefined),
  run: (interaction, context, { key }) =>
    context.answering.add(interaction, key, interaction.fields.getTextInputValue(ADDITION_FIELD)),
});
