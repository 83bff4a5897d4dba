/** "Yes, erase it all": everything Mend stores about the two of them is erased. */
import { eraseCouple } from '../../engine/erase.js';
import { defineButton } from '../interaction.js';
import { notePayload } from '../note.js';

export default defineButton<{ partner: string }>({
  name: 'forget-confirm',
  encode: ({ partner }) => [partner],
  parse: ([partner]) => (partner ? { partner } : undefined),
  async run(interaction, context, { partner }) {
    if (!interaction.inGuild()) return { outcome: 'not-in-guild' };
    // Erasing scrubs the store's files too (on PostgreSQL a table rewrite): acknowledge first.
    await interaction.deferUpdate();
    const erased = await eraseCouple(context.store, interaction.guildId, interaction.user.id, partner);
    await interaction.editReply({
      ...notePayload(
        erased > 0
          ? 'Done. Mend has erased what it kept about the two of you: your conversations, summaries waiting to be posted and any notes on them, your promises and check-ins, your history, and your agreement to what Mend keeps. Messages already in Discord stay until you delete them.'
          : 'Mend had nothing stored about the two of you. Messages already in Discord stay until you delete them.',
      ),
      components: [],
    });
    return { outcome: 'erased' };
  },
});
