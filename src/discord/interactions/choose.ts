/** A choice answered straight from its button (a choice that takes no note). */
import { defineButton } from '../interaction.js';

export default defineButton<{ key: string; choice: string }>({
  name: 'choose',
  encode: ({ key, choice }) => [key, choice],
  parse: ([key, choice]) => (key && choice !== undefined ? { key, choice } : undefined),
  run: (interaction, context, { key, choice }) => context.answering.submit(interaction, key, { choice }),
});
