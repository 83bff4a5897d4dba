import {
  type APIMessage,
  type APIMessageComponentInteractionData,
  type APIStringSelectComponent,
  ButtonStyle,
  ChannelType,
  ComponentType,
  InteractionContextType,
  InteractionType,
} from 'discord.js';
import { buildCommandOptions, type SlashOptionValue } from './command-options.js';
import type { EmulatorCore } from './context.js';
import { dispatchInteraction } from './dispatch.js';
import { chatInputInteraction, componentInteraction, modalSubmitInteraction } from './interaction-payloads.js';
import type { Json } from './json.js';
import { walkComponents } from './limits.js';
import type { StoredMessage } from './messages.js';
import { buildModalSubmission, checkSelectValues, type ModalAnswers } from './modal-submission.js';
import { hasPermission, Permission } from './permissions.js';
import { BotResponse } from './responses.js';
import type { EmulatedChannel, EmulatedUser } from './state.js';

/** A message to act on: the message, its id, the response that produced it, or a predicate (newest match wins). */
export type MessageTarget = APIMessage | BotResponse | string | ((message: APIMessage) => boolean);

export interface SlashWhere {
  /** Channel key or id; default: the first text channel of the first guild. */
  channel?: string;
}

/**
 * A person in the scenario, acting through the Discord client: each action becomes the interaction Discord
 * would send, and resolves with the bot's first response. Actions the client would not allow (a channel the
 * user cannot see, a disabled button, a field the modal does not have) throw before anything is sent.
 */
export class DiscordUser {
  constructor(
    private readonly core: EmulatorCore,
    private readonly user: EmulatedUser,
  ) {}

  get id(): string {
    return this.user.id;
  }

  get key(): string {
    return this.user.key;
  }

  get username(): string {
    return this.user.username;
  }

  get displayName(): string {
    return this.user.globalName ?? this.user.username;
  }

  /** `<@id>`, for building expected content. */
  get mention(): string {
    return `<@${this.user.id}>`;
  }

