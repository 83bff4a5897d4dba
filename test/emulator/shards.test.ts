import { once } from 'node:events';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { coupleScenario, LocalDiscord, type Scenario } from '../support/discord/index.js';
import { eventually, talkCommand } from './bot-harness.js';

/** The couple scenario with a second guild, "away", where the same people have channels too (keys "…-away"). */
function twoGuilds(): Scenario {
  const base = coupleScenario();
  const home = base.guilds[0];
  if (!home) throw new Error('coupleScenario has no guild');
  const channels = (home.channels ?? []).map((c) => ({ ...c, key: `${c.key}-away` }));
  return { ...base, guilds: [home, { ...home, key: 'away', name: 'Away', channels }] };
}

describe('a local Discord with two shards and a bot process per shard', () => {
  const clients: Client[] = [];
  let discord: LocalDiscord | undefined;
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.destroy();
    await discord?.stop();
  });

  async function login(shard: number, count = 2, seen: string[] = []): Promise<Client<true>> {
    const d = discord as LocalDiscord;
    const client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: d.apiUrl },
      shards: [shard],
      shardCount: count,
    });
    clients.push(client);
    client.on(Events.InteractionCreate, async (interaction) => {
      seen.push(interaction.guildId ?? '');
      if (interaction.isRepliable()) await interaction.reply({ content: `shard ${shard} here` });
    });
    const ready = once(client, Events.ClientReady);
    await client.login(d.botToken);
    await ready;
    return client as Client<true>;
  }

  it('spreads the guilds over the shards and sends each guild only to the shard that owns it', async () => {
    discord = await LocalDiscord.start({ scenario: twoGuilds(), shardCount: 2 });
    const home = discord.guildId('home');
    const away = discord.guildId('away');
    expect(discord.shardOf('home')).toBe(Number((BigInt(home) >> 22n) % 2n));
    expect(new Set([discord.shardOf('home'), discord.shardOf('away')])).toEqual(new Set([0, 1]));

    const seenBy: [string[], string[]] = [[], []];
    const shard0 = await login(0, 2, seenBy[0]);
    expect(discord.botConnected).toBe(false);
    const shard1 = await login(1, 2, seenBy[1]);
    expect(discord.botConnected).toBe(true);
    const owner = (guildId: string) => (discord?.shardOf(guildId) === 0 ? shard0 : shard1);
    const other = (guildId: string) => (discord?.shardOf(guildId) === 0 ? shard1 : shard0);
    for (const guildId of [home, away]) {
      expect(owner(guildId).guilds.cache.has(guildId)).toBe(true);
      expect(other(guildId).guilds.cache.has(guildId)).toBe(false);
      await owner(guildId).application.commands.set([talkCommand.toJSON()], guildId);
    }

    const sam = discord.user('sam');
    for (const guildKey of ['home', 'away']) {
      const channel = guildKey === 'home' ? 'couple' : 'couple-away';
      const reply = await discord.user('alex').slash('talk', { flow: 'admit-mistake', partner: sam }, { channel });
      expect(reply.message?.content).toBe(`shard ${discord.shardOf(guildKey)} here`);
    }
    expect(seenBy[discord.shardOf('home')]).toEqual([home]);
    expect(seenBy[discord.shardOf('away')]).toEqual([away]);
    expect(discord.violations()).toEqual([]);
  });

  it('keeps a shard whose process is gone to itself: its guilds wait, the other shard carries on', async () => {
    discord = await LocalDiscord.start({ scenario: twoGuilds(), shardCount: 2 });
    const byShard = [await login(0), await login(1)];
    const homeShard = discord.shardOf('home');
    await byShard[homeShard]?.application.commands.set([talkCommand.toJSON()], discord.guildId('home'));
    await byShard[1 - homeShard]?.destroy();
    await eventually(() => expect(discord?.shardConnected(1 - homeShard)).toBe(false));
    expect(discord.shardConnected(homeShard)).toBe(true);
    const reply = await discord
      .user('alex')
      .slash('talk', { flow: 'admit-mistake', partner: discord.user('sam') }, { channel: 'couple' });
    expect(reply.message?.content).toBe(`shard ${homeShard} here`);
  });

  it('refuses an IDENTIFY with a shard count other than its own', async () => {
    discord = await LocalDiscord.start({ scenario: twoGuilds(), shardCount: 2 });
    const client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: discord.apiUrl },
      shards: [0],
      shardCount: 1,
    });
    clients.push(client);
    // discord.js gives up on 4011 (sharding required): login rejects or never becomes ready.
    const outcome = await Promise.race([
      client.login(discord.botToken).then(
        () => once(client, Events.ClientReady).then(() => 'ready'),
        () => 'refused',
      ),
      new Promise((resolve) => setTimeout(() => resolve('not ready'), 1500)),
    ]);
    expect(outcome).not.toBe('ready');
    expect(discord.violations().map((v) => v.reason)).toEqual([
      expect.stringContaining('IDENTIFY with shard [0,1]; this Discord runs 2 shard(s)'),
    ]);
  });
});
