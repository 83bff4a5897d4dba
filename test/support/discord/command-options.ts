import {
  type APIApplicationCommand,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOption,
  type APIInteractionDataResolved,
  ApplicationCommandOptionType,
  type InteractionType,
} from 'discord.js';
import type { DiscordState, EmulatedGuild } from './state.js';

/** What a test passes for an option: a string/number/boolean, or for user/channel/role options a key or id. */
export type SlashOptionValue = string | number | boolean | { id: string };

type DataOption = APIApplicationCommandInteractionDataOption<InteractionType.ApplicationCommand>;
type BasicOption = APIApplicationCommandInteractionDataBasicOption<InteractionType.ApplicationCommand>;

export interface BuiltOptions {
  options: DataOption[];
  resolved: APIInteractionDataResolved | undefined;
}

interface Where {
  guild: EmulatedGuild;
  channelId: string;
  userId: string;
}

/**
 * Turns `{ flow: 'admit-mistake', partner: sam }` into the `options` (and `resolved`) Discord sends for the
 * registered command, refusing what the Discord client would not let a user send: unknown options, missing
 * required ones, values outside the choices, wrong types.
 */
export function buildCommandOptions(
  state: DiscordState,
  command: APIApplicationCommand,
  subcommandPath: readonly string[],
  values: Readonly<Record<string, SlashOptionValue>>,
  where: Where,
): BuiltOptions {
  const resolved: APIInteractionDataResolved = {};
  let definitions: readonly APIApplicationCommandOption[] = command.options ?? [];
  const wrappers: { name: string; type: ApplicationCommandOptionType }[] = [];
  for (const name of subcommandPath) {
    const sub = definitions.find(
      (d) =>
        d.name === name &&
        (d.type === ApplicationCommandOptionType.Subcommand || d.type === ApplicationCommandOptionType.SubcommandGroup),
    );
    if (!sub) throw new Error(`/${command.name} has no subcommand "${name}"`);
    wrappers.push({ name: sub.name, type: sub.type });
    definitions = 'options' in sub ? ((sub.options ?? []) as APIApplicationCommandOption[]) : [];
  }
  const needsSub = definitions.some(
    (d) =>
      d.type === ApplicationCommandOptionType.Subcommand || d.type === ApplicationCommandOptionType.SubcommandGroup,
  );
  if (needsSub) {
    throw new Error(`/${[command.name, ...subcommandPath].join(' ')} needs a subcommand: ${namesOf(definitions)}`);
  }

  const leaf: BasicOption[] = [];
  for (const [name, value] of Object.entries(values)) {
    const definition = definitions.find((d) => d.name === name);
    if (!definition) throw new Error(`/${command.name} has no option "${name}" (it has: ${namesOf(definitions)})`);
    leaf.push(basicOption(state, definition, value, where, resolved));
  }
  for (const definition of definitions) {
    if ('required' in definition && definition.required && !(definition.name in values)) {
      throw new Error(`/${command.name} requires the option "${definition.name}"`);
    }
  }

  let options: DataOption[] = leaf;
  for (const wrapper of [...wrappers].reverse()) {
    options = [{ name: wrapper.name, type: wrapper.type, options } as DataOption];
  }
  return { options, resolved: Object.keys(resolved).length > 0 ? resolved : undefined };
}

function basicOption(
  state: DiscordState,
  definition: APIApplicationCommandOption,
  value: SlashOptionValue,
  where: Where,
  resolved: APIInteractionDataResolved,
): BasicOption {
  const { name } = definition;
  const fail = (why: string) => new Error(`Option "${name}": ${why}`);
  switch (definition.type) {
    case ApplicationCommandOptionType.String: {
      if (typeof value !== 'string') throw fail('expects a string');
      checkChoices(definition.choices, value, fail);
      if (definition.min_length !== undefined && value.length < definition.min_length) throw fail('too short');
      if (definition.max_length !== undefined && value.length > definition.max_length) throw fail('too long');
      return { name, type: definition.type, value };
    }
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number: {
      if (typeof value !== 'number') throw fail('expects a number');
      if (definition.type === ApplicationCommandOptionType.Integer && !Number.isInteger(value)) {
        throw fail('expects an integer');
      }
      checkChoices(definition.choices, value, fail);
      if (definition.min_value !== undefined && value < definition.min_value) throw fail('below min_value');
      if (definition.max_value !== undefined && value > definition.max_value) throw fail('above max_value');
      return { name, type: definition.type, value };
    }
    case ApplicationCommandOptionType.Boolean:
      if (typeof value !== 'boolean') throw fail('expects a boolean');
      return { name, type: definition.type, value };
    case ApplicationCommandOptionType.User: {
      const userId = resolveUser(state, value, fail);
      addUser(state, resolved, userId, where);
      return { name, type: definition.type, value: userId };
    }
    case ApplicationCommandOptionType.Channel: {
      const channel = state.findChannel(idOf(value, fail));
      if (!channel || channel.guildId !== where.guild.id) throw fail(`no channel "${idOf(value, fail)}" in this guild`);
      if (definition.channel_types && !definition.channel_types.includes(channel.type)) {
        throw fail(`channel type ${channel.type} is not allowed`);
      }
      resolved.channels = {
        ...resolved.channels,
        [channel.id]: state.apiChannelForUser(channel, where.userId),
      };
      return { name, type: definition.type, value: channel.id };
    }
    case ApplicationCommandOptionType.Role: {
      const role = state.findRole(where.guild, idOf(value, fail));
      if (!role) throw fail(`no role "${idOf(value, fail)}" in this guild`);
      resolved.roles = { ...resolved.roles, [role.id]: state.apiRole(role) };
      return { name, type: definition.type, value: role.id };
    }
    case ApplicationCommandOptionType.Mentionable: {
      const role = state.findRole(where.guild, idOf(value, fail));
      if (role) {
        resolved.roles = { ...resolved.roles, [role.id]: state.apiRole(role) };
        return { name, type: definition.type, value: role.id };
      }
      const userId = resolveUser(state, value, fail);
      addUser(state, resolved, userId, where);
      return { name, type: definition.type, value: userId };
    }
    default:
      throw fail(`option type ${definition.type} is not supported by the local Discord`);
  }
}

function addUser(state: DiscordState, resolved: APIInteractionDataResolved, userId: string, where: Where) {
  resolved.users = { ...resolved.users, [userId]: state.apiUser(userId) };
  if (where.guild.members.has(userId)) {
    resolved.members = {
      ...resolved.members,
      [userId]: state.apiResolvedMember(where.guild.id, userId, where.channelId),
    };
  }
}

function resolveUser(state: DiscordState, value: SlashOptionValue, fail: (why: string) => Error): string {
  const user = state.findUser(idOf(value, fail));
  if (!user) throw fail(`no user "${idOf(value, fail)}"`);
  return user.id;
}

function idOf(value: SlashOptionValue, fail: (why: string) => Error): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return value.id;
  throw fail('expects a key or an id');
}

function checkChoices(
  choices: readonly { value: string | number; name: string }[] | undefined,
  value: string | number,
  fail: (why: string) => Error,
) {
  if (choices && choices.length > 0 && !choices.some((c) => c.value === value)) {
    throw fail(`"${value}" is not one of the choices (${choices.map((c) => c.value).join(', ')})`);
  }
}

function namesOf(definitions: readonly APIApplicationCommandOption[]): string {
  return definitions.map((d) => d.name).join(', ') || 'none';
}
