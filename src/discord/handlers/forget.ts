/**
 * /forget: either partner can erase everything Mend stores about the two of them — sessions,
 * the couple record, queued summaries. Confirmed first; messages already posted in Discord
 * cannot be erased by Mend, and the reply says so.
 */
import {
  ActionRowBuilder,
  ButtonBuilder,
  type ButtonInteraction,
  ButtonStyle,
  type ChatInputCommandInteraction,
  MessageFlags,
} from 'discord.js';
import { eraseCouple } from '../../engine/erase.js';
import type { Command } from '../commands.js';
import type { BotContext } from '../context.js';
import { encodeCustomId } from '../custom-ids.js';
import { notePayload } from '../render.js';

const ephemeral = MessageFlags.Ephemeral;

export const forgetCommand: Command = {
  name: 'forget',
  async execute(interaction: ChatInputCommandInteraction, _context: BotContext): Promise<string> {
    const partner = interaction.options.getUser('partner', true);
    if (!interaction.inGuild() || partner.id === interaction.user.id) {
      await interaction.reply({ ...notePayload('Please name your partner: `/forget partner:@…`.'), flags: ephemeral });
      return 'bad-partner';
    }
    await interaction.reply({
      ...notePayload(
        'This erases everything Mend keeps about you and your partner: open and finished conversations, summaries waiting to be posted, and your remembered channel. It cannot be undone.\n\nMend cannot erase messages already posted in Discord — you can delete those yourselves, or delete the channel.',
        'Erase everything?',
      ),
      components: [
        new ActionRowBuilder<ButtonBuilder>()
          .addComponents(
            new ButtonBuilder()
              .setCustomId(encodeCustomId({ action: 'forget-confirm', partner: partner.id }))
              .setLabel('Yes, erase it all')
              .setStyle(ButtonStyle.Danger),
          )
          .toJSON(),
      ],
      flags: ephemeral,
    });
    return 'asked-to-confirm-forget';
  },
};

export async function forgetNow(
  interaction: ButtonInteraction,
  context: BotContext,
  partnerId: string,
): Promise<string> {
  if (!interaction.inGuild()) return 'not-in-guild';
  const erased = await eraseCouple(
    context.store,
    context.sessions,
    interaction.guildId,
    interaction.user.id,
    partnerId,
  );
  await interaction.update({
    ...notePayload(
      erased > 0
        ? 'Done. Mend no longer keeps anything about the two of you. Messages already in Discord stay until you delete them.'
        : 'Mend had nothing stored about the two of you. Messages already in Discord stay until you delete them.',
    ),
    components: [],
  });
  return 'erased';
}
