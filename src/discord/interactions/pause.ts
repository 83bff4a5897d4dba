/** "Pause": either partner asks for a break; they choose how long in a private menu. */

import { BREAKS } from '../../engine/break-lengths.js';
import { pausedRejection } from '../../engine/rejections.js';
import { selectRow } from '../components.js';
import { defineButton, noArgs } from '../interaction.js';
import { sessionOfPartner } from '../partners.js';
import { replyPrivately } from '../reply.js';
import breakLength from './break-length.js';

export default defineButton({
  name: 'pause',
  ...noArgs,
  async run(interaction, context) {
    const session = await sessionOfPartner(interaction, context);
    if ('refused' in session) return { outcome: session.refused, view: session.view };
    if (session.view.status === 'paused') {
      // Already paused: say so now (a safety hold truthfully), rather than after a menu.
      const refusal = pausedRejection(session.view.context.pause);
      await replyPrivately(interaction, refusal.message);
      return { outcome: refusal.code, view: session.view };
    }
    await replyPrivately(interaction, 'How long a break would help? I’ll remind you both when it’s time.', {
      title: 'Take a break',
      components: [
        selectRow(
          breakLength.customId(),
          'Choose how long',
          BREAKS.map((b) => ({ label: b.label, value: b.value })),
        ),
      ],
    });
    return { outcome: 'asked-break-length', view: session.view };
  },
});
