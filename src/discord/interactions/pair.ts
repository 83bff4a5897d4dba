/**
 * Buttons that belong to one couple carry both partners' ids: the one who clicked must be one of
 * them. Anyone else is told kindly, privately, and nothing changes.
 */
import type { ButtonInteraction } from 'discord.js';
import { reject } from '../../engine/rejections.js';
import { replyPrivately } from '../reply.js';

/** The other partner's id, when the one who clicked is `a` or `b`; otherwise they were told why not. */
export async function partnerOfPair(
  interaction: ButtonInteraction,
  pair: { a: string; b: string },
): Promise<string | undefined> {
  const me = interaction.user.id;
  const partner = me === pair.a ? pair.b : me === pair.b ? pair.a : undefined;
  if (!partner || !interaction.inGuild()) await replyPrivately(interaction, reject('not-partner').message);
  return interaction.inGuild() ? partner : undefined;
}
