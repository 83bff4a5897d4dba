/**
 * The slash commands, as data (for registration) plus the handler each runs. Registered at start-up
 * by bulk overwrite: to one guild when DISCORD_GUILD_ID is set (instant), globally otherwise.
 */
import {
  type ChatInputCommandInteraction,
  type Client,
  InteractionContextType,
  type RESTPutAPIApplicationCommandsJSONBody,
  SlashCommandBuilder,
} from 'discord.js';
import type { FlowRegistry } from '../engine/flow-registry.js';
import type { BotContext } from './context.js';
import { forgetCommand } from './handlers/forget.js';
import { talkCommand } from './handlers/talk.js';

export interface Command {
  name: string;
  execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<string>;
}

export const commands: readonly Command[] = [talkCommand, forgetCommand];

export function commandData(flows: FlowRegistry): RESTPutAPIApplicationCommandsJSONBody {
  const talk = new SlashCommandBuilder()
    .setName('talk')
    .setDescription('Start, or pick up, a guided conversation with your partner')
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) =>
      option
        .setName('flow')
        .setDescription('Which conversation to have')
        .setRequired(false)
        .addChoices(...[...flows.values()].map((f) => ({ name: f.title.slice(0, 100), value: f.id }))),
    )
    .addUserOption((option) =>
      option.setName('partner').setDescription('Your partner in this conversation').setRequired(false),
    );
  const forget = new SlashCommandBuilder()
    .setName('forget')
    .setDescription('Erase everything Mend keeps about you and your partner')
    .setContexts(InteractionContextType.Guild)
    .addUserOption((option) => option.setName('partner').setDescription('Your partner').setRequired(true));
  return [talk.toJSON(), forget.toJSON()];
}

/** Bulk overwrite: the commands Discord shows are exactly ours, no stale leftovers. */
export async function registerCommands(client: Client<true>, flows: FlowRegistry, guildId?: string): Promise<void> {
  const body = commandData(flows);
  if (guildId) await client.application.commands.set(body, guildId);
  else await client.application.commands.set(body);
}
