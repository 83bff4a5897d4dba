/**
 * The floor of this stack for `npm run bench:e2e`: a bare discord.js bot with Mend's intents (Guilds only)
 * and client options, which registers one command and acknowledges every interaction with a static reply.
 * No store, no engine, no rendering: what is left is discord.js's gateway parsing, its REST client and the
 * callback itself, the part of Mend's cost no bot on this stack avoids.
 *
 *   DISCORD_TOKEN=… DISCORD_API_URL=… DISCORD_GUILD_ID=… node --import tsx bench/bare-bot.ts
 */
import { ButtonStyle, Client, ComponentType, Events, GatewayIntentBits } from 'discord.js';

const token = process.env.DISCORD_TOKEN ?? '';
const api = process.env.DISCORD_API_URL ?? '';
const guildId = process.env.DISCORD_GUILD_ID ?? '';

const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api }, allowedMentions: { parse: [] } });

/** The same reply every time: a line and one button to click for the next interaction. */
const reply = {
  content: 'Noted.',
  components: [
    {
      type: ComponentType.ActionRow as const,
      components: [
        { type: ComponentType.Button as const, custom_id: 'bare:again', label: 'Again', style: ButtonStyle.Secondary },
      ],
    },
  ],
};

client.on(Events.InteractionCreate, (interaction) => {
  if (!interaction.isRepliable()) return;
  interaction.reply(reply).catch((error: unknown) => console.error(`reply failed: ${String(error)}`));
});

client.once(Events.ClientReady, async (ready) => {
  await ready.application.commands.set([{ name: 'ping', description: 'A static reply' }], guildId);
  console.log('bare bot ready');
});

process.on('SIGTERM', () => {
  void client.destroy().then(() => process.exit(0));
});

await client.login(token);
