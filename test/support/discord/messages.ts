import {
  type APIAttachment,
  type APIEmbed,
  type APIMessage,
  type APIMessageInteractionMetadata,
  type APIMessageTopLevelComponent,
  type APIModalInteractionResponseCallbackData,
  MessageFlags,
  type MessageType,
} from 'discord.js';
import type { SnowflakeFactory } from './ids.js';
import { isRecord, type Json, records } from './json.js';
import { IS_COMPONENTS_V2, walkComponents } from './limits.js';
import { type AllowedMentions, mergePings, NO_PINGS, type PingRules, type Pings, pingsOf } from './mentions.js';
import { Permission } from './permissions.js';
import type { DiscordState } from './state.js';

/** An uploaded file, as the router read it from a multipart request. */
export interface UploadedFile {
  name: string;
  size: number;
  contentType: string;
  data: Buffer;
}

/** One version of a message's text with the `allowed_mentions` sent with it (null: the request had none). */
export interface MessageVersion {
  text: string;
  allowedMentions: AllowedMentions | null;
}

export interface StoredMessage {
  message: APIMessage;
  /** Ephemeral messages are visible only to this user; null means everyone who can see the channel. */
  visibleTo: string | null;
  interactionId: string | null;
  versions: MessageVersion[];
}

export interface NewMessage {
  channelId: string;
  payload: Json;
  type: MessageType;
  files?: UploadedFile[];
  visibleTo?: string | null;
  interactionId?: string | null;
  /** Set for messages sent through an interaction (responses and follow-ups): the application id. */
  webhookId?: string;
  interactionMetadata?: APIMessageInteractionMetadata;
  /** Extra flags Discord sets itself (Ephemeral, Loading). */
  systemFlags?: number;
}

export type MessageChange = 'create' | 'update' | 'delete';

/** A message as it looked right after it was created, edited or deleted. */
export interface MessageMoment {
  /** Order across every channel and user, from 0. */
  seq: number;
  change: MessageChange;
  /** The message as it was then (a copy: later edits do not change it). */
  message: APIMessage;
  /** Who alone saw it (an ephemeral message), or null for everyone who can see the channel. */
  visibleTo: string | null;
}

/** Someone acting (a click, a pick, a form sent, a command), in their own words: "clicks “Pause”". */
export interface ActionMoment {
  seq: number;
  change: 'action';
  userId: string;
  said: string;
}

/** A form the bot opened for one person (a modal: only they see it). */
export interface FormMoment {
  seq: number;
  change: 'form';
  userId: string;
  modal: APIModalInteractionResponseCallbackData;
}

/** One moment in the emulated Discord: a message changing, someone acting, or a form opening. */
export type TimelineEntry = MessageMoment | ActionMoment | FormMoment;

const KEPT_ON_EDIT = MessageFlags.Ephemeral | IS_COMPONENTS_V2;

/**
 * Every message the bot has sent, with edits applied in place (the way Discord shows them), the versions each
 * edit produced (to compute pings) and who may see ephemeral ones.
 */
export class MessageStore {
  private readonly byId = new Map<string, StoredMessage>();
  private readonly listeners = new Set<(stored: StoredMessage, change: MessageChange) => void>();
  private readonly history: TimelineEntry[] = [];
  /**
   * The bytes of every attachment, by attachment id. Kept beside the messages, not in them: the message
   * JSON stays exactly as Discord's (which only links to a CDN).
   */
  private readonly fileBytes = new Map<string, Buffer>();

  constructor(
    private readonly state: DiscordState,
    private readonly ids: SnowflakeFactory,
  ) {}

  create(input: NewMessage): StoredMessage {
    const payload = structuredClone(input.payload);
    const id = this.ids.next();
    // Ephemeral and Loading are decided by how the message was sent (systemFlags), never by the payload alone.
    const flags = numberOr(payload.flags, 0) & ~MessageFlags.Ephemeral & ~MessageFlags.Loading;
    const message: APIMessage = {
      id,
      channel_id: input.channelId,
      type: input.type,
      author: this.state.apiUser(this.state.botUser.id),
      content: stringOr(payload.content, ''),
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: payload.tts === true,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: (input.files ?? []).map((file) => this.attachment(file)),
      embeds: embedsOf(payload.embeds),
      components: componentsOf(payload.components),
      pinned: false,
      flags: flags | (input.systemFlags ?? 0),
      ...(input.webhookId ? { webhook_id: input.webhookId, application_id: input.webhookId } : {}),
      ...(input.interactionMetadata ? { interaction_metadata: input.interactionMetadata } : {}),
      ...(isRecord(payload.message_reference) ? { message_reference: this.reference(payload.message_reference) } : {}),
    };
    const stored: StoredMessage = {
      message,
      visibleTo: input.visibleTo ?? null,
      interactionId: input.interactionId ?? null,
      versions: [],
    };
    this.recordVersion(stored, payload);
    this.byId.set(id, stored);
    const channel = this.state.findChannel(input.channelId);
    if (channel && stored.visibleTo === null) channel.lastMessageId = id;
    this.emit(stored, 'create');
    return stored;
  }

