import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, type Interaction, SlashCommandBuilder } from 'discord.js';
import { afterEach } from 'vitest';
import { LocalDiscord, type LocalDiscordOptions } from '../support/discord/index.js';

export type InteractionHandler = (interaction: Interaction) => Promise<void>;

/** Errors thrown by the inline handlers, so tests can assert on what discord.js saw (e.g. DiscordAPIError 40060). */
export interface RunningBot {
  client: Client<true>;
  errors: unknown[];
  stop(): Promise<void>;
}

export const talkCommand = new SlashCommandBuilder()
  .setName('talk')
  .setDescription('Start a guided conversation')
  .addStringOption((o) =>
    o
      .setName('flow')
      .setDescription('Which conversation')
      .setRequired(true)
      .addChoices(
        { name: 'Admitting a mistake', value: 'admit-mistake' },
        { name: 'Ground rules', value: 'ground-rules' },
      ),
  )
  .addUserOption((o) => o.setName('partner').setDescription('Your partner'));

/**
 * Logs a real discord.js client in to the local Discord (Guilds intent only), registers /talk in the guild and
 * routes every interaction to `handler`. This is the whole bot side of the emulator tests: no mocks.
 */
export async function startBot(discord: LocalDiscord, handler: InteractionHandler): Promise<RunningBot> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiUrl } });
  const errors: unknown[] = [];
  client.on(Events.InteractionCreate, (interaction) => {
    handler(interaction).catch((error: unknown) => errors.push(error));
  });
  const ready = once(client, Events.ClientReady);
  await client.login(discord.botToken);
  await ready;
  const readyClient = client as Client<true>;
  await readyClient.application.commands.set([talkCommand.toJSON()], discord.guildId());
  return {
    client: readyClient,
    errors,
    stop: async () => {
      await client.destroy();
    },
  };
}

/** Resolves when `check` stops throwing (for effects that happen after the bot's first response). */
export async function eventually(check: () => void, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/**
 * A local Discord and a harness bot per test, stopped after each: call inside a `describe`, then
 * `const { discord, bot } = await setUp(handler)` in a test.
 */
export function harnessPerTest() {
  let discord: LocalDiscord | undefined;
  let bot: RunningBot | undefined;
  afterEach(async () => {
    await bot?.stop();
    await discord?.stop();
    bot = undefined;
    discord = undefined;
  });
  return async function setUp(handler: InteractionHandler, options: LocalDiscordOptions = {}) {
    discord = await LocalDiscord.start(options);
    bot = await startBot(discord, handler);
    return { discord, bot };
  };
}
