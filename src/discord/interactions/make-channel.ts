/**
 * "Create a private channel for us": makes a channel only the couple and Mend can see, remembers
 * it as theirs, and starts the chosen conversation there.
 */
import { channelMention, MessageFlags } from 'discord.js';
import { gateOf } from '../../engine/couples.js';
import { startableFlow } from '../../engine/flow-registry.js';
import { reject } from '../../engine/rejections.js';
import { createCoupleChannel } from '../channels.js';
import { admit } from '../gate/admit.js';
import { heldMessage } from '../gate/safety-notes.js';
import { defineButton } from '../interaction.js';
import { notePayload } from '../note.js';
import { replyPrivately } from '../reply.js';
import { displayName, startIn } from '../starting.js';

export default defineButton<{ flow: string; partner: string }>({
  name: 'make-channel',
  encode: ({ flow, partner }) => [flow, partner],
  parse: ([flow, partner]) => (flow && partner ? { flow, partner } : undefined),
  async run(interaction, context, { flow, partner: partnerId }) {
    if (!interaction.inCachedGuild()) return { outcome: 'not-in-guild' };
    if (!startableFlow(context.flows, flow)) {
      await replyPrivately(interaction, reject('unknown-flow').message);
      return { outcome: 'unknown-flow' };
    }
    // Creating a channel can take longer than Discord's 3 seconds: acknowledge first.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const guild = interaction.guild;
    const partner = guild.members.cache.get(partnerId) ?? (await guild.members.fetch(partnerId).catch(() => undefined));
    if (!partner) {
      await interaction.editReply(notePayload('I couldn’t find your partner in this server. Are they still a member?'));
      return { outcome: 'partner-not-found' };
    }
    const starter = { id: interaction.user.id, name: displayName(interaction.user, interaction.member.nickname) };
    const invited = { id: partner.id, name: displayName(partner.user, partner.nickname) };
    // A held couple gets no new channel either.
    const gate = gateOf(await context.couples.find(guild.id, starter.id, invited.id), [starter.id, invited.id]);
    if (gate.kind === 'held') {
      await interaction.editReply(notePayload(heldMessage(starter.id, gate.raisedBy)));
      return { outcome: 'not-available' };
    }
    const created = await createCoupleChannel(guild, [starter, invited], context.client.user?.id ?? '');
    if (!created.ok) {
      await interaction.editReply(notePayload(created.message));
      return { outcome: created.reason };
    }
    const channel = created.channel;
    const request = { channelId: channel.id, guildId: guild.id, flowId: flow, starter, partner: invited };
    const admission = await admit(context, request);
    if (admission.kind === 'held') {
      await interaction.editReply(notePayload(admission.message));
      return { outcome: 'not-available' };
    }
    if (admission.kind === 'waiting') {
      await channel.send(admission.payload);
      await interaction.editReply(
        notePayload(
          `Your private channel is ready: ${channelMention(channel.id)}. Two short private steps for each of you come first — see you there.`,
        ),
      );
      return { outcome: 'channel-created' };
    }
    const started = await startIn(context, request);
    if (!started.ok) {
      await interaction.editReply(notePayload(started.message));
      return { outcome: started.code };
    }
    await channel.send(started.intro);
    await context.present.prompt(started.view);
    await interaction.editReply(
      notePayload(`Your private channel is ready: ${channelMention(channel.id)}. See you there.`),
    );
    return { outcome: 'channel-created', view: started.view };
  },
});
