/**
 * /talk: start a conversation in the couple's private channel, offer to make one when the channel
 * is not private, or — when one is already open here — offer to pick it up or end it.
 */
import {
  type ChatInputCommandInteraction,
  channelMention,
  type GuildBasedChannel,
  InteractionContextType,
  SlashCommandBuilder,
  type User,
} from 'discord.js';
import { type FlowRegistry, listedFlows, startableFlow } from '../../engine/flow-registry.js';
import type { SessionView } from '../../engine/session.js';
import { FINISHED } from '../../engine/session-record.js';
import { isPrivateToCouple } from '../channels.js';
import { buttonRows } from '../components.js';
import type { BotContext, Handled } from '../context.js';
import { defineCommand } from '../interaction.js';
import { safeText } from '../note.js';
import { replyPrivately } from '../reply.js';
import { startHere } from '../start-here.js';
import { displayName } from '../starting.js';
import end from './end.js';
import makeChannel from './make-channel.js';
import resume from './resume.js';

type GuildCommand = ChatInputCommandInteraction<'cached'>;

export default defineCommand({
  name: 'talk',
  data: (flows: FlowRegistry) =>
    new SlashCommandBuilder()
      .setName('talk')
      .setDescription('Start, or pick up, a guided conversation with your partner')
      .setContexts(InteractionContextType.Guild)
      .addStringOption((option) =>
        option
          .setName('flow')
          .setDescription('Which conversation to have')
          .setRequired(false)
          .addChoices(...listedFlows(flows).map((f) => ({ name: f.title.slice(0, 100), value: f.id }))),
      )
      .addUserOption((option) =>
        option.setName('partner').setDescription('Your partner in this conversation').setRequired(false),
      )
      .toJSON(),

  async execute(interaction, context): Promise<Handled> {
    if (!interaction.inCachedGuild() || !interaction.channel) {
      await replyPrivately(interaction, 'Mend works inside a server channel. Please use /talk there.');
      return { outcome: 'not-in-guild' };
    }
    const existing = await context.sessions.view(interaction.channelId);
    if (existing && !FINISHED.has(existing.status)) return offerToPickUpOrEnd(interaction, existing);

    const flowId = interaction.options.getString('flow');
    const partner = interaction.options.getUser('partner');
    if (!flowId || !partner) return askForFlowAndPartner(interaction, context);
    if (partner.bot || partner.id === interaction.user.id) {
      await replyPrivately(
        interaction,
        'Mend guides a conversation between two people — please choose your partner as `partner`.',
      );
      return { outcome: 'bad-partner' };
    }
    if (!startableFlow(context.flows, flowId)) {
      await replyPrivately(
        interaction,
        `I don't know that conversation. These are the ones I can guide:\n${flowList(context)}`,
      );
      return { outcome: 'unknown-flow' };
    }
    const channel = interaction.channel as GuildBasedChannel;
    if (!(await isPrivateToCouple(channel, [interaction.user.id, partner.id]))) {
      return offerPrivateChannel(interaction, context, flowId, partner);
    }
    return startWith(interaction, context, flowId, partner);
  },
});

function flowList(context: BotContext): string {
  return listedFlows(context.flows)
    .map((f) => `• **${safeText(f.title)}** — ${safeText(f.description)}`)
    .join('\n');
}

/** One conversation per channel: the one already open can be picked up, or ended. */
async function offerToPickUpOrEnd(interaction: GuildCommand, existing: SessionView): Promise<Handled> {
  const paused = existing.status === 'paused';
  // A safety pause goes on only when both choose to: never offer one partner to pick it up alone.
  const held = paused && existing.context.pause?.safety === true;
  const title = `**${safeText(existing.flow.title)}**`;
  await replyPrivately(
    interaction,
    held
      ? `${title} is open here and paused for now. It continues only when you both choose to: each of you presses “I am ready to continue”. You can also end it.`
      : `${title} is already open here${paused ? ' and on a break' : ''}. Would you like to pick it up where you left off, or end it?`,
    {
      title: 'A conversation is open',
      components: buttonRows(
        {
          customId: resume.customId(),
          label: held ? 'I am ready to continue' : paused ? 'Pick it up again' : 'Show where we are',
        },
        { customId: end.customId(), label: 'End it', style: 'secondary' },
      ),
    },
  );
  return { outcome: 'offered-resume', view: existing };
}

async function askForFlowAndPartner(interaction: GuildCommand, context: BotContext): Promise<Handled> {
  await replyPrivately(
    interaction,
    `Choose a conversation and your partner: \`/talk flow:… partner:@…\`\n\n${flowList(context)}\n\nMend is a structure for talking, not a therapist — you can pause or stop at any moment.`,
    { title: 'What would you like to talk about?' },
  );
  return { outcome: 'asked-for-options' };
}

/** What they write deserves privacy: offer a channel only the two of them (and Mend) can see. */
async function offerPrivateChannel(
  interaction: GuildCommand,
  context: BotContext,
  flowId: string,
  partner: User,
): Promise<Handled> {
  const remembered = await context.couples.find(interaction.guildId, interaction.user.id, partner.id);
  const known =
    remembered &&
    remembered.channelId !== interaction.channelId &&
    interaction.guild.channels.cache.has(remembered.channelId);
  const where = known
    ? `\n\nYour private channel is ${channelMention(remembered.channelId)} — you can type /talk there.`
    : '';
  await replyPrivately(
    interaction,
    `This channel isn’t private to the two of you, and what you write deserves privacy. I can create a channel only you, ${safeText(displayName(partner))} and Mend can see, and we’ll continue there.${where}`,
    {
      title: 'Somewhere private first',
      components: buttonRows({
        customId: makeChannel.customId({ flow: flowId, partner: partner.id }),
        label: 'Create a private channel for us',
      }),
    },
  );
  return { outcome: 'offered-private-channel' };
}

function startWith(interaction: GuildCommand, context: BotContext, flowId: string, partner: User): Promise<Handled> {
  const partnerMember = interaction.options.getMember('partner');
  const nickname = partnerMember && 'nickname' in partnerMember ? partnerMember.nickname : null;
  return startHere(interaction, context, {
    channelId: interaction.channelId,
    guildId: interaction.guildId,
    flowId,
    starter: { id: interaction.user.id, name: displayName(interaction.user, interaction.member.nickname) },
    partner: { id: partner.id, name: displayName(partner, nickname) },
  });
}
