/**
 * Private replies: what only the person who clicked sees (an ephemeral note, with buttons when
 * there is something to choose). Refusals and help go this way, never into the channel.
 */
import { MessageFlags, type RepliableInteraction } from 'discord.js';
import { interactionAtHand } from './channel-out.js';
import type { Row } from './components.js';
import { type MessagePayload, notePayload } from './note.js';

export interface PrivateReply {
  title?: string;
  components?: Row[];
}

/** A note (text, with an optional title and buttons), or a whole message, for this person alone. */
export async function replyPrivately(
  interaction: RepliableInteraction,
  message: string | MessagePayload,
  options: PrivateReply = {},
): Promise<void> {
  const payload = {
    ...(typeof message === 'string' ? notePayload(message, options.title) : message),
    ...(options.components ? { components: options.components } : {}),
    flags: MessageFlags.Ephemeral,
  } as const;
  if (!interaction.replied && !interaction.deferred) return void (await interaction.reply(payload));
  // Past the first response: the interaction's own webhook, outside the client's global REST counter.
  const hand = interactionAtHand();
  if (interaction.replied && hand?.interaction === interaction && hand.webhooks.usable(interaction)) {
    await hand.webhooks.followUp(interaction, payload);
  } else await interaction.followUp(payload);
}
