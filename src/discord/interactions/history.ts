/**
 * /history: the couple's past conversations — flow, date, how each ended, a link to its summary —
 * shown privately to the one who asks (either partner; nobody else), a page at a time.
 */
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../interaction.js';
import { partnerNamedOrHere } from '../partner-here.js';
import { replyPrivately } from '../reply.js';
import { historyReply } from './history-page.js';

export default defineCommand({
  name: 'history',
  data: () =>
    new SlashCommandBuilder()
      .setName('history')
      .setDescription('The conversations you and your partner have had, with their summaries (only you see it)')
      .setContexts(InteractionContextType.Guild)
      .addUserOption((option) => option.setName('partner').setDescription('Your partner').setRequired(false))
      .toJSON(),
  async execute(interaction, context) {
    const partner = await partnerNamedOrHere(interaction, context);
    if (!interaction.inCachedGuild() || !partner) {
      await replyPrivately(interaction, 'Please name your partner: `/history partner:@…`.');
      return { outcome: 'bad-partner' };
    }
    await replyPrivately(interaction, await historyReply(context, interaction.guild, interaction.user.id, partner, 0));
    return { outcome: 'history-shown' };
  },
});
