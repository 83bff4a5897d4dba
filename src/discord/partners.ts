/**
 * The check every session control makes first: is there a conversation here, and is the person
 * who clicked one of its two partners? Anyone else gets a kind private note and nothing changes.
 */
import type { RepliableInteraction } from 'discord.js';
import { reject } from '../engine/rejections.js';
import { partnerOf, type SessionView } from '../engine/session.js';
import type { BotContext } from './context.js';
import { channelIdOf } from './interaction.js';
import { replyPrivately } from './reply.js';

/** The session, when the one who clicked is a partner in it; otherwise they were told why not. */
export async function sessionOfPartner(
  interaction: RepliableInteraction,
  context: BotContext,
): Promise<{ view: SessionView } | { refused: string; view?: SessionView }> {
  const view = await context.sessions.view(channelIdOf(interaction));
  if (!view) {
    await replyPrivately(interaction, reject('no-session').message);
    return { refused: 'no-session' };
  }
  if (!partnerOf(view.record, interaction.user.id)) {
    await replyPrivately(interaction, reject('not-partner').message);
    return { refused: 'not-partner', view };
  }
  return { view };
}
