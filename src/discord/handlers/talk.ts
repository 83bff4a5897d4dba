/**
 * /talk: start a conversation in the couple's private channel, offer to make one when the channel
 * is not private, or — when one is already open here — offer to pick it up or end it.
 */
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type ChatInputCommandInteraction,
  channelMention,
  type GuildBasedChannel,
  MessageFlags,
  type User,
} from 'discord.js';
import { findCouple, rememberCouple } from '../../engine/couples.js';
import { FINISHED } from '../../engine/session-record.js';
import { isPrivateToCouple } from '../channels.js';
import type { Command } from '../commands.js';
import type { BotContext } from '../context.js';
import { encodeCustomId } from '../custom-ids.js';
import { postPrompt } from '../publish.js';
import { notePayload, safeText } from '../render.js';
import { noteSession } from '../trace.js';
import { startIn } from './start.js';

const ephemeral = MessageFlags.Ephemeral;

export const displayName = (user: User, nick?: string | null) => nick ?? user.globalName ?? user.username;

function flowList(context: BotContext): string {
  return [...context.flows.values()].map((f) => `• **${safeText(f.title)}** — ${safeText(f.description)}`).join('\n');
}

export const talkCommand: Command = {
  name: 'talk',
  async execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<string> {
    if (!interaction.inCachedGuild() || !interaction.channel) {
      await interaction.reply({
        ...notePayload('Mend works inside a server channel. Please use /talk there.'),
        flags: ephemeral,
      });
      return 'not-in-guild';
    }
    const existing = await context.sessions.view(interaction.channelId);
    noteSession(interaction, existing);
    if (existing && !FINISHED.has(existing.status)) {
      const paused = existing.status === 'paused';
      await interaction.reply({
        ...notePayload(
          `**${safeText(existing.flow.title)}** is already open here${paused ? ' and on a break' : ''}. Would you like to pick it up where you left off, or end it?`,
          'A conversation is open',
        ),
        components: [
          new ActionRowBuilder<ButtonBuilder>()
            .addComponents(
              new ButtonBuilder()
                .setCustomId(encodeCustomId({ action: 'resume' }))
                .setLabel(paused ? 'Pick it up again' : 'Show where we are')
                .setStyle(ButtonStyle.Primary),
              new ButtonBuilder()
                .setCustomId(encodeCustomId({ action: 'end' }))
                .setLabel('End it')
                .setStyle(ButtonStyle.Secondary),
            )
            .toJSON(),
        ],
        flags: ephemeral,
      });
      return 'offered-resume';
    }

    const flowId = interaction.options.getString('flow');
    const partner = interaction.options.getUser('partner');
    if (!flowId || !partner) {
      await interaction.reply({
        ...notePayload(
          `Choose a conversation and your partner: \`/talk flow:… partner:@…\`\n\n${flowList(context)}\n\nMend is a structure for talking, not a therapist — you can pause or stop at any moment.`,
          'What would you like to talk about?',
        ),
        flags: ephemeral,
      });
      return 'asked-for-options';
    }
    if (partner.bot || partner.id === interaction.user.id) {
      await interaction.reply({
        ...notePayload('Mend guides a conversation between two people — please choose your partner as `partner`.'),
        flags: ephemeral,
      });
      return 'bad-partner';
    }
    if (!context.flows.has(flowId)) {
      await interaction.reply({
        ...notePayload(`I don't know that conversation. These are the ones I can guide:\n${flowList(context)}`),
        flags: ephemeral,
      });
      return 'unknown-flow';
    }

    const channel = interaction.channel as GuildBasedChannel;
    if (!(await isPrivateToCouple(channel, [interaction.user.id, partner.id]))) {
      const remembered = await findCouple(context.store, interaction.guildId, interaction.user.id, partner.id);
      const known =
        remembered &&
        remembered.channelId !== interaction.channelId &&
        interaction.guild.channels.cache.has(remembered.channelId);
      const where = known
        ? `\n\nYour private channel is ${channelMention(remembered.channelId)} — you can type /talk there.`
        : '';
      await interaction.reply({
        ...notePayload(
          `This channel isn’t private to the two of you, and what you write deserves privacy. I can create a channel only you, ${safeText(displayName(partner))} and Mend can see, and we’ll continue there.${where}`,
          'Somewhere private first',
        ),
        components: [
          new ActionRowBuilder<ButtonBuilder>()
            .addComponents(
              new ButtonBuilder()
                .setCustomId(encodeCustomId({ action: 'make-channel', flow: flowId, partner: partner.id }))
                .setLabel('Create a private channel for us')
                .setStyle(ButtonStyle.Primary),
            )
            .toJSON(),
        ],
        flags: ephemeral,
      });
      return 'offered-private-channel';
    }

    const partnerMember = interaction.options.getMember('partner');
    const partnerName = displayName(
      partner,
      partnerMember && 'nickname' in partnerMember ? partnerMember.nickname : null,
    );
    const started = await startIn(context, {
      channelId: interaction.channelId,
      guildId: interaction.guildId,
      flowId,
      starter: { id: interaction.user.id, name: displayName(interaction.user, interaction.member.nickname) },
      partner: { id: partner.id, name: partnerName },
    });
    if (!started.ok) {
      await interaction.reply({ ...notePayload(started.message), flags: ephemeral });
      return started.code;
    }
    noteSession(interaction, started.view);
    await interaction.reply(started.intro);
    await rememberCouple(
      context.store,
      interaction.guildId,
      interaction.user.id,
      partner.id,
      interaction.channelId,
      context.now(),
    );
    await postPrompt(context, started.view);
    return 'started';
  },
};
