/**
 * Where a message for a couple's channel goes. What follows a click or a form (the next prompt, the
 * answers revealed, a notice, the summary) goes out as a follow-up of that interaction: its webhook
 * is not bound to Discord's global limit of 50 requests/s per bot, which the bot token is. The bot
 * token is used where no interaction is at hand (reminders, check-ins, a summary retried later, a
 * channel just created), for a channel other than the interaction's, once the interaction's token
 * is too old, or when the follow-up fails.
 *
 * "The interaction at hand" is the one the router is handling, kept in an AsyncLocalStorage for the
 * length of its handler: everything the handler awaits sees it, and the sweeper, which runs outside
 * any handler, never does. That keeps every sender (presenter, notices, summaries) to one call,
 * `channelOut(context, channelId).send(message)`, without threading the interaction through them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RepliableInteraction, SendableChannels } from 'discord.js';
import type { BotContext } from './context.js';
import type { InteractionWebhooks } from './interaction-webhook.js';
import type { ChannelOut } from './summary-post.js';

interface AtHand {
  interaction: RepliableInteraction;
  webhooks: InteractionWebhooks;
}

const atHand = new AsyncLocalStorage<AtHand>();

/** Runs an interaction's handler with that interaction at hand for the messages it sends. */
export function withInteraction<T>(
  interaction: RepliableInteraction,
  webhooks: InteractionWebhooks,
  run: () => Promise<T>,
): Promise<T> {
  return atHand.run({ interaction, webhooks }, run);
}

/** The interaction being handled and its webhooks, when there is one. */
export function interactionAtHand(): AtHand | undefined {
  return atHand.getStore();
}

export type { ChannelOut } from './summary-post.js';

/** The channel a session lives in, when the bot can still post there (fetched with the bot token if not cached). */
export async function sendableChannel(context: BotContext, channelId: string): Promise<SendableChannels | undefined> {
  const channel = context.client.channels.cache.get(channelId) ?? (await context.client.channels.fetch(channelId));
  return channel?.isSendable() ? channel : undefined;
}

/**
 * A deferred ephemeral reply turns the first follow-up into itself (private): a channel message
 * must not go that way. Any other acknowledged, young interaction in the same channel will do.
 */
function followUpFits(hand: AtHand, channelId: string): boolean {
  const { interaction } = hand;
  if (interaction.channelId !== channelId || !hand.webhooks.usable(interaction)) return false;
  return !(interaction.deferred && !interaction.replied && interaction.ephemeral === true);
}

export function channelOut(context: BotContext, channelId: string): ChannelOut {
  const hand = atHand.getStore();
  return {
    async send(message) {
      if (hand && followUpFits(hand, channelId)) {
        try {
          return { id: await hand.webhooks.followUp(hand.interaction, message) };
        } catch (error) {
          // An expired token or a webhook failure: the bot token still reaches the channel.
          context.log.warn(
            { interactionId: hand.interaction.id, err: { message: String((error as Error)?.message ?? error) } },
            'follow-up failed; posting with the bot token instead',
          );
        }
      }
      const channel = await sendableChannel(context, channelId);
      if (!channel) return undefined;
      const posted = await channel.send(message);
      return { id: posted.id };
    },
  };
}
