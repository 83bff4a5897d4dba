/**
 * "Look it over", under the closing note of a finished conversation: the summary's at-a-glance part,
 * privately, to confirm or add a note before it is posted. Anyone but the two partners is told so.
 */
import { reviewMessages } from '../approval/record-review.js';
import { sessionIdArgs } from '../approval/record-standing.js';
import { defineButton } from '../interaction.js';
import { replyPrivately } from '../reply.js';

export default defineButton<{ sessionId: string }>({
  name: 'review-record',
  ...sessionIdArgs,
  async run(interaction, context, { sessionId }) {
    const entry = await context.sessions.outbox.get(sessionId);
    if (!entry) {
      await replyPrivately(interaction, 'This summary is no longer kept here (it was erased, or its time ran out).');
      return { outcome: 'no-summary' };
    }
    if (!entry.partnerIds.includes(interaction.user.id)) {
      await replyPrivately(interaction, 'This summary is for the two people in this conversation to look over.');
      return { outcome: 'not-partner' };
    }
    if (!entry.approval) {
      await replyPrivately(interaction, 'This summary is posted straight away; there is nothing to look over.');
      return { outcome: 'no-approval' };
    }
    const [first, ...rest] = reviewMessages(entry, interaction.user.id);
    if (first) await replyPrivately(interaction, first);
    for (const message of rest) await replyPrivately(interaction, message);
    return { outcome: 'record-shown' };
  },
});
