/** "Yes, end it": the conversation ends for both, and its summary follows. */
import { applyControl } from '../controls.js';
import { defineButton, noArgs } from '../interaction.js';

export default defineButton({
  name: 'end-confirm',
  ...noArgs,
  run: (interaction, context) =>
    applyControl(interaction, context, { id: `end:${interaction.id}`, action: 'end' }, 'The conversation has ended.'),
});
