/** A new choice for a sealed answer still waiting for the other partner's. */
import { refOfKey } from '../../engine/prompt.js';
import { defineButton } from '../interaction.js';

export default defineButton<{ key: string; choice: string }>({
  name: 'rechoose',
  encode: ({ key, choice }) => [key, choice],
  parse: ([key, choice]) => (key && refOfKey(key) && choice !== undefined ? { key, choice } : undefined),
  run: (interaction, context, { key, choice }) => context.answering.revise(interaction, key, { choice }),
});