  /** What the message would look like with this edit applied, without applying it (for limit checks). */
  preview(stored: StoredMessage, payload: Json): Json {
    const merged: Json = { ...stored.message };
    for (const key of ['content', 'embeds', 'components', 'flags'] as const) {
      if (key in payload) merged[key] = payload[key] ?? (key === 'content' ? '' : key === 'flags' ? 0 : []);
    }
    return merged;
  }

  /**
   * Applies an edit the way Discord does: fields present replace, `null` clears; the Ephemeral flag cannot
   * change, the Loading flag goes away. Without `allowed_mentions` the new content is parsed with defaults.
   */
  edit(stored: StoredMessage, input: { payload: Json; files?: UploadedFile[] }): StoredMessage {
    const payload = structuredClone(input.payload);
    const message = stored.message;
    if ('content' in payload) message.content = stringOr(payload.content, '');
    if ('embeds' in payload) message.embeds = embedsOf(payload.embeds);
    if ('components' in payload) message.components = componentsOf(payload.components);
    const files = input.files ?? [];
    const kept = keptAttachments(message, payload, files);
    for (const dropped of message.attachments) if (!kept.includes(dropped)) this.fileBytes.delete(dropped.id);
    message.attachments = [...kept, ...files.map((file) => this.attachment(file))];
    const current = message.flags ?? 0;
    const requested = 'flags' in payload ? numberOr(payload.flags, 0) : current;
    message.flags = (current & KEPT_ON_EDIT) | (requested & ~KEPT_ON_EDIT & ~MessageFlags.Loading);
    message.edited_timestamp = new Date().toISOString();
    this.recordVersion(stored, payload);
    this.emit(stored, 'update');
    return stored;
  }

  /** How many attachments the message would have with this edit applied (see `edit`). */
  attachmentCountAfter(stored: StoredMessage, payload: Json, files: readonly UploadedFile[]): number {
    return keptAttachments(stored.message, payload, files).length + files.length;
  }

  delete(stored: StoredMessage) {
    this.byId.delete(stored.message.id);
    for (const attachment of stored.message.attachments) this.fileBytes.delete(attachment.id);
    this.emit(stored, 'delete');
  }

  get(id: string): StoredMessage | undefined {
    return this.byId.get(id);
  }

  /** The bytes the bot uploaded for one of a message's attachments. */
  attachmentBytes(attachmentId: string): Buffer | undefined {
    return this.fileBytes.get(attachmentId);
  }

  all(): StoredMessage[] {
    return [...this.byId.values()];
  }

  inChannel(channelId: string): StoredMessage[] {
    return this.all().filter((s) => s.message.channel_id === channelId && s.visibleTo === null);
  }

  ephemeralsFor(userId: string): StoredMessage[] {
    return this.all().filter((s) => s.visibleTo === userId);
  }

  /** Records a form the bot opened for someone (the dispatcher calls this on a modal response). */
  noteForm(userId: string, modal: APIModalInteractionResponseCallbackData): void {
    this.history.push({ seq: this.history.length, change: 'form', userId, modal: structuredClone(modal) });
  }

  /** Records that someone acted (the dispatcher calls this as it sends their interaction). */
  noteAction(userId: string, said: string): void {
    this.history.push({ seq: this.history.length, change: 'action', userId, said });
  }

  /** Every create, edit and delete so far, and every action, in order, each message as it was then. */
  timeline(): readonly TimelineEntry[] {
    return this.history;
  }

