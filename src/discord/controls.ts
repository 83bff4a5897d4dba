/**
 * A session control (a break, the end) applied for the partner who asked: refused kindly, or
 * confirmed in their private note and shown to the channel.
 */
import type { ButtonInteraction, StringSelectMenuInteraction } from 'discord.js';
import type { SessionInput } from '../engine/session.js';
import type { BotContext, Handled } from './context.js';
import { channelIdOf } from './interaction.js';
import { notePayload } from './note.js';
import { replyPrivately } from './reply.js';

export async function applyControl(
  interaction: ButtonInteraction | StringSelectMenuInteraction,
  context: BotContext,
  input: Omit<SessionInput, 'userId'>,
  done: string,
): Promise<Handled> {
  const outcome = await context.sessions.apply(channelIdOf(interaction), { ...input, userId: interaction.user.id });
  if (!outcome.ok) {
    await replyPrivately(interaction, outcome.rejection.message);
    return { outcome: outcome.rejection.code, view: outcome.view };
  }
  await interaction.update({ ...notePayload(done), components: [] });
  await context.present.outcome(outcome);
  return { outcome: 'accepted', view: outcome.previous };
}
