/**
 * /promises: the couple's open and settled promises, with every check-in in words, shown privately to
 * the one who asks (either partner; nobody else), a page at a time.
 */
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { defineCommand } from '../interaction.js';
import { partnerNamedOrHere } from '../partner-here.js';
import { replyPrivately } from '../reply.js';
import { promisesReply } from './promises-page.js';

export default defineCommand({
  name: 'promises',
  data: () =>
    new SlashCommandBuilder()
      .setName('promises')
      .setDescription('What you and your partner promised, and how it has gone (only you see it)')
      .setContexts(InteractionContextType.Guild)
      .addUserOption((option) => option.setName('partner').setDescription('Your partner').setRequired(false))
      .toJSON(),
  async execute(interaction, context) {
    const partner = await partnerNamedOrHere(interaction, context);
    if (!interaction.inCachedGuild() || !partner) {
      await replyPrivately(interaction, 'Please name your partner: `/promises partner:@…`.');
      return { outcome: 'bad-partner' };
    }
    await replyPrivately(interaction, await promisesReply(context, interaction.guild, interaction.user.id, partner, 0));
    return { outcome: 'promises-shown' };
  },
});
