/**
 * "Start another conversation", under a summary: either of the two starts the flow they chose,
 * with the other, in the same private channel — no need to type /talk flow:… partner:@….
 */
import type { GuildMember } from 'discord.js';
import { reject } from '../../engine/rejections.js';
import { FINISHED } from '../../engine/session-record.js';
import { isPrivateToCouple } from '../channels.js';
import { channelIdOf, defineButton } from '../interaction.js';
import { replyPrivately } from '../reply.js';
import { startHere } from '../start-here.js';
import { displayName } from '../starting.js';

export default defineButton<{ flow: string; a: string; b: string }>({
  name: 'again',
  encode: ({ flow, a, b }) => [flow, a, b],
  parse: ([flow, a, b]) => (flow && a && b ? { flow, a, b } : undefined),
  async run(interaction, context, { flow, a, b }) {
    if (!interaction.inCachedGuild() || !interaction.channel) return { outcome: 'not-in-guild' };
    const me = interaction.user.id;
    const partnerId = me === a ? b : me === b ? a : undefined;
    if (!partnerId) {
      await replyPrivately(interaction, reject('not-partner').message);
      return { outcome: 'not-partner' };
    }
    const channelId = channelIdOf(interaction);
    const open = await context.sessions.view(channelId);
    if (open && !FINISHED.has(open.status)) {
      await replyPrivately(interaction, reject('session-active').message);
      return { outcome: 'session-active', view: open };
    }
    const guild = interaction.guild;
    const partner: GuildMember | undefined =
      guild.members.cache.get(partnerId) ?? (await guild.members.fetch(partnerId).catch(() => undefined));
    if (!partner || !(await isPrivateToCouple(interaction.channel, [me, partnerId]))) {
      await replyPrivately(
        interaction,
        'This channel is no longer private to the two of you, so I won’t start here. Type /talk to choose a place.',
      );
      return { outcome: 'not-private' };
    }
    return startHere(interaction, context, {
      channelId,
      guildId: guild.id,
      flowId: flow,
      starter: { id: me, name: displayName(interaction.user, interaction.member.nickname) },
      partner: { id: partnerId, name: displayName(partner.user, partner.nickname) },
    });
  },
});
