import type { PermissionName } from './permissions.js';

/**
 * A scenario is the world the bot logs in to: users, guilds, roles, channels. Everything is named by a short
 * `key` ("alex", "couple") so tests talk about people and places, not snowflakes; ids are generated at start.
 */
export interface Scenario {
  bot?: { username?: string; applicationName?: string };
  users: ScenarioUser[];
  guilds: ScenarioGuild[];
}

export interface ScenarioUser {
  key: string;
  username: string;
  globalName?: string | null;
  locale?: string;
}

export interface ScenarioGuild {
  key: string;
  name: string;
  /**
   * The shard its id falls on, when the local Discord runs several (`shardCount`). Default: the scenario's
   * guilds in turn, the first on shard 0, the next on shard 1, and so on.
   */
  shard?: number;
  /** User key of the owner; owners have every permission. Default: a user outside the scenario's members. */
  owner?: string;
  locale?: string;
  /** Permissions of @everyone (the role whose id is the guild id). */
  everyonePermissions?: PermissionName[];
  /** The bot's own guild permissions, given through its managed integration role as Discord does. */
  botPermissions?: PermissionName[];
  /** User keys of the members (the bot is always a member). */
  members: string[];
  roles?: ScenarioRole[];
  channels: ScenarioChannel[];
}

export interface ScenarioRole {
  key: string;
  name: string;
  permissions?: PermissionName[];
  mentionable?: boolean;
  /** User keys holding this role. */
  members?: string[];
}

export interface ScenarioChannel {
  key: string;
  name: string;
  topic?: string;
  /** `category` channels can be parents of text channels. */
  kind?: 'text' | 'category';
  parent?: string;
  overwrites?: ScenarioOverwrite[];
}

export interface ScenarioOverwrite {
  /** `'@everyone'`, `'@bot'`, a user key or a role key. */
  target: string;
  allow?: PermissionName[];
  deny?: PermissionName[];
}

/** What a new server gives @everyone by default (the parts that matter to a text bot). */
export const DEFAULT_EVERYONE_PERMISSIONS: PermissionName[] = [
  'ViewChannel',
  'SendMessages',
  'ReadMessageHistory',
  'EmbedLinks',
  'AttachFiles',
  'AddReactions',
  'UseApplicationCommands',
  'CreatePublicThreads',
  'SendMessagesInThreads',
];

/** What Mend asks for when it is invited: talk in channels and create private couple channels. */
export const DEFAULT_BOT_PERMISSIONS: PermissionName[] = [
  'ViewChannel',
  'SendMessages',
  'SendMessagesInThreads',
  'EmbedLinks',
  'ReadMessageHistory',
  'ManageChannels',
];

export interface CoupleScenarioOptions {
  botPermissions?: PermissionName[];
  everyonePermissions?: PermissionName[];
}

/**
 * The world most end-to-end tests need: two partners (alex, sam), a third member (robin), a public channel
 * (`general`) and a private channel (`couple`) that only the partners and the bot can see.
 */
export function coupleScenario(options: CoupleScenarioOptions = {}): Scenario {
  return {
    bot: { username: 'Mend', applicationName: 'Mend' },
    users: [
      { key: 'alex', username: 'alex', globalName: 'Alex' },
      { key: 'sam', username: 'sam', globalName: 'Sam' },
      { key: 'robin', username: 'robin', globalName: 'Robin' },
      { key: 'owner', username: 'owner', globalName: 'Server Owner' },
    ],
    guilds: [
      {
        key: 'home',
        name: 'Home',
        owner: 'owner',
        everyonePermissions: options.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS,
        botPermissions: options.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
        members: ['alex', 'sam', 'robin', 'owner'],
        channels: [
          { key: 'general', name: 'general', topic: 'Everyone can read this' },
          {
            key: 'couple',
            name: 'alex-and-sam',
            topic: 'Private to Alex, Sam and Mend',
            overwrites: [
              { target: '@everyone', deny: ['ViewChannel'] },
              { target: 'alex', allow: ['ViewChannel', 'SendMessages', 'ReadMessageHistory'] },
              { target: 'sam', allow: ['ViewChannel', 'SendMessages', 'ReadMessageHistory'] },
              { target: '@bot', allow: ['ViewChannel', 'SendMessages', 'ReadMessageHistory', 'EmbedLinks'] },
            ],
          },
        ],
      },
    ],
  };
}
