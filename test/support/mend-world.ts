/**
 * Mend running for real against the local Discord, for the end-to-end tests to act in.
 *
 * - `startMend()`: the actual bot (src/discord/bot.ts) in this process, with a SQLite store in a temporary
 *   folder, logged in with the real discord.js client. Its `settled()` is exact: the local Discord's own
 *   `settled()` with the bot's `busy()` as the probe.
 * - `startMendProcess()`: the bot as its own process (`src/main.ts`, as `npm start` runs it), which a test can
 *   kill, stop and start again on the same file. It cannot tell us when it is busy, so its `settled()` only
 *   covers what reaches the local Discord, and the people wait for what they look for.
 *
 * Both give the same people (`couple.alex`, `couple.sam`, …) to act as; see conversation.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type Bot, startBot } from '../../src/discord/bot.js';
import type { Codec } from '../../src/engine/codec.js';
import type { PartnerId } from '../../src/engine/flow-types.js';
import { SessionService, type SessionView, sessionKey } from '../../src/engine/session.js';
import { openStore, type Store } from '../../src/engine/store.js';
import { createLogger } from '../../src/log.js';
import { type BotProcess, spawnBot, untilReady } from './bot-process.js';
import {
  type AnswerEvent,
  ChannelView,
  type Couple,
  coupleOn,
  type Person,
  type PlayedAnswer,
  partnerIn,
  play,
  type Stage,
} from './conversation.js';
import { type CoupleScenarioOptions, coupleScenario, LocalDiscord } from './discord/index.js';
import { flows } from './flows.js';
import type { StoreCase } from './stores.js';

/** A clock the bot reads: the real time, moved forward by `advance()` (reminders, breaks, expiry). */
export class TestClock {
  private offsetMs = 0;

  readonly now = (): number => Date.now() + this.offsetMs;

  advance(ms: number) {
    this.offsetMs += ms;
  }
}

export interface MendOptions {
  /** The bot's permissions in the guild (e.g. without Manage Channels). */
  botPermissions?: CoupleScenarioOptions;
  /** Encrypts the store (STORE_ENCRYPTION_KEY). */
  codec?: Codec;
  /** Reminders, expiry and retention; default: the bot's own (12 h, 14 days, 24 h). */
  time?: { reminderMs: number; expiryMs: number; retentionMs: number };
  /** Another store than the world's own SQLite file (Redis, PostgreSQL): opened by the world, cleaned up by `stop()`. */
  store?: StoreCase;
  /** Bytes per attachment the local Discord allows (default 10 MiB, Discord's without boosts). */
  attachmentSizeLimit?: number;
  /**
   * Hours the couple have to look a summary over before it is posted (SUMMARY_APPROVAL_HOURS). By
   * default 0: the summary is posted at once, as if both had found it fair, so a test about
   * something else reads as it always did; approval tests set it.
   */
  summaryApprovalHours?: number;
}

export interface MendWorld extends Stage {
  bot: Bot;
  store: Store;
  sessions: SessionService;
  clock: TestClock;
  /** The SQLite file behind the store (never made when `store` names another). */
  file: string;
  /** Every log line the bot wrote, as text. */
  logs: string[];
  /** Alex and Sam, Robin and the owner, and the couple's channel. */
  couple: Couple;
  /** The couple plays a script of answers through Discord (partner 'a' is whoever started). */
  plays(script: readonly AnswerEvent[]): Promise<PlayedAnswer[]>;
  /** Partner 'a' (who started) or 'b', as a person. */
  partner(by: PartnerId): Person;
  /** Any channel (key or id, e.g. one the bot created), as the people in it read it. */
  channel(keyOrId: string): ChannelView;
  /** Runs one sweep of the bot now (reminders, expiry, retries) and waits for what it posts. */
  sweep(): Promise<void>;
  /** The session in the couple's channel (or another), as the engine sees it. */
  session(channel?: string): Promise<SessionView | undefined>;
  /** The session's record exactly as stored, to show that something left it untouched. */
  storedSession(channel?: string): Promise<string>;
  /** Stops the bot and closes its store (a clean stop), leaving the files to read; `stop()` still cleans up. */
  stopBot(): Promise<void>;
  stop(): Promise<void>;
}

