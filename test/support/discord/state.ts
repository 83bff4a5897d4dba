import {
  type APIApplicationCommand,
  type APIChannel,
  type APIGuildMember,
  type APIInteractionDataResolvedChannel,
  type APIInteractionDataResolvedGuildMember,
  type APIOverwrite,
  type APIRole,
  type APIUser,
  type ChannelFlags,
  ChannelType,
  type GatewayGuildCreateDispatchData,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  type GuildMemberFlags,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildVerificationLevel,
  type Locale,
  OverwriteType,
  type RoleFlags,
  type UserFlags,
} from 'discord.js';
import type { SnowflakeFactory } from './ids.js';
import {
  type ChannelOverwrite,
  channelPermissions,
  guildPermissions,
  type PermissionContext,
  permissionBits,
} from './permissions.js';
import {
  DEFAULT_BOT_PERMISSIONS,
  DEFAULT_EVERYONE_PERMISSIONS,
  type Scenario,
  type ScenarioGuild,
} from './scenario.js';

export interface EmulatedUser {
  id: string;
  key: string;
  username: string;
  globalName: string | null;
  locale: string;
  bot: boolean;
}

export interface EmulatedRole {
  id: string;
  key: string;
  name: string;
  permissions: bigint;
  mentionable: boolean;
  position: number;
  /** Set on the bot's integration role, which Discord creates and manages. */
  botId: string | null;
}

export interface EmulatedMember {
  userId: string;
  roleIds: string[];
  joinedAt: string;
}

export interface EmulatedGuild {
  id: string;
  key: string;
  name: string;
  ownerId: string;
  locale: string;
  joinedAt: string;
  roles: Map<string, EmulatedRole>;
  members: Map<string, EmulatedMember>;
}

export interface EmulatedChannel {
  id: string;
  /** The scenario key, or the id for channels the bot created. */
  key: string;
  guildId: string;
  name: string;
  type: ChannelType.GuildText | ChannelType.GuildCategory;
  topic: string | null;
  parentId: string | null;
  position: number;
  overwrites: ChannelOverwrite[];
  lastMessageId: string | null;
  createdByBot: boolean;
}

export interface NewChannel {
  name: string;
  type: ChannelType.GuildText | ChannelType.GuildCategory;
  topic: string | null;
  parentId: string | null;
  overwrites: ChannelOverwrite[];
}

/**
 * Everything the emulated Discord knows except messages and interactions: the application and its bot user,
 * users, guilds with roles and members, channels and registered commands. Also renders them the way the API
 * does, so every route and gateway event shows the same objects.
 */
export class DiscordState {
  readonly applicationId: string;
  readonly applicationName: string;
  readonly botUser: EmulatedUser;
  private readonly users = new Map<string, EmulatedUser>();
  private readonly guilds = new Map<string, EmulatedGuild>();
  private readonly channels = new Map<string, EmulatedChannel>();
  private readonly globalCommands: APIApplicationCommand[] = [];
  private readonly guildCommands = new Map<string, APIApplicationCommand[]>();

  constructor(
    scenario: Scenario,
    private readonly ids: SnowflakeFactory,
    /** How many shards the local Discord runs: each guild's id falls on one of them. */
    readonly shardCount = 1,
  ) {
    this.applicationId = ids.next();
    this.applicationName = scenario.bot?.applicationName ?? 'Mend';
    // Discord gives a bot user the id of its application.
    this.botUser = {
      id: this.applicationId,
      key: '@bot',
      username: scenario.bot?.username ?? 'Mend',
      globalName: null,
      locale: 'en-US',
      bot: true,
    };
    this.users.set(this.botUser.id, this.botUser);
    for (const user of scenario.users) {
      if (this.findUser(user.key)) throw new Error(`Scenario: user key "${user.key}" is used twice`);
      const id = ids.next();
      this.users.set(id, {
        id,
        key: user.key,
        username: user.username,
        globalName: user.globalName ?? null,
        locale: user.locale ?? 'en-US',
        bot: false,
      });
    }
    for (const guild of scenario.guilds) this.addScenarioGuild(guild);
  }

  // ---- lookups -------------------------------------------------------------------------------------------

  /** A user by id or scenario key. */
  findUser(keyOrId: string): EmulatedUser | undefined {
    return this.users.get(keyOrId) ?? [...this.users.values()].find((u) => u.key === keyOrId);
  }

  user(keyOrId: string): EmulatedUser {
    const user = this.findUser(keyOrId);
    if (!user) throw new Error(`No user "${keyOrId}" in the scenario (known: ${this.userKeys().join(', ')})`);
    return user;
  }