  onChange(listener: (stored: StoredMessage, change: MessageChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Everyone this message could have notified, over all its versions: an edit re-parses mentions, so a mention
   * added later still highlights (and for a deferred reply, the edit is the first thing anyone sees).
   */
  pingsFrom(stored: StoredMessage): Pings {
    const rules = this.pingRules(stored);
    return stored.versions.reduce((all, v) => mergePings(all, pingsOf(v.text, v.allowedMentions, rules)), NO_PINGS);
  }

  private recordVersion(stored: StoredMessage, payload: Json) {
    const allowedMentions = isRecord(payload.allowed_mentions) ? (payload.allowed_mentions as AllowedMentions) : null;
    const version = { text: pingableText(stored.message), allowedMentions };
    stored.versions.push(version);
    // The message object lists who this version mentions, as Discord's does (discord.js reads these).
    const pings = pingsOf(version.text, allowedMentions, this.pingRules(stored));
    stored.message.mentions = pings.users.filter((id) => this.state.findUser(id)).map((id) => this.state.apiUser(id));
    stored.message.mention_roles = pings.roles;
    stored.message.mention_everyone = pings.everyone || pings.here;
  }

  private pingRules(stored: StoredMessage): PingRules {
    const channel = this.state.findChannel(stored.message.channel_id);
    const guild = channel ? this.state.findGuild(channel.guildId) : undefined;
    const botPermissions = channel ? this.state.channelPermissionsOf(channel.id, this.state.botUser.id) : 0n;
    const referencedId = stored.message.message_reference?.message_id;
    return {
      senderCanMentionEveryone: (botPermissions & Permission.MentionEveryone) !== 0n,
      isRoleMentionable: (roleId) => guild?.roles.get(roleId)?.mentionable ?? false,
      repliedUserId: referencedId ? (this.byId.get(referencedId)?.message.author.id ?? null) : null,
    };
  }

  private attachment(file: UploadedFile): APIAttachment {
    const id = this.ids.next();
    this.fileBytes.set(id, file.data);
    return {
      id,
      filename: file.name,
      size: file.size,
      content_type: file.contentType,
      url: `https://cdn.local-discord.invalid/attachments/${id}/${file.name}`,
      proxy_url: `https://media.local-discord.invalid/attachments/${id}/${file.name}`,
    };
  }

  private reference(reference: Json): NonNullable<APIMessage['message_reference']> {
    const messageId = stringOr(reference.message_id, '');
    const referenced = this.byId.get(messageId);
    return {
      message_id: messageId,
      channel_id: referenced?.message.channel_id ?? stringOr(reference.channel_id, ''),
    };
  }

  private emit(stored: StoredMessage, change: MessageChange) {
    this.history.push({
      seq: this.history.length,
      change,
      message: structuredClone(stored.message),
      visibleTo: stored.visibleTo,
    });
    for (const listener of this.listeners) listener(stored, change);
  }
}

/**
 * The attachments an edit keeps, as Discord does: an `attachments` array keeps the existing ones it names (new
 * files are listed by their upload index, which never matches an existing id); without one, all of them stay
 * and new files are added.
 */
function keptAttachments(message: APIMessage, payload: Json, files: readonly UploadedFile[]): APIAttachment[] {
  if (!('attachments' in payload) && files.length === 0) return message.attachments;
  if (!Array.isArray(payload.attachments)) return payload.attachments === null ? [] : message.attachments;
  const listed = new Set(records(payload.attachments).map((a) => String(a.id)));
  return message.attachments.filter((a) => listed.has(a.id));
}

/** The text that can mention someone: content, and for Components V2 messages their text displays. */
function pingableText(message: APIMessage): string {
  const parts = [message.content];
  if (((message.flags ?? 0) & IS_COMPONENTS_V2) !== 0) {
    walkComponents(records(message.components), 'components', (component) => {
      if (component.type === 10 && typeof component.content === 'string') parts.push(component.content);
    });
  }
  return parts.join('\n');
}

/** Embeds as Discord stores them: `type: 'rich'` is filled in. */
function embedsOf(value: unknown): APIEmbed[] {
  // The body passed the spec's embed schema before it got here, so each record is an embed.
  return records(value).map((embed) => ({ type: 'rich', ...embed }) as APIEmbed);
}

/** Components as Discord stores them: every component gets a numeric `id` unique in the message. */
function componentsOf(value: unknown): APIMessageTopLevelComponent[] {
  const components = records(value);
  const used = new Set<number>();
  walkComponents(components, 'components', (component) => {
    if (typeof component.id === 'number') used.add(component.id);
  });
  let next = 1;
  walkComponents(components, 'components', (component) => {
    if (typeof component.id === 'number') return;
    while (used.has(next)) next += 1;
    component.id = next;
    used.add(next);
  });
  // Validated against the spec's component schemas before it got here.
  return components as unknown as APIMessageTopLevelComponent[];
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
