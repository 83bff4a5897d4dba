/**
 * /safety: the resources and a safety-planning note, for either partner at any time, privately —
 * nothing appears in the channel. The one who raised a hold on joint conversations (named by
 * `partner`, or the partner in this channel's conversation) also gets the button to lift it.
 */
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { buttonRows } from '../components.js';
import { safetyHelp } from '../gate/safety-notes.js';
import { defineCommand } from '../interaction.js';
import { partnerNamedOrHere } from '../partner-here.js';
import { replyPrivately } from '../reply.js';
import liftHold from './lift-hold.js';

export default defineCommand({
  name: 'safety',
  data: () =>
    new SlashCommandBuilder()
      .setName('safety')
      .setDescription('Places to turn for help, shown only to you')
      .setContexts(InteractionContextType.Guild)
      .addUserOption((option) =>
        option.setName('partner').setDescription('Your partner (to lift a pause you asked for)').setRequired(false),
      )
      .toJSON(),
  async execute(interaction, context) {
    const partner = await partnerNamedOrHere(interaction, context);
    const record =
      interaction.inGuild() && partner
        ? await context.couples.find(interaction.guildId, interaction.user.id, partner)
        : undefined;
    const mayLift = partner !== undefined && record?.hold?.raisedBy === interaction.user.id;
    await replyPrivately(interaction, safetyHelp(context.safetyResources), {
      title: 'Help, if you need it',
      ...(mayLift
        ? {
            components: buttonRows({
              customId: liftHold.customId({ partner, stage: 'ask' }),
              label: 'Lift the pause on joint conversations',
              style: 'secondary',
            }),
          }
        : {}),
    });
    return { outcome: 'safety-shown' };
  },
});