  userKeys(): string[] {
    return [...this.users.values()].filter((u) => !u.bot).map((u) => u.key);
  }

  allGuilds(): EmulatedGuild[] {
    return [...this.guilds.values()];
  }

  findGuild(keyOrId: string): EmulatedGuild | undefined {
    return this.guilds.get(keyOrId) ?? this.allGuilds().find((g) => g.key === keyOrId);
  }

  guild(keyOrId: string): EmulatedGuild {
    const guild = this.findGuild(keyOrId);
    if (!guild) throw new Error(`No guild "${keyOrId}" in the scenario`);
    return guild;
  }

  findChannel(keyOrId: string): EmulatedChannel | undefined {
    return this.channels.get(keyOrId) ?? [...this.channels.values()].find((c) => c.key === keyOrId);
  }

  channel(keyOrId: string): EmulatedChannel {
    const channel = this.findChannel(keyOrId);
    if (!channel) {
      const known = [...this.channels.values()].map((c) => c.key).join(', ');
      throw new Error(`No channel "${keyOrId}" (known: ${known})`);
    }
    return channel;
  }

  guildChannels(guildId: string): EmulatedChannel[] {
    return [...this.channels.values()].filter((c) => c.guildId === guildId);
  }

  findRole(guild: EmulatedGuild, keyOrId: string): EmulatedRole | undefined {
    return guild.roles.get(keyOrId) ?? [...guild.roles.values()].find((r) => r.key === keyOrId);
  }

  member(guildId: string, userId: string): EmulatedMember | undefined {
    return this.guilds.get(guildId)?.members.get(userId);
  }

  // ---- permissions ---------------------------------------------------------------------------------------

  permissionContext(guild: EmulatedGuild): PermissionContext {
    return {
      guildId: guild.id,
      ownerId: guild.ownerId,
      rolePermissions: new Map([...guild.roles.values()].map((r) => [r.id, r.permissions])),
    };
  }

  guildPermissionsOf(guildId: string, userId: string): bigint {
    const guild = this.guild(guildId);
    const member = guild.members.get(userId);
    if (!member) return 0n;
    return guildPermissions(this.permissionContext(guild), userId, member.roleIds);
  }

  channelPermissionsOf(channelId: string, userId: string): bigint {
    const channel = this.channel(channelId);
    const guild = this.guild(channel.guildId);
    const member = guild.members.get(userId);
    if (!member) return 0n;
    return channelPermissions(this.permissionContext(guild), channel.overwrites, userId, member.roleIds);
  }

  // ---- changes -------------------------------------------------------------------------------------------

  createChannel(guildId: string, input: NewChannel): EmulatedChannel {
    const id = this.ids.next();
    const channel: EmulatedChannel = {
      id,
      key: id,
      guildId,
      name: input.name,
      type: input.type,
      topic: input.topic,
      parentId: input.parentId,
      position: this.guildChannels(guildId).length,
      overwrites: input.overwrites,
      lastMessageId: null,
      createdByBot: true,
    };
    this.channels.set(id, channel);
    return channel;
  }

  /** Bulk overwrite, as `PUT .../commands` does: the list replaces what was there; ids survive by name. */
  overwriteCommands(guildId: string | null, commands: Omit<APIApplicationCommand, 'id' | 'version'>[]) {
    const previous = guildId ? (this.guildCommands.get(guildId) ?? []) : this.globalCommands;
    const next = commands.map((command): APIApplicationCommand => {
      const kept = previous.find((p) => p.name === command.name && (p.type ?? 1) === (command.type ?? 1));
      return {
        ...command,
        id: kept?.id ?? this.ids.next(),
        application_id: this.applicationId,
        version: this.ids.next(),
        ...(guildId ? { guild_id: guildId } : {}),
      };
    });
    if (guildId) this.guildCommands.set(guildId, next);
    else this.globalCommands.splice(0, this.globalCommands.length, ...next);
    return next;
  }

  commands(guildId: string | null): APIApplicationCommand[] {
    return guildId ? (this.guildCommands.get(guildId) ?? []) : [...this.globalCommands];
  }

  /** The command a user in this guild would see under that name: a guild command wins over a global one. */
  findChatCommand(name: string, guildId: string): APIApplicationCommand | undefined {
    const isChat = (c: APIApplicationCommand) => c.name === name && (c.type ?? 1) === 1;
    return (this.guildCommands.get(guildId) ?? []).find(isChat) ?? this.globalCommands.find(isChat);
  }

  // ---- API renderings ------------------------------------------------------------------------------------

