/**
 * Past one machine: two bot processes (`src/main.ts`, as `npm start` runs it), each serving one of two
 * shards of a local Discord with guilds on both, sharing one Redis (then one PostgreSQL). 40 couples play
 * complete sessions through the buttons and forms; mid-run the process that serves shard 0 is killed outright
 * (SIGKILL) and started again. Every session completes; each stored session holds exactly the scripted
 * answers, none lost and none twice; each couple's summary is posted once.
 *
 * A couple whose click went to the dead process sees it fail, as on Discord ("This interaction failed"), and
 * does what a person would: clicks again once the bot is back, or, when the prompt it waits for never came,
 * types /talk and presses "Show where we are".
 *
 * Needs TEST_REDIS_URL / TEST_POSTGRES_URL (.ci/run sets both); each run gets a Redis database or a
 * PostgreSQL database of its own, removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Couple as BenchCouple,
  Couple,
  coupleKeys,
  type FlowScript,
  manyCouplesScenario,
  PromptTracker,
} from '../../bench/e2e-world.js';
import { Couples } from '../../src/engine/couples.js';
import { listedFlows } from '../../src/engine/flow-registry.js';
import { SessionService } from '../../src/engine/session.js';
import { openStore, type Store } from '../../src/engine/store.js';
import { type BotProcess, spawnBot, untilReady } from '../support/bot-process.js';
import { LocalDiscord } from '../support/discord/index.js';
import { flows } from '../support/flows.js';
import { alex, answer, completionScript, sam } from '../support/play.js';
import { buttonLabels } from '../support/prompt-buttons.js';
import { postgresClient, sqliteCase } from '../support/stores.js';

const COUPLES = 40;
const GUILDS = 4;
const RUN_LIMIT_MS = 100_000;
/** A couple that could not act for this long, with its shard up, lost the prompt it waits for. */
const STUCK_MS = 6_000;

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

interface ServerStore {
  name: 'redis' | 'postgres';
  skip?: string;
  /** A STORE_URL of this run's own. */
  prepare(): Promise<string>;
  cleanup(): Promise<void>;
}

function redisStore(): ServerStore {
  const base = process.env.TEST_REDIS_URL;
  let db: number | undefined;
  const cli = (...args: string[]) =>
    spawnSync('redis-cli', ['-u', `${base?.replace(/\/\d*$/, '')}/${db}`, ...args], { encoding: 'utf8' });
  return {
    name: 'redis',
    ...(base ? {} : { skip: 'TEST_REDIS_URL is not set' }),
    async prepare() {
      // A database nobody uses right now (the bot's keys are not namespaced per run; the database is).
      for (const candidate of [9, 10, 11, 12, 13, 14, 15, 8, 7, 6]) {
        db = candidate;
        if (cli('DBSIZE').stdout.trim() === '0') return `${base?.replace(/\/\d*$/, '')}/${db}`;
      }
      throw new Error('no empty Redis database for the scale-out test');
    },
    async cleanup() {
      if (db !== undefined) cli('FLUSHDB');
    },
  };
}

function postgresStore(): ServerStore {
  const base = process.env.TEST_POSTGRES_URL;
  const database = `mend_scale_${unique()}`;
  return {
    name: 'postgres',
    ...(base ? {} : { skip: 'TEST_POSTGRES_URL is not set' }),
    async prepare() {
      const client = await postgresClient(base);
      await client.query(`CREATE DATABASE ${database}`);
      await client.end();
      const url = new URL(base ?? '');
      url.pathname = `/${database}`;
      return url.toString();
    },
    async cleanup() {
      const client = await postgresClient(base);
      await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await client.end();
    },
  };
}

const guildOf = (discord: LocalDiscord, channelId: string): string =>
  String((discord.channel(channelId) as { guild_id?: string }).guild_id);

/** Every couple has agreed to what Mend keeps and done the private check, as the bench's couples have. */
async function passTheGate(store: Store, discord: LocalDiscord, couples: readonly BenchCouple[]) {
  const records = new Couples(store);
  for (const couple of couples) {
    const guildId = guildOf(discord, couple.channelId);
    const { a, b } = couple.partners;
    for (const [me, other] of [
      [a.id, b.id],
      [b.id, a.id],
    ] as const) {
      await records.agree(guildId, me, other, couple.channelId);
      await records.checkedSafety(guildId, me, other, couple.channelId, false);
    }
  }
}

/** What each flow's script leaves in a session played straight through by the engine, uninterrupted. */
async function uninterrupted(scripts: readonly FlowScript[]): Promise<Map<string, unknown[]>> {
  const file = sqliteCase();
  const store = await file.open();
  try {
    const service = new SessionService({ store, flows });
    const out = new Map<string, unknown[]>();
    for (const { flow, script } of scripts) {
      const channelId = `reference-${flow.id}`;
      await service.start({ channelId, flowId: flow.id, starter: alex, partner: sam });
      for (const event of script) await answer(service, channelId, event);
      const view = await service.view(channelId);
      if (view?.status !== 'completed') throw new Error(`${flow.id}: the script does not complete`);
      out.set(flow.id, answersOf(view.context.answers));
    }
    return out;
  } finally {
    await store.close();
    await file.cleanup();
  }
}

