import { PermissionFlagsBits } from 'discord.js';

/** A permission by its discord.js name, e.g. `'ViewChannel'`, `'ManageChannels'`. */
export type PermissionName = keyof typeof PermissionFlagsBits;

export const Permission = PermissionFlagsBits;

export const ALL_PERMISSIONS: bigint = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

export function permissionBits(names: readonly PermissionName[]): bigint {
  return names.reduce((bits, name) => bits | PermissionFlagsBits[name], 0n);
}

export function permissionNames(bits: bigint): PermissionName[] {
  return (Object.keys(PermissionFlagsBits) as PermissionName[]).filter(
    (name) => (bits & PermissionFlagsBits[name]) !== 0n,
  );
}

export function hasPermission(bits: bigint, permission: bigint): boolean {
  return (bits & Permission.Administrator) !== 0n || (bits & permission) === permission;
}

/** The parts of a guild and channel that decide what a member may do; kept apart from state so it stays pure. */
export interface PermissionContext {
  guildId: string;
  ownerId: string;
  rolePermissions: ReadonlyMap<string, bigint>;
}

export interface ChannelOverwrite {
  id: string;
  /** 0 = role, 1 = member (Discord's numbering). */
  type: 0 | 1;
  allow: bigint;
  deny: bigint;
}

/** Guild-level permissions: @everyone plus every role the member has (Discord's "base permissions"). */
export function guildPermissions(guild: PermissionContext, userId: string, memberRoleIds: readonly string[]): bigint {
  if (userId === guild.ownerId) return ALL_PERMISSIONS;
  let bits = guild.rolePermissions.get(guild.guildId) ?? 0n;
  for (const roleId of memberRoleIds) bits |= guild.rolePermissions.get(roleId) ?? 0n;
  return (bits & Permission.Administrator) !== 0n ? ALL_PERMISSIONS : bits;
}

/**
 * Channel permissions, computed the way Discord documents it: base, then the @everyone overwrite, then all role
 * overwrites together, then the member's own overwrite. Without View Channel a member can do nothing there.
 */
export function channelPermissions(
  guild: PermissionContext,
  overwrites: readonly ChannelOverwrite[],
  userId: string,
  memberRoleIds: readonly string[],
): bigint {
  const base = guildPermissions(guild, userId, memberRoleIds);
  if (base === ALL_PERMISSIONS) return ALL_PERMISSIONS;
  let bits = base;
  const everyone = overwrites.find((o) => o.type === 0 && o.id === guild.guildId);
  if (everyone) bits = (bits & ~everyone.deny) | everyone.allow;
  let roleAllow = 0n;
  let roleDeny = 0n;
  for (const overwrite of overwrites) {
    if (overwrite.type === 0 && memberRoleIds.includes(overwrite.id)) {
      roleAllow |= overwrite.allow;
      roleDeny |= overwrite.deny;
    }
  }
  bits = (bits & ~roleDeny) | roleAllow;
  const own = overwrites.find((o) => o.type === 1 && o.id === userId);
  if (own) bits = (bits & ~own.deny) | own.allow;
  return (bits & Permission.ViewChannel) === 0n ? 0n : bits;
}
