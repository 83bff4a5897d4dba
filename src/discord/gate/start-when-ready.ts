/**
 * After one partner finished a step of the gate: the conversation that waits starts when both are
 * through, and the one who clicked is told, privately, what happens next.
 */
import { channelMention, type Guild, type GuildBasedChannel } from 'discord.js';
import { type CoupleRecord, gateOf } from '../../engine/couples.js';
import { FINISHED } from '../../engine/session-record.js';
import { channelOut } from '../channel-out.js';
import { isPrivateToCouple } from '../channels.js';
import type { BotContext } from '../context.js';
import { safeText } from '../note.js';
import { memberName, startIn } from '../starting.js';
import { heldMessage } from './safety-notes.js';

export async function startIfReady(
  context: BotContext,
  guild: Guild,
  userId: string,
  record: CoupleRecord,
): Promise<string> {
  const partnerId = record.partnerIds[0] === userId ? record.partnerIds[1] : record.partnerIds[0];
  const gate = gateOf(record, record.partnerIds);
  if (gate.kind === 'held') return heldMessage(userId, gate.raisedBy);
  const partnerName = await memberName(guild, partnerId);
  if (gate.kind !== 'open') {
    return gate.missing.includes(userId)
      ? `One more step for you: ${gate.kind === 'consent' ? '**What Mend keeps**' : '**My private check**'}, on the message in your channel.`
      : `Your conversation begins once ${safeText(partnerName ?? 'your partner')} has done both steps too.`;
  }
  const waiting = await context.couples.takeWaiting(guild.id, userId, partnerId, record.channelId);
  if (!waiting) return 'You are both ready. Type /talk whenever you want to begin.';
  const channel = guild.channels.cache.get(waiting.channelId);
  const starterId = waiting.starterId;
  const invitedId = starterId === userId ? partnerId : userId;
  const [starterName, invitedName] = [await memberName(guild, starterId), await memberName(guild, invitedId)];
  if (!channel?.isTextBased() || !starterName || !invitedName || !(await canStartIn(context, channel, record))) {
    return 'You are both ready. Type /talk in your private channel whenever you want to begin.';
  }
  const started = await startIn(context, {
    channelId: channel.id,
    guildId: guild.id,
    flowId: waiting.flowId,
    starter: { id: starterId, name: starterName },
    partner: { id: invitedId, name: invitedName },
  });
  if (!started.ok) return started.message;
  await channelOut(context, channel.id).send(started.intro);
  await context.present.prompt(started.view);
  return `You are both ready: your conversation has begun in ${channelMention(channel.id)}.`;
}

/** Still private to the two of them, and no other conversation open there. */
async function canStartIn(context: BotContext, channel: GuildBasedChannel, record: CoupleRecord): Promise<boolean> {
  const open = await context.sessions.view(channel.id);
  if (open && !FINISHED.has(open.status)) return false;
  return isPrivateToCouple(channel, [...record.partnerIds]);
}
