export type { SlashOptionValue } from './command-options.js';
export type { InteractionTiming } from './interactions.js';
export { LIMITS } from './limits.js';
export { type FailNextOptions, LocalDiscord, type LocalDiscordOptions } from './local-discord.js';
export { NO_PINGS, type Pings } from './mentions.js';
export type { ActionMoment, FormMoment, MessageMoment, TimelineEntry } from './messages.js';
export type { ModalAnswers } from './modal-submission.js';
export { type PermissionName, permissionBits } from './permissions.js';
export type { RecordedRequest, Violation } from './recorder.js';
export { BotResponse, type BotResponseKind } from './responses.js';
export {
  type CoupleScenarioOptions,
  coupleScenario,
  DEFAULT_BOT_PERMISSIONS,
  DEFAULT_EVERYONE_PERMISSIONS,
  type Scenario,
  type ScenarioChannel,
  type ScenarioGuild,
  type ScenarioOverwrite,
  type ScenarioRole,
  type ScenarioUser,
} from './scenario.js';
export type { SettledOptions } from './settling.js';
export { DiscordUser, type MessageTarget, type SlashWhere } from './users.js';
