import {
  type APIApplicationCommand,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIMessage,
  type APIMessageComponentGuildInteraction,
  type APIMessageComponentInteractionData,
  type APIModalSubmission,
  type APIModalSubmitGuildInteraction,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  InteractionType,
  type Locale,
} from 'discord.js';
import type { BuiltOptions } from './command-options.js';
import type { DiscordState, EmulatedChannel } from './state.js';

/** Who triggers an interaction, where, and the identity Discord gives it. */
export interface InteractionOrigin {
  id: string;
  token: string;
  userId: string;
  channel: EmulatedChannel;
  /** Bytes per attachment the server allows (Discord says so in every interaction). */
  attachmentSizeLimit: number;
}

/**
 * The fields every guild interaction carries, as Discord sends them over the gateway: `member` (with `user` and
 * the member's permissions in the channel) and no top-level `user`, a partial `channel`, the app's permissions.
 */
function guildInteractionBase(state: DiscordState, origin: InteractionOrigin) {
  const guild = state.guild(origin.channel.guildId);
  const user = state.user(origin.userId);
  const memberPermissions = state.channelPermissionsOf(origin.channel.id, origin.userId).toString();
  const channel = { ...state.apiChannel(origin.channel), permissions: memberPermissions };
  return {
    id: origin.id,
    application_id: state.applicationId,
    token: origin.token,
    version: 1 as const,
    guild: { id: guild.id, locale: guild.locale as Locale, features: [] },
    guild_id: guild.id,
    channel,
    channel_id: origin.channel.id,
    member: { ...state.apiMember(guild.id, origin.userId), permissions: memberPermissions },
    app_permissions: state.channelPermissionsOf(origin.channel.id, state.botUser.id).toString(),
    locale: user.locale as Locale,
    guild_locale: guild.locale as Locale,
    entitlements: [],
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: guild.id },
    context: InteractionContextType.Guild,
    attachment_size_limit: origin.attachmentSizeLimit,
  };
}

export function chatInputInteraction(
  state: DiscordState,
  origin: InteractionOrigin,
  command: APIApplicationCommand,
  built: BuiltOptions,
): APIChatInputApplicationCommandGuildInteraction {
  return {
    ...guildInteractionBase(state, origin),
    type: InteractionType.ApplicationCommand,
    data: {
      id: command.id,
      name: command.name,
      type: ApplicationCommandType.ChatInput,
      ...(command.guild_id ? { guild_id: command.guild_id } : {}),
      ...(built.options.length > 0 ? { options: built.options } : {}),
      ...(built.resolved ? { resolved: built.resolved } : {}),
    },
  };
}

/** A button click or select: carries the whole message the component is on, as the bot last left it. */
export function componentInteraction(
  state: DiscordState,
  origin: InteractionOrigin,
  message: APIMessage,
  data: APIMessageComponentInteractionData,
): APIMessageComponentGuildInteraction {
  return {
    ...guildInteractionBase(state, origin),
    type: InteractionType.MessageComponent,
    data,
    message: structuredClone(message),
  };
}

/** A modal submit; `message` is present when the modal was opened from a component on that message. */
export function modalSubmitInteraction(
  state: DiscordState,
  origin: InteractionOrigin,
  data: APIModalSubmission,
  message: APIMessage | null,
): APIModalSubmitGuildInteraction {
  return {
    ...guildInteractionBase(state, origin),
    type: InteractionType.ModalSubmit,
    data,
    ...(message ? { message: structuredClone(message) } : {}),
  };
}
