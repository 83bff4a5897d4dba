/**
 * The partner a couple's command is about: the one named in its `partner` option, or else the other
 * partner of the conversation in this channel (when the one asking is in it).
 */
import type { ChatInputCommandInteraction } from 'discord.js';
import { partnerOf } from '../engine/session.js';
import type { BotContext } from './context.js';

export async function partnerNamedOrHere(
  interaction: ChatInputCommandInteraction,
  context: BotContext,
): Promise<string | undefined> {
  const named = interaction.options.getUser('partner');
  if (named) return named.id === interaction.user.id ? undefined : named.id;
  const view = await context.sessions.view(interaction.channelId);
  const by = view && partnerOf(view.record, interaction.user.id);
  if (!view || !by) return undefined;
  return by === 'a' ? view.record.partners.b.id : view.record.partners.a.id;
}