  apiUser(userId: string): APIUser {
    const user = this.user(userId);
    return {
      id: user.id,
      username: user.username,
      discriminator: '0',
      global_name: user.globalName,
      avatar: null,
      ...(user.bot ? { bot: true } : {}),
      // Flags are bit sets; zero (no flags) is valid although no single enum member has that value.
      public_flags: 0 as UserFlags,
      flags: 0 as UserFlags,
      banner: null,
      accent_color: null,
      avatar_decoration_data: null,
      collectibles: null,
      primary_guild: null,
    };
  }

  apiRole(role: EmulatedRole): APIRole {
    return {
      id: role.id,
      name: role.name,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: role.position,
      permissions: role.permissions.toString(),
      managed: role.botId !== null,
      mentionable: role.mentionable,
      flags: 0 as RoleFlags,
      ...(role.botId ? { tags: { bot_id: role.botId } } : {}),
    };
  }

  apiMember(guildId: string, userId: string): APIGuildMember {
    const member = this.member(guildId, userId);
    if (!member) throw new Error(`User ${userId} is not a member of guild ${guildId}`);
    return {
      user: this.apiUser(userId),
      nick: null,
      avatar: null,
      banner: null,
      roles: [...member.roleIds],
      joined_at: member.joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
      communication_disabled_until: null,
    };
  }

  /** A member as it appears in `resolved.members`: no `user`, plus the member's permissions in the channel. */
  apiResolvedMember(guildId: string, userId: string, channelId: string): APIInteractionDataResolvedGuildMember {
    const { user: _user, ...member } = this.apiMember(guildId, userId);
    return { ...member, permissions: this.channelPermissionsOf(channelId, userId).toString() };
  }

  apiOverwrites(channel: EmulatedChannel): APIOverwrite[] {
    return channel.overwrites.map((o) => ({
      id: o.id,
      type: o.type === 0 ? OverwriteType.Role : OverwriteType.Member,
      allow: o.allow.toString(),
      deny: o.deny.toString(),
    }));
  }

  apiChannel(channel: EmulatedChannel): APIChannel {
    const common = {
      id: channel.id,
      guild_id: channel.guildId,
      name: channel.name,
      position: channel.position,
      parent_id: channel.parentId,
      permission_overwrites: this.apiOverwrites(channel),
      nsfw: false,
      flags: 0 as ChannelFlags,
    };
    if (channel.type === ChannelType.GuildCategory) {
      return { ...common, parent_id: null, type: ChannelType.GuildCategory };
    }
    return {
      ...common,
      type: ChannelType.GuildText,
      topic: channel.topic,
      last_message_id: channel.lastMessageId,
      rate_limit_per_user: 0,
      default_thread_rate_limit_per_user: 0,
      last_pin_timestamp: null,
    };
  }

  /** A channel as it appears in `resolved.channels` and in an interaction's `channel`: with the user's permissions. */
  apiChannelForUser(channel: EmulatedChannel, userId: string): APIInteractionDataResolvedChannel {
    return {
      id: channel.id,
      name: channel.name,
      type: channel.type,
      permissions: this.channelPermissionsOf(channel.id, userId).toString(),
    };
  }

