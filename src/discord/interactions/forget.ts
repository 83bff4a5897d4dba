/**
 * /forget: either partner can erase everything Mend stores about the two of them — sessions,
 * the couple record, queued summaries. Confirmed first; messages already posted in Discord
 * cannot be erased by Mend, and the reply says so.
 */
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { buttonRows } from '../components.js';
import { defineCommand } from '../interaction.js';
import { replyPrivately } from '../reply.js';
import forgetConfirm from './forget-confirm.js';

export default defineCommand({
  name: 'forget',
  data: () =>
    new SlashCommandBuilder()
      .setName('forget')
      .setDescription('Erase everything Mend keeps about you and your partner')
      .setContexts(InteractionContextType.Guild)
      .addUserOption((option) => option.setName('partner').setDescription('Your partner').setRequired(true))
      .toJSON(),
  async execute(interaction) {
    const partner = interaction.options.getUser('partner', true);
    if (!interaction.inGuild() || partner.id === interaction.user.id) {
      await replyPrivately(interaction, 'Please name your partner: `/forget partner:@…`.');
      return { outcome: 'bad-partner' };
    }
    await replyPrivately(
      interaction,
      'This erases everything Mend keeps about you and your partner: open and finished conversations, summaries waiting to be posted, your remembered channel, and your agreement to what Mend keeps — before another conversation, you would both be asked again. It cannot be undone.\n\nMend cannot erase messages already posted in Discord — you can delete those yourselves, or delete the channel.',
      {
        title: 'Erase everything?',
        components: buttonRows({
          customId: forgetConfirm.customId({ partner: partner.id }),
          label: 'Yes, erase it all',
          style: 'danger',
        }),
      },
    );
    return { outcome: 'asked-to-confirm-forget' };
  },
});