export async function startMend(options: MendOptions = {}, clock = new TestClock()): Promise<MendWorld> {
  const discord = await LocalDiscord.start({
    scenario: coupleScenario(options.botPermissions),
    ...(options.attachmentSizeLimit ? { attachmentSizeLimit: options.attachmentSizeLimit } : {}),
  });
  const dir = mkdtempSync(join(tmpdir(), 'mend-e2e-'));
  const file = join(dir, 'mend.sqlite');
  if (options.store && options.codec)
    throw new Error('mendOptions: a codec goes with the world’s own SQLite store only');
  const store = options.store
    ? await options.store.open()
    : await openStore({ url: `sqlite://${file}`, ...(options.codec ? { codec: options.codec } : {}) });
  const sessions = new SessionService({
    store,
    flows,
    now: clock.now,
    summaryApprovalMs: (options.summaryApprovalHours ?? 0) * 3_600_000,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const bot = await startBot({
    token: discord.botToken,
    apiUrl: discord.apiUrl,
    guildId: discord.guildId(),
    sessions,
    flows,
    store,
    log: createLogger({ logLevel: 'debug', logPretty: false }, sink),
    sweepEveryMs: 100,
    retryBaseMs: 100,
    now: clock.now,
    ...(options.time ? { time: options.time } : {}),
  });
  let stopped: Promise<void> | undefined;
  const stopBot = () => {
    stopped ??= bot.stop().then(() => store.close());
    return stopped;
  };
  const stage: Stage = {
    discord,
    flows,
    exact: true,
    scene: { channel: 'couple', flowId: undefined, starter: 'alex' },
    settled: () => discord.settled({ busy: () => bot.busy(), quietMs: 3 }),
  };
  const couple = coupleOn(stage);
  const channelId = (channel = 'couple') => discord.channelId(channel);
  return {
    ...stage,
    bot,
    store,
    sessions,
    clock,
    file,
    logs,
    couple,
    plays: (script) => play(couple, stage, script),
    partner: (by) => partnerIn(couple, stage, by),
    channel: (keyOrId) => new ChannelView(stage, keyOrId),
    async sweep() {
      await bot.sweep();
      await stage.settled();
    },
    session: (channel) => sessions.view(channelId(channel)),
    storedSession: async (channel) => JSON.stringify(await store.get(sessionKey(channelId(channel)))),
    stopBot,
    async stop() {
      await stopBot();
      await discord.stop();
      await options.store?.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface MendProcessWorld extends Stage {
  couple: Couple;
  /** The SQLite file every start of the bot uses. */
  file: string;
  /** Starts the bot as its own process on the same file and waits until it is ready and connected. */
  start(env?: Record<string, string>): Promise<BotProcess>;
  plays(script: readonly AnswerEvent[]): Promise<PlayedAnswer[]>;
  partner(by: PartnerId): Person;
  /** Kills what is still running and removes the files. */
  stop(): Promise<void>;
}

export interface MendProcessOptions {
  /** Environment for every start (STORE_URL defaults to the world's SQLite file). */
  env?: Record<string, string>;
}

export async function startMendProcess(options: MendProcessOptions = {}): Promise<MendProcessWorld> {
  const discord = await LocalDiscord.start({ scenario: coupleScenario() });
  const dir = mkdtempSync(join(tmpdir(), 'mend-process-'));
  const file = join(dir, 'mend.sqlite');
  const bots: BotProcess[] = [];
  const stage: Stage = {
    discord,
    flows,
    exact: false,
    scene: { channel: 'couple', flowId: undefined, starter: 'alex' },
    // The bot's own work is out of sight; the people wait for what they look for.
    settled: () => discord.settled(),
  };
  const couple = coupleOn(stage);
  return {
    ...stage,
    couple,
    file,
    async start(env = {}) {
      // As in the world above: summaries post at once unless a test asks for the look-over.
      const bot = spawnBot(discord, {
        STORE_URL: `sqlite://${file}`,
        SUMMARY_APPROVAL_HOURS: '0',
        ...options.env,
        ...env,
      });
      bots.push(bot);
      await untilReady(bot);
      await discord.waitForBot();
      return bot;
    },
    plays: (script) => play(couple, stage, script),
    partner: (by) => partnerIn(couple, stage, by),
    async stop() {
      for (const bot of bots) {
        if (bot.child.exitCode === null && bot.child.signalCode === null) {
          bot.child.kill('SIGKILL');
          await bot.exited;
        }
      }
      await discord.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