  /** Runs a slash command; `'talk start'` names a subcommand. Options take values, or keys/ids for users etc. */
  slash(command: string, options: Readonly<Record<string, SlashOptionValue>> = {}, where: SlashWhere = {}) {
    const { state } = this.core;
    const channel = where.channel ? state.channel(where.channel) : this.defaultChannel();
    const guild = state.guild(channel.guildId);
    const [name = '', ...subcommands] = command.replace(/^\//, '').trim().split(/\s+/);
    const registered = state.findChatCommand(name, guild.id);
    if (!registered) {
      const known = [...state.commands(guild.id), ...state.commands(null)].map((c) => `/${c.name}`).join(', ');
      throw new Error(`${this.key}: there is no /${name} command in ${guild.name} (registered: ${known || 'none'})`);
    }
    this.requireInChannel(channel, 'use commands in');
    const permissions = state.channelPermissionsOf(channel.id, this.id);
    if (!hasPermission(permissions, Permission.UseApplicationCommands)) {
      throw new Error(`${this.key} may not use application commands in #${channel.name}`);
    }
    const required = registered.default_member_permissions;
    if (required && !hasPermission(permissions, BigInt(required))) {
      throw new Error(`${this.key} cannot see /${name}: it requires permissions ${required}`);
    }
    if (registered.contexts && !registered.contexts.includes(InteractionContextType.Guild)) {
      throw new Error(`/${name} is not available in servers (contexts: ${registered.contexts.join(', ')})`);
    }
    const built = buildCommandOptions(state, registered, subcommands, options, {
      guild,
      channelId: channel.id,
      userId: this.id,
    });
    return dispatchInteraction(this.core, {
      type: InteractionType.ApplicationCommand,
      label: `${this.key}: /${[name, ...subcommands].join(' ')}`,
      said: `types /${[name, ...subcommands].join(' ')}`,
      userId: this.id,
      channel,
      payload: (origin) => chatInputInteraction(state, origin, registered, built),
    });
  }

  /** Clicks a button found by its label or custom_id. */
  click(target: MessageTarget, labelOrCustomId: string) {
    const stored = this.findMessage(target);
    const button = this.findComponent(stored, (c) => c.type === ComponentType.Button, labelOrCustomId, 'button');
    if (button.disabled === true) throw new Error(`${this.key}: the button "${labelOrCustomId}" is disabled`);
    if (
      button.style === ButtonStyle.Link ||
      button.style === ButtonStyle.Premium ||
      typeof button.custom_id !== 'string'
    ) {
      throw new Error(`${this.key}: the button "${labelOrCustomId}" opens a link; it sends no interaction`);
    }
    const customId = button.custom_id;
    return this.componentAction(
      stored,
      `button "${String(button.label ?? customId)}" [${customId}]`,
      `clicks “${String(button.label ?? '')}”`,
      {
        custom_id: customId,
        component_type: ComponentType.Button,
      },
    );
  }

  /** Picks values in a string select, checked against its options and min/max values. */
  select(target: MessageTarget, customId: string, values: readonly string[]) {
    const stored = this.findMessage(target);
    const found = this.findComponent(stored, (c) => c.type === ComponentType.StringSelect, customId, 'select');
    // findComponent matched a string select component of a message that passed the spec's schema.
    const select = found as unknown as APIStringSelectComponent;
    if (select.disabled) throw new Error(`${this.key}: the select "${customId}" is disabled`);
    const chosen = checkSelectValues(`${this.key}: select "${customId}"`, select, [...values]);
    const picked = chosen.map((v) => select.options.find((o) => o.value === v)?.label ?? v).join(', ');
    return this.componentAction(stored, `select "${select.custom_id}" [${chosen.join(', ')}]`, `picks “${picked}”`, {
      custom_id: select.custom_id,
      component_type: ComponentType.StringSelect,
      values: chosen,
    });
  }

  /** Fills in and submits the modal the bot showed in `opened`. */
  submitModal(opened: BotResponse, answers: ModalAnswers) {
    const modal = opened.modal;
    if (!modal)
      throw new Error(`${this.key}: ${opened.interaction.label} was answered with a ${opened.kind}, not a modal`);
    if (opened.interaction.userId !== this.id) {
      throw new Error(`${this.key}: that modal was shown to someone else`);
    }
    const data = buildModalSubmission(modal, answers);
    const { state } = this.core;
    const channel = state.channel(opened.interaction.channelId);
    const sourceId = opened.interaction.sourceMessageId;
    return dispatchInteraction(this.core, {
      type: InteractionType.ModalSubmit,
      label: `${this.key}: modal "${modal.title}" [${modal.custom_id}]`,
      said: `sends “${modal.title}”: ${Object.values(answers)
        .map((v) => (Array.isArray(v) ? v.join(', ') : String(v)))
        .filter(Boolean)
        .map((v) => `“${v}”`)
        .join(' ')}`,
      userId: this.id,
      channel,
      sourceMessageId: sourceId,
      openedBy: opened.interaction.id,
      payload: (origin) => {
        const message = sourceId ? (this.core.messages.get(sourceId)?.message ?? null) : null;
        return modalSubmitInteraction(state, origin, data, message);
      },
    });
  }

  canSee(channelKeyOrId: string): boolean {
    const channel = this.core.state.channel(channelKeyOrId);
    return hasPermission(this.core.state.channelPermissionsOf(channel.id, this.id), Permission.ViewChannel);
  }

  /** Ephemeral messages only this user sees, oldest first. */
  ephemerals(): APIMessage[] {
    return this.core.messages.ephemeralsFor(this.id).map((s) => s.message);
  }

  private componentAction(stored: StoredMessage, what: string, said: string, data: APIMessageComponentInteractionData) {
    const { state } = this.core;
    const channel = state.channel(stored.message.channel_id);
    return dispatchInteraction(this.core, {
      type: InteractionType.MessageComponent,
      label: `${this.key}: ${what}`,
      said,
      userId: this.id,
      channel,
      sourceMessageId: stored.message.id,
      payload: (origin) => componentInteraction(state, origin, stored.message, data),
    });
  }

  private findMessage(target: MessageTarget): StoredMessage {
    const { messages } = this.core;
    let stored: StoredMessage | undefined;
    if (typeof target === 'function') {
      stored = this.visibleMessages()
        .reverse()
        .find((s) => target(s.message));
      if (!stored) throw new Error(`${this.key}: no message they can see matches the predicate`);
    } else {
      const id = typeof target === 'string' ? target : target instanceof BotResponse ? target.message?.id : target.id;
      stored = id ? messages.get(id) : undefined;
      if (!stored) throw new Error(`${this.key}: that message does not exist (any more)`);
    }
    if (stored.visibleTo !== null && stored.visibleTo !== this.id) {
      throw new Error(`${this.key}: cannot act on an ephemeral message shown to someone else`);
    }
    this.requireInChannel(this.core.state.channel(stored.message.channel_id), 'act in');
    return stored;
  }

  private findComponent(stored: StoredMessage, isKind: (c: Json) => boolean, wanted: string, kind: string): Json {
    const candidates: Json[] = [];
    // Walked as plain JSON: the finder matches on custom_id/label across every component kind.
    const components = (stored.message.components ?? []) as unknown as Json[];
    walkComponents(components, 'components', (c) => {
      if (isKind(c)) candidates.push(c);
    });
    const byId = candidates.filter((c) => c.custom_id === wanted);
    const matches = byId.length > 0 ? byId : candidates.filter((c) => c.label === wanted);
    if (matches.length === 0) {
      const offered = candidates.map((c) => `"${String(c.label ?? c.custom_id)}"`).join(', ') || 'none';
      throw new Error(`${this.key}: no ${kind} "${wanted}" on that message (it has: ${offered})`);
    }
    if (matches.length > 1) throw new Error(`${this.key}: ${matches.length} ${kind}s are labelled "${wanted}"`);
    return matches[0] as Json;
  }

  private visibleMessages(): StoredMessage[] {
    return this.core.messages
      .all()
      .filter((s) => (s.visibleTo === null ? this.canSee(s.message.channel_id) : s.visibleTo === this.id));
  }

  private requireInChannel(channel: EmulatedChannel, doing: string) {
    if (!this.core.state.member(channel.guildId, this.id)) {
      throw new Error(`${this.key} is not a member of the guild of #${channel.name}`);
    }
    if (!this.canSee(channel.id)) throw new Error(`${this.key} cannot see #${channel.name}, so cannot ${doing} it`);
  }

  private defaultChannel(): EmulatedChannel {
    const guild = this.core.state.allGuilds()[0];
    const channel = guild
      ? this.core.state.guildChannels(guild.id).find((c) => c.type === ChannelType.GuildText)
      : undefined;
    if (!channel) throw new Error('The scenario has no text channel');
    return channel;
  }
}