const answersOf = (answers: readonly { by: string; step: string; seq: number; value: unknown }[]) =>
  answers.map((a) => ({ by: a.by, step: a.step, seq: a.seq, value: a.value }));

const cases = [redisStore(), postgresStore()];
for (const c of cases) if (c.skip) console.log(`[scale-out] skipping the ${c.name} run: ${c.skip}`);

describe.each(cases)('two bot processes, one shard each, on $name', (server) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it.skipIf(server.skip !== undefined)(
    `${COUPLES} couples play whole sessions while one process is SIGKILLed and started again: nothing lost, nothing twice`,
    { timeout: 150_000 },
    async () => {
      const storeUrl = await server.prepare();
      cleanups.push(() => server.cleanup());
      const discord = await LocalDiscord.start({ scenario: manyCouplesScenario(COUPLES, GUILDS), shardCount: 2 });
      cleanups.push(() => discord.stop());
      const shardsOfGuilds = new Set(
        Array.from({ length: GUILDS }, (_, g) => discord.shardOf(g === 0 ? 'home' : `home${g}`)),
      );
      expect(shardsOfGuilds).toEqual(new Set([0, 1]));

      const scripts: FlowScript[] = listedFlows(flows).map((flow) => ({ flow, script: completionScript(flow) }));
      const expected = await uninterrupted(scripts);
      const tracker = new PromptTracker(discord);
      const couples = Array.from({ length: COUPLES }, (_, i) => {
        const keys = coupleKeys(i);
        return new Couple(
          i,
          discord.channelId(keys.channel),
          { a: discord.user(keys.a), b: discord.user(keys.b) },
          scripts,
          tracker,
        );
      });
      const shardOf = (couple: BenchCouple) => discord.shardOf(guildOf(discord, couple.channelId));

      const store = await openStore({ url: storeUrl });
      cleanups.push(() => store.close());
      await passTheGate(store, discord, couples);
      const sessions = new SessionService({ store, flows });

      const bots: BotProcess[] = [];
      cleanups.push(async () => {
        for (const bot of bots) {
          if (bot.child.exitCode === null && bot.child.signalCode === null) {
            bot.child.kill('SIGKILL');
            await bot.exited;
          }
        }
      });
      const startShard = async (shard: number) => {
        const bot = spawnBot(discord, {
          STORE_URL: storeUrl,
          SHARD_COUNT: '2',
          SHARD_IDS: String(shard),
          // Global commands, registered once by the process with shard 0, for the guilds of both shards.
          DISCORD_GUILD_ID: '',
        });
        bots.push(bot);
        await untilReady(bot, 30_000);
        return bot;
      };
      const byShard = [await startShard(0), await startShard(1)];
      await expect.poll(() => discord.botConnected, { timeout: 30_000, interval: 50 }).toBe(true);
      await expect.poll(() => discord.commands().some((c) => c.name === 'talk'), { timeout: 10_000 }).toBe(true);
      // Registered once: only the process with shard 0 wrote the commands.
      expect(discord.requests({ route: 'PUT /applications/:application_id/commands' })).toHaveLength(1);

      // ---- the run
      const totalActions = couples.reduce((n, c) => n + c.script.length, 0);
      let settled = 0;
      let failures = 0;
      let recoveries = 0;
      let refusals = 0;
      const lastProgress = new Map<BenchCouple, number>(couples.map((c) => [c, Date.now()]));
      const recovering = new Set<BenchCouple>();
      let killedAt: number | undefined;

      /** After a crash: carry on from what the store holds, the prompt shown again. */
      const recover = async (couple: BenchCouple) => {
        recovering.add(couple);
        recoveries += 1;
        try {
          const view = await sessions.view(couple.channelId);
          const script = couple.script;
          if (view?.status === 'completed') {
            couple.resync(script.length, tracker.now);
            return;
          }
          // Where the store says the session stands: the first scripted answer from here on that fits the
          // prompt it waits on (the couple may have missed that its last answer went in).
          const prompt = view?.prompt;
          let at = couple.scriptStep;
          while (
            at < script.length &&
            !(script[at]?.step === prompt?.step && prompt?.awaiting.includes(script[at]?.by ?? 'a'))
          )
            at += 1;
          if (!prompt || at >= script.length) return;
          const marker = tracker.now;
          // Whoever answers next asks: a private step (a review of one's own words) comes back to them alone.
          const { a, b } = script[at]?.by === 'b' ? { a: couple.partners.b, b: couple.partners.a } : couple.partners;
          const offer = await a.slash(
            'talk',
            { flow: couple.script === undefined ? '' : (view?.flow.id ?? ''), partner: b },
            { channel: couple.channelId },
          );
          if (offer.message) await a.click(offer.message, 'Show where we are');
          couple.resync(at, marker);
        } catch {
          // The bot is not back yet: tried again on the next round.
        } finally {
          recovering.delete(couple);
          lastProgress.set(couple, Date.now());
        }
      };

      const started = Date.now();
      while (!couples.every((c) => c.playedThrough)) {
        if (Date.now() - started > RUN_LIMIT_MS) break;
        for (const couple of couples) {
          if (couple.playedThrough || couple.busy || recovering.has(couple)) continue;
          if (!discord.shardConnected(shardOf(couple))) continue;
          const action = couple.next();
          if (!action) {
            if (Date.now() - (lastProgress.get(couple) ?? 0) > STUCK_MS) void recover(couple);
            continue;
          }
          couple.busy = true;
          action
            .send()
            .then((response) => {
              couple.busy = false;
              if (action.settle(response) === undefined) {
                settled += 1;
                lastProgress.set(couple, Date.now());
              } else {
                // Refused ("that step has passed"): the answer went in before the crash; find where it stands.
                refusals += 1;
                void recover(couple);
              }
            })
            .catch(() => {
              // No first response in time: the process that had it is gone.
              couple.busy = false;
              failures += 1;
              void recover(couple);
            });
        }
        if (killedAt === undefined && settled >= totalActions * 0.3) {
          // Mid-run, just after a round of clicks went out: the process that serves shard 0 dies outright,
          // with interactions in flight.
          killedAt = Date.now();
          byShard[0]?.child.kill('SIGKILL');
          await byShard[0]?.exited;
          byShard[0] = await startShard(0);
        }
        // Until something happens in the local Discord (a prompt posted, a click answered), there is
        // nothing new to act on; a second without anything lets the loop look for stuck couples.
        const seen = discord.timeline().length;
        await discord
          .waitUntil(() => (discord.timeline().length > seen ? true : undefined), 'activity', 1_000)
          .catch(() => undefined);
      }

      // ---- what happened
      for (const c of couples.filter((c) => !c.playedThrough).slice(0, 5)) {
        const view = await sessions.view(c.channelId);
        console.log(
          `[scale-out] couple ${c.index} (shard ${shardOf(c)}) at ${c.scriptStep}/${c.script.length}, retired: ${c.retired}; ` +
            `store: ${view?.status} ${view?.context.answers.length} answers, prompt ${view?.prompt?.key}; next ${JSON.stringify(c.script[c.scriptStep]).slice(0, 120)}`,
        );
        for (const m of discord.channelMessages(c.channelId).slice(-4)) {
          console.log(`   channel: ${m.embeds?.[0]?.title ?? m.content.slice(0, 60)} [${buttonLabels(m).join(' | ')}]`);
        }
        for (const m of [...discord.ephemeralsFor(c.partners.a.id), ...discord.ephemeralsFor(c.partners.b.id)].slice(
          -3,
        )) {
          console.log(`   private: ${m.embeds?.[0]?.title ?? m.content.slice(0, 60)} [${buttonLabels(m).join(' | ')}]`);
        }
      }
      expect(killedAt, 'the process was killed mid-run').toBeDefined();
      expect(failures, 'clicks the dead process never answered').toBeGreaterThan(0);
      expect(
        couples.filter((c) => !c.playedThrough).map((c) => c.index),
        'couples that did not finish',
      ).toEqual([]);
      for (const couple of couples) {
        const view = await sessions.view(couple.channelId);
        expect(view?.status, `couple ${couple.index}`).toBe('completed');
        // Exactly what the same answers leave when played straight through: nothing lost, nothing applied twice.
        expect(answersOf(view?.context.answers ?? []), `couple ${couple.index}'s answers`).toEqual(
          expected.get(view?.flow.id ?? ''),
        );
      }
      // Each summary posted once (a summary the dead process had not finished is delivered by its successor).
      const summaryCount = (channelId: string) =>
        discord
          .channelMessages(channelId)
          .filter((m) =>
            m.embeds?.some((e) => e.title?.startsWith('Summary · ') || e.author?.name?.startsWith('Summary · ')),
          ).length;
      await expect
        .poll(() => couples.filter((c) => summaryCount(c.channelId) !== 1).map((c) => c.index), {
          timeout: 30_000,
          interval: 200,
        })
        .toEqual([]);
      console.log(
        `[scale-out] ${server.name}: ${couples.length} sessions completed in ${Math.round((Date.now() - started) / 1000)} s; ` +
          `${failures} clicks cut off by the kill, ${refusals} refused as already past, ${recoveries} recoveries`,
      );
    },
  );
});