  /**
   * The GUILD_CREATE payload. Without the privileged Guild Members intent Discord sends only the bot's own
   * member, so a bot that reads other members from its cache breaks in production; the emulator does the same.
   */
  apiGuildCreate(guild: EmulatedGuild, includeAllMembers: boolean): GatewayGuildCreateDispatchData {
    const memberIds = includeAllMembers ? [...guild.members.keys()] : [this.botUser.id];
    return {
      ...this.apiGuild(guild),
      joined_at: guild.joinedAt,
      large: false,
      unavailable: false,
      member_count: guild.members.size,
      voice_states: [],
      members: memberIds.map((id) => this.apiMember(guild.id, id)),
      channels: this.guildChannels(guild.id).map((c) => {
        // GUILD_CREATE channels carry no guild_id; discord.js fills it in from the guild.
        const { guild_id: _omit, ...rest } = this.apiChannel(c) as APIChannel & { guild_id?: string };
        return rest as GatewayGuildCreateDispatchData['channels'][number];
      }),
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  apiGuild(guild: EmulatedGuild) {
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      icon_hash: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: guild.ownerId,
      afk_channel_id: null,
      afk_timeout: 300 as const,
      verification_level: GuildVerificationLevel.None,
      default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
      explicit_content_filter: GuildExplicitContentFilter.Disabled,
      roles: [...guild.roles.values()].map((r) => this.apiRole(r)),
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: GuildMFALevel.None,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      premium_tier: GuildPremiumTier.None,
      premium_subscription_count: 0,
      preferred_locale: guild.locale as Locale,
      public_updates_channel_id: null,
      nsfw_level: GuildNSFWLevel.Default,
      premium_progress_bar_enabled: false,
      hub_type: null,
      safety_alerts_channel_id: null,
      max_members: 500_000,
      incidents_data: null,
    };
  }

  // ---- scenario ------------------------------------------------------------------------------------------

  private addScenarioGuild(input: ScenarioGuild) {
    if (this.findGuild(input.key)) throw new Error(`Scenario: guild key "${input.key}" is used twice`);
    const shard = input.shard ?? this.guilds.size % this.shardCount;
    if (shard < 0 || shard >= this.shardCount) {
      throw new Error(`Scenario: guild "${input.key}" on shard ${shard}, but there are ${this.shardCount}`);
    }
    const id = this.shardCount > 1 ? this.ids.nextOnShard(shard, this.shardCount) : this.ids.next();
    const now = new Date().toISOString();
    const owner = input.owner ? this.user(input.owner) : null;
    const guild: EmulatedGuild = {
      id,
      key: input.key,
      name: input.name,
      // A guild always has an owner; when the scenario names none, it is someone the tests never act as.
      ownerId: owner?.id ?? this.ids.next(),
      locale: input.locale ?? 'en-US',
      joinedAt: now,
      roles: new Map(),
      members: new Map(),
    };
    this.guilds.set(id, guild);
    const everyone: EmulatedRole = {
      id,
      key: '@everyone',
      name: '@everyone',
      permissions: permissionBits(input.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS),
      mentionable: false,
      position: 0,
      botId: null,
    };
    guild.roles.set(id, everyone);
    const botRole: EmulatedRole = {
      id: this.ids.next(),
      key: '@bot',
      name: this.applicationName,
      permissions: permissionBits(input.botPermissions ?? DEFAULT_BOT_PERMISSIONS),
      mentionable: false,
      position: 1,
      botId: this.botUser.id,
    };
    guild.roles.set(botRole.id, botRole);
    for (const [index, role] of (input.roles ?? []).entries()) {
      const roleId = this.ids.next();
      guild.roles.set(roleId, {
        id: roleId,
        key: role.key,
        name: role.name,
        permissions: permissionBits(role.permissions ?? []),
        mentionable: role.mentionable ?? false,
        position: index + 2,
        botId: null,
      });
    }
    guild.members.set(this.botUser.id, { userId: this.botUser.id, roleIds: [botRole.id], joinedAt: now });
    for (const key of input.members) {
      const user = this.user(key);
      const roleIds = (input.roles ?? [])
        .filter((r) => r.members?.includes(key))
        .map((r) => this.findRole(guild, r.key)?.id)
        .filter((roleId): roleId is string => roleId !== undefined);
      guild.members.set(user.id, { userId: user.id, roleIds, joinedAt: now });
    }
    if (owner && !guild.members.has(owner.id))
      guild.members.set(owner.id, { userId: owner.id, roleIds: [], joinedAt: now });

    const categories = input.channels.filter((c) => c.kind === 'category');
    const texts = input.channels.filter((c) => c.kind !== 'category');
    for (const channel of [...categories, ...texts]) {
      if (this.findChannel(channel.key)) throw new Error(`Scenario: channel key "${channel.key}" is used twice`);
      const channelId = this.ids.next();
      const overwrites = (channel.overwrites ?? []).map((o): ChannelOverwrite => {
        const target = this.resolveOverwriteTarget(guild, o.target);
        return { ...target, allow: permissionBits(o.allow ?? []), deny: permissionBits(o.deny ?? []) };
      });
      this.channels.set(channelId, {
        id: channelId,
        key: channel.key,
        guildId: id,
        name: channel.name,
        type: channel.kind === 'category' ? ChannelType.GuildCategory : ChannelType.GuildText,
        topic: channel.topic ?? null,
        parentId: channel.parent ? this.channel(channel.parent).id : null,
        position: this.guildChannels(id).length,
        overwrites,
        lastMessageId: null,
        createdByBot: false,
      });
    }
  }

  private resolveOverwriteTarget(guild: EmulatedGuild, target: string): { id: string; type: 0 | 1 } {
    if (target === '@everyone') return { id: guild.id, type: 0 };
    if (target === '@bot') return { id: this.botUser.id, type: 1 };
    const role = this.findRole(guild, target);
    if (role) return { id: role.id, type: 0 };
    return { id: this.user(target).id, type: 1 };
  }
}
