/** "End": either partner may stop at any moment; they confirm first, privately. */
import { buttonRows } from '../components.js';
import { defineButton, noArgs } from '../interaction.js';
import { sessionOfPartner } from '../partners.js';
import { replyPrivately } from '../reply.js';
import endConfirm from './end-confirm.js';

export default defineButton({
  name: 'end',
  ...noArgs,
  async run(interaction, context) {
    const session = await sessionOfPartner(interaction, context);
    if ('refused' in session) return { outcome: session.refused, view: session.view };
    await replyPrivately(
      interaction,
      'End this conversation now? Everything written so far goes into the summary for you both. You can always start again later.',
      {
        title: 'End the conversation?',
        components: buttonRows({ customId: endConfirm.customId(), label: 'Yes, end it', style: 'danger' }),
      },
    );
    return { outcome: 'asked-to-confirm-end', view: session.view };
  },
});
