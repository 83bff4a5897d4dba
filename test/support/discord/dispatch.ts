import type { InteractionType } from 'discord.js';
import type { EmulatorCore } from './context.js';
import { newInteractionToken } from './ids.js';
import type { InteractionOrigin } from './interaction-payloads.js';
import { BotResponse } from './responses.js';
import type { EmulatedChannel } from './state.js';

export interface DispatchRequest {
  type: InteractionType;
  label: string;
  /** What the person did, in words, for the timeline: "clicks “Pause”". */
  said?: string;
  userId: string;
  channel: EmulatedChannel;
  sourceMessageId?: string | null;
  openedBy?: string | null;
  /** Builds the INTERACTION_CREATE payload once the interaction has its id and token. */
  payload(origin: InteractionOrigin): unknown;
}

/**
 * Sends an interaction to the bot over the gateway, as Discord does when a user acts, and resolves with the
 * bot's first response (or rejects when the deadline passes or the response is refused).
 */
export async function dispatchInteraction(core: EmulatorCore, request: DispatchRequest): Promise<BotResponse> {
  if (!core.gateway.hasSessionFor(request.channel.guildId)) {
    throw new Error(
      `${request.label}: the bot is not logged in to the local Discord on shard ${core.gateway.shardOf(request.channel.guildId)} (call client.login first)`,
    );
  }
  const id = core.ids.next();
  const token = newInteractionToken(id);
  const payload = request.payload({
    id,
    token,
    userId: request.userId,
    channel: request.channel,
    attachmentSizeLimit: core.attachmentSizeLimit,
  });
  const record = core.interactions.create({
    id,
    token,
    type: request.type,
    label: request.label,
    userId: request.userId,
    guildId: request.channel.guildId,
    channelId: request.channel.id,
    sourceMessageId: request.sourceMessageId ?? null,
    openedBy: request.openedBy ?? null,
  });
  const firstResponse = core.interactions.waitForFirstResponse(record);
  if (request.said) core.messages.noteAction(request.userId, request.said);
  // INTERACTION_CREATE needs no intent: every bot gets it.
  core.gateway.dispatch('INTERACTION_CREATE', payload);
  await firstResponse;
  if (record.modal) core.messages.noteForm(request.userId, record.modal);
  return new BotResponse(core.messages, record);
}
