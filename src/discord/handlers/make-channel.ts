/**
 * "Create a private channel for us": makes a channel only the couple and Mend can see, remembers
 * it as theirs, and starts the chosen conversation there.
 */
import { type ButtonInteraction, channelMention, MessageFlags } from 'discord.js';
import { rememberCouple } from '../../engine/couples.js';
import { createCoupleChannel } from '../channels.js';
import type { BotContext } from '../context.js';
import { postPrompt } from '../publish.js';
import { notePayload } from '../render.js';
import { startIn } from './start.js';
import { displayName } from './talk.js';

export async function makeChannel(
  interaction: ButtonInteraction,
  context: BotContext,
  flowId: string,
  partnerId: string,
): Promise<string> {
  if (!interaction.inCachedGuild()) return 'not-in-guild';
  // Creating a channel can take longer than Discord's 3 seconds: acknowledge first.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const guild = interaction.guild;
  const partner = guild.members.cache.get(partnerId) ?? (await guild.members.fetch(partnerId).catch(() => undefined));
  if (!partner) {
    await interaction.editReply(notePayload('I couldn’t find your partner in this server. Are they still a member?'));
    return 'partner-not-found';
  }
  const starterName = displayName(interaction.user, interaction.member.nickname);
  const partnerName = displayName(partner.user, partner.nickname);
  const created = await createCoupleChannel(
    guild,
    [
      { id: interaction.user.id, name: starterName },
      { id: partner.id, name: partnerName },
    ],
    context.client.user?.id ?? '',
  );
  if (!created.ok) {
    await interaction.editReply(notePayload(created.message));
    return created.reason;
  }
  const channel = created.channel;
  await rememberCouple(context.store, guild.id, interaction.user.id, partner.id, channel.id, context.now());
  const started = await startIn(context, {
    channelId: channel.id,
    guildId: guild.id,
    flowId,
    starter: { id: interaction.user.id, name: starterName },
    partner: { id: partner.id, name: partnerName },
  });
  if (!started.ok) {
    await interaction.editReply(notePayload(started.message));
    return started.code;
  }
  await channel.send(started.intro);
  await postPrompt(context, started.view);
  await interaction.editReply(
    notePayload(`Your private channel is ready: ${channelMention(channel.id)}. See you there.`),
  );
  return 'channel-created';
}
