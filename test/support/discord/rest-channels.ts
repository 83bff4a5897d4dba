import { MessageType } from 'discord.js';
import { type EmulatorCore, type Route, type RouteRequest, refuseIfInvalid, validateBody } from './context.js';
import {
  cannotEditOthersMessage,
  missingAccess,
  missingPermissions,
  unknownChannel,
  unknownMessage,
} from './errors.js';
import { isRecord } from './json.js';
import { deleteMessage, editMessage, postMessage } from './message-writes.js';
import type { StoredMessage } from './messages.js';
import { hasPermission, Permission } from './permissions.js';
import type { EmulatedChannel } from './state.js';

const MAX_MESSAGES_PER_FETCH = 100;

/** Channels and their messages, as the bot (not an interaction) uses them: `channel.send`, `message.edit`. */
export const channelRoutes: Route[] = [
  {
    method: 'GET',
    template: '/channels/:channel_id',
    auth: 'bot',
    handle: (request, core) => ({ status: 200, body: core.state.apiChannel(visibleChannel(request, core)) }),
  },
  {
    method: 'POST',
    template: '/channels/:channel_id/messages',
    auth: 'bot',
    handle: (request, core) => {
      const channel = visibleChannel(request, core);
      requireBotPermission(core, channel, Permission.SendMessages, 'Send Messages');
      validateBody(core, request, 'message-create');
      const payload = isRecord(request.body) ? { ...request.body } : {};
      if (hasEmbeds(payload) && !botHas(core, channel, Permission.EmbedLinks)) {
        // Discord accepts the message and silently drops the embeds: the summary would simply be missing.
        core.recorder.violation(request.routeKey, 'embeds sent without Embed Links: Discord drops them', payload);
        payload.embeds = [];
      }
      if (isRecord(payload.message_reference)) checkReference(core, request, channel, payload.message_reference);
      const stored = postMessage(core, request, {
        channelId: channel.id,
        payload,
        type: isRecord(payload.message_reference) ? MessageType.Reply : MessageType.Default,
        files: request.files,
      });
      return { status: 200, body: stored.message };
    },
  },
  {
    method: 'GET',
    template: '/channels/:channel_id/messages',
    auth: 'bot',
    handle: (request, core) => {
      const channel = visibleChannel(request, core);
      requireBotPermission(core, channel, Permission.ReadMessageHistory, 'Read Message History');
      const limit = Math.min(Number(request.query.get('limit') ?? 50), MAX_MESSAGES_PER_FETCH);
      const newestFirst = core.messages.inChannel(channel.id).reverse().slice(0, limit);
      return { status: 200, body: newestFirst.map((s) => s.message) };
    },
  },
  {
    method: 'GET',
    template: '/channels/:channel_id/messages/:message_id',
    auth: 'bot',
    handle: (request, core) => {
      const channel = visibleChannel(request, core);
      requireBotPermission(core, channel, Permission.ReadMessageHistory, 'Read Message History');
      return { status: 200, body: channelMessage(request, core, channel).message };
    },
  },
  {
    method: 'PATCH',
    template: '/channels/:channel_id/messages/:message_id',
    auth: 'bot',
    handle: (request, core) => {
      const channel = visibleChannel(request, core);
      const stored = channelMessage(request, core, channel);
      if (stored.message.author.id !== core.state.botUser.id) throw cannotEditOthersMessage();
      validateBody(core, request, 'message-edit');
      const payload = isRecord(request.body) ? request.body : {};
      return { status: 200, body: editMessage(core, request, stored, payload, request.files).message };
    },
  },
  {
    method: 'DELETE',
    template: '/channels/:channel_id/messages/:message_id',
    auth: 'bot',
    handle: (request, core) => {
      const channel = visibleChannel(request, core);
      const stored = channelMessage(request, core, channel);
      if (stored.message.author.id !== core.state.botUser.id) {
        requireBotPermission(core, channel, Permission.ManageMessages, 'Manage Messages');
      }
      deleteMessage(core, stored);
      return { status: 204 };
    },
  },
];

/** The channel, if the bot can see it: Discord answers 404 for unknown channels and 403 Missing Access for hidden. */
function visibleChannel(request: RouteRequest, core: EmulatorCore): EmulatedChannel {
  const channel = core.state.findChannel(request.params.channel_id ?? '');
  if (!channel || channel.id !== request.params.channel_id) throw unknownChannel();
  if (!botHas(core, channel, Permission.ViewChannel)) {
    throw missingAccess().withNote(`the bot cannot view #${channel.name}`);
  }
  return channel;
}

function channelMessage(request: RouteRequest, core: EmulatorCore, channel: EmulatedChannel): StoredMessage {
  const stored = core.messages.get(request.params.message_id ?? '');
  // Ephemeral messages exist only for their user; the channel routes cannot reach them.
  if (!stored || stored.message.channel_id !== channel.id || stored.visibleTo !== null) throw unknownMessage();
  return stored;
}

function botHas(core: EmulatorCore, channel: EmulatedChannel, permission: bigint): boolean {
  return hasPermission(core.state.channelPermissionsOf(channel.id, core.state.botUser.id), permission);
}

function requireBotPermission(core: EmulatorCore, channel: EmulatedChannel, permission: bigint, name: string) {
  if (!botHas(core, channel, permission)) {
    throw missingPermissions().withNote(`the bot lacks ${name} in #${channel.name}`);
  }
}

function checkReference(core: EmulatorCore, request: RouteRequest, channel: EmulatedChannel, reference: object) {
  const messageId = 'message_id' in reference ? String(reference.message_id) : '';
  const target = core.messages.get(messageId);
  if (!target || target.message.channel_id !== channel.id || target.visibleTo !== null) {
    refuseIfInvalid(core, request, [`message_reference: unknown message ${messageId} in this channel`]);
  }
}

function hasEmbeds(payload: Record<string, unknown>): boolean {
  return Array.isArray(payload.embeds) && payload.embeds.length > 0;
}
