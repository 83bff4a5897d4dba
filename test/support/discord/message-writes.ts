import { GatewayIntentBits } from 'discord.js';
import { type EmulatorCore, type RouteRequest, refuseIfInvalid } from './context.js';
import { emptyMessage, entityTooLarge } from './errors.js';
import type { Json } from './json.js';
import { attachmentCountProblems, attachmentSizeProblems, messageLimitProblems } from './limits.js';
import type { NewMessage, StoredMessage, UploadedFile } from './messages.js';

/**
 * Posts a message after Discord's checks on the whole message (documented limits, not empty), then tells the
 * bot about it over the gateway if its intents ask for messages. Schema validation happens per route before.
 */
export function postMessage(core: EmulatorCore, request: RouteRequest, input: NewMessage): StoredMessage {
  refuseIfInvalid(core, request, messageLimitProblems(input.payload));
  checkFiles(core, request, input.files ?? [], (input.files ?? []).length);
  if (isEmpty(input.payload, input.files ?? [])) {
    core.recorder.violation(request.routeKey, 'empty message: no content, embeds, components, files or poll');
    throw emptyMessage();
  }
  const stored = core.messages.create(input);
  announce(core, stored, 'MESSAGE_CREATE');
  return stored;
}

/** Edits a message after checking the limits on the message as it will stand. */
export function editMessage(
  core: EmulatorCore,
  request: RouteRequest,
  stored: StoredMessage,
  payload: Json,
  files: UploadedFile[] = [],
): StoredMessage {
  refuseIfInvalid(core, request, messageLimitProblems(core.messages.preview(stored, payload)));
  checkFiles(core, request, files, core.messages.attachmentCountAfter(stored, payload, files));
  core.messages.edit(stored, { payload, files });
  announce(core, stored, 'MESSAGE_UPDATE');
  return stored;
}

export function deleteMessage(core: EmulatorCore, stored: StoredMessage) {
  core.messages.delete(stored);
  const channel = core.state.findChannel(stored.message.channel_id);
  if (stored.visibleTo !== null || !core.gateway.hasSessionFor(channel?.guildId)) return;
  core.gateway.dispatch(
    'MESSAGE_DELETE',
    { id: stored.message.id, channel_id: stored.message.channel_id, guild_id: channel?.guildId },
    GatewayIntentBits.GuildMessages,
  );
}

/**
 * Attachments within Discord's limits: each file within the server's size limit (a 413, as Discord answers
 * an upload too large), and at most 10 on the message as it will stand (400 Invalid Form Body).
 */
function checkFiles(core: EmulatorCore, request: RouteRequest, files: readonly UploadedFile[], count: number) {
  const tooLarge = attachmentSizeProblems(files, core.attachmentSizeLimit);
  if (tooLarge.length > 0) {
    for (const problem of tooLarge) core.recorder.violation(request.routeKey, problem, request.body);
    throw entityTooLarge().withNote(tooLarge.join('; '));
  }
  refuseIfInvalid(core, request, attachmentCountProblems(count));
}

/** Ephemeral messages never reach the gateway; others need the Guild Messages intent, as on Discord. */
function announce(core: EmulatorCore, stored: StoredMessage, event: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE') {
  const channel = core.state.findChannel(stored.message.channel_id);
  if (stored.visibleTo !== null || !channel || !core.gateway.hasSessionFor(channel.guildId)) return;
  const { user: _user, ...member } = core.state.apiMember(channel.guildId, stored.message.author.id);
  core.gateway.dispatch(
    event,
    { ...stored.message, guild_id: channel.guildId, member },
    GatewayIntentBits.GuildMessages,
  );
}

function isEmpty(payload: Json, files: UploadedFile[]): boolean {
  const has = (key: string) => Array.isArray(payload[key]) && (payload[key] as unknown[]).length > 0;
  const hasContent = typeof payload.content === 'string' && payload.content.length > 0;
  return (
    !hasContent && !has('embeds') && !has('components') && !has('sticker_ids') && !payload.poll && files.length === 0
  );
}
