import { ChannelType, GatewayIntentBits } from 'discord.js';
import { type EmulatorCore, type Route, type RouteRequest, refuseIfInvalid, validateBody } from './context.js';
import { missingPermissions, unknownGuild, unknownMember } from './errors.js';
import { isRecord } from './json.js';
import { type ChannelOverwrite, hasPermission, Permission, permissionNames } from './permissions.js';
import type { EmulatedGuild, NewChannel } from './state.js';

/** Guild reads and channel creation (the couple's private channel). */
export const guildRoutes: Route[] = [
  {
    method: 'GET',
    template: '/guilds/:guild_id',
    auth: 'bot',
    handle: (request, core) => ({ status: 200, body: core.state.apiGuild(guildOf(request, core)) }),
  },
  {
    method: 'GET',
    template: '/guilds/:guild_id/roles',
    auth: 'bot',
    handle: (request, core) => {
      const guild = guildOf(request, core);
      return { status: 200, body: [...guild.roles.values()].map((r) => core.state.apiRole(r)) };
    },
  },
  {
    method: 'GET',
    template: '/guilds/:guild_id/channels',
    auth: 'bot',
    handle: (request, core) => {
      const guild = guildOf(request, core);
      return { status: 200, body: core.state.guildChannels(guild.id).map((c) => core.state.apiChannel(c)) };
    },
  },
  {
    method: 'GET',
    template: '/guilds/:guild_id/members/:user_id',
    auth: 'bot',
    handle: (request, core) => {
      const guild = guildOf(request, core);
      const userId = request.params.user_id ?? '';
      if (!guild.members.has(userId)) throw unknownMember();
      return { status: 200, body: core.state.apiMember(guild.id, userId) };
    },
  },
  {
    method: 'POST',
    template: '/guilds/:guild_id/channels',
    auth: 'bot',
    handle: (request, core) => createChannel(request, core),
  },
];

function guildOf(request: RouteRequest, core: EmulatorCore): EmulatedGuild {
  const guild = core.state.findGuild(request.params.guild_id ?? '');
  if (!guild || guild.id !== request.params.guild_id) throw unknownGuild();
  return guild;
}

/**
 * `POST /guilds/{id}/channels`, with Discord's permission rules: the bot needs Manage Channels, may only allow
 * or deny in overwrites what it has itself in the guild, and only an administrator may put Manage Roles in an
 * overwrite. Text channel names are lowercased with dashes for spaces, as Discord does.
 */
function createChannel(request: RouteRequest, core: EmulatorCore) {
  const guild = guildOf(request, core);
  validateBody(core, request, 'guild-channel-create');
  const body = isRecord(request.body) ? request.body : {};
  const botId = core.state.botUser.id;
  const botPermissions = core.state.guildPermissionsOf(guild.id, botId);
  if (!hasPermission(botPermissions, Permission.ManageChannels)) {
    throw missingPermissions().withNote('the bot lacks Manage Channels in this guild');
  }

  const type = body.type ?? ChannelType.GuildText;
  if (type !== ChannelType.GuildText && type !== ChannelType.GuildCategory) {
    refuseIfInvalid(core, request, [`type: ${String(type)} channels are not supported by the local Discord`]);
  }
  const overwrites = readOverwrites(core, request, guild);
  const isAdmin = (botPermissions & Permission.Administrator) !== 0n;
  for (const overwrite of overwrites) {
    const bits = overwrite.allow | overwrite.deny;
    const lacking = isAdmin ? 0n : bits & ~botPermissions;
    const setsManageRoles = (bits & Permission.ManageRoles) !== 0n && !isAdmin;
    if (lacking !== 0n || setsManageRoles) {
      const names = permissionNames(lacking | (setsManageRoles ? Permission.ManageRoles : 0n)).join(', ');
      throw missingPermissions().withNote(`an overwrite sets ${names}, which the bot may not grant or deny`);
    }
  }
  const parentId = typeof body.parent_id === 'string' ? body.parent_id : null;
  if (parentId !== null) {
    const parent = core.state.findChannel(parentId);
    if (!parent || parent.guildId !== guild.id || parent.type !== ChannelType.GuildCategory) {
      refuseIfInvalid(core, request, [`parent_id: ${parentId} is not a category in this guild`]);
    }
  }
  const rawName = typeof body.name === 'string' ? body.name : '';
  const input: NewChannel = {
    name: type === ChannelType.GuildText ? rawName.toLowerCase().trim().replace(/\s+/g, '-') : rawName,
    type: type === ChannelType.GuildCategory ? ChannelType.GuildCategory : ChannelType.GuildText,
    topic: typeof body.topic === 'string' ? body.topic : null,
    parentId,
    overwrites,
  };
  const channel = core.state.createChannel(guild.id, input);
  const apiChannel = core.state.apiChannel(channel);
  core.gateway.dispatch('CHANNEL_CREATE', apiChannel, GatewayIntentBits.Guilds);
  return { status: 201, body: apiChannel };
}

function readOverwrites(core: EmulatorCore, request: RouteRequest, guild: EmulatedGuild): ChannelOverwrite[] {
  const body = isRecord(request.body) ? request.body : {};
  const raw = Array.isArray(body.permission_overwrites) ? body.permission_overwrites.filter(isRecord) : [];
  const problems: string[] = [];
  const overwrites = raw.map((o, i): ChannelOverwrite => {
    const id = String(o.id);
    const isRole = guild.roles.has(id);
    const isMember = guild.members.has(id);
    const type = o.type === 0 || o.type === 1 ? o.type : isRole ? 0 : 1;
    if (type === 0 && !isRole) problems.push(`permission_overwrites[${i}].id: ${id} is not a role in this guild`);
    if (type === 1 && !isMember) problems.push(`permission_overwrites[${i}].id: ${id} is not a member of this guild`);
    return { id, type, allow: toBits(o.allow), deny: toBits(o.deny) };
  });
  refuseIfInvalid(core, request, problems);
  return overwrites;
}

function toBits(value: unknown): bigint {
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return 0n;
}
