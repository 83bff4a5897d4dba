/**
 * The Discord client: Guilds intent only (no privileged intents — answers come through buttons
 * and forms), mentions parsed from nothing by default, commands registered at start-up, every
 * interaction handed to the router, and a sweeper that retries summaries that could not be posted.
 * A process serves the shards it is given (SHARD_IDS of SHARD_COUNT): Discord sends it the events of
 * those shards' guilds only. Commands are registered once for the whole bot, by the process that
 * serves shard 0, not by every process.
 */
import { Client, Events, GatewayIntentBits, type Interaction, type Client as ReadyClient } from 'discord.js';
import type { Logger } from 'pino';
import { DEFAULT_SAFETY_RESOURCES } from '../config.js';
import { Couples } from '../engine/couples.js';
import { type FlowRegistry, listedFlows } from '../engine/flow-registry.js';
import type { SessionService } from '../engine/session.js';
import type { Store } from '../engine/store.js';
import { Timekeeper } from '../engine/timekeeper.js';
import { addToAnswer, reviseAnswer, submitAnswer } from './answering.js';
import { channelOut } from './channel-out.js';
import { buttonRows } from './components.js';
import { type BotContext, type BotMetrics, noMetrics } from './context.js';
import { InteractionWebhooks } from './interaction-webhook.js';
import again from './interactions/again.js';
import { deliverNotice } from './notices.js';
import { postPrompt, presentOutcome } from './presenter.js';
import { commands, handleInteraction } from './router.js';
import { errorSummary, SummaryPoster } from './summary-post.js';

const HOUR = 3_600_000;

export interface BotOptions {
  token: string;
  /** REST base; discord.js appends `/v10/…`. */
  apiUrl: string;
  guildId?: string | undefined;
  /** The shards this process serves, of how many in all (one shard, 0 of 1, when left out). */
  shards?: { ids: number[]; count: number };
  sessions: SessionService;
  flows: FlowRegistry;
  store: Store;
  log: Logger;
  metrics?: BotMetrics;
  now?: () => number;
  /** How often queued summaries are looked at for a retry. */
  sweepEveryMs?: number;
  /** First retry delay of a summary that could not be posted (doubles each time). */
  retryBaseMs?: number;
  /** Help shown privately on a safety pause (SAFETY_RESOURCES). */
  safetyResources?: string;
  /** Reminders, expiry and retention (from REMINDER_HOURS, SESSION_EXPIRY_DAYS, SESSION_RETENTION_HOURS). */
  time?: { reminderMs: number; expiryMs: number; retentionMs: number };
}

export interface Bot {
  client: Client;
  context: BotContext;
  /** True once the gateway session is ready (health checks). */
  ready(): boolean;
  /** Runs one sweep now: summary retries, reminders, expiry, retention. */
  sweep(): Promise<void>;
  /** True while an interaction handler is running or a sweep is under way (tests wait for it to be false). */
  busy(): boolean;
  /** Stops taking interactions, waits for those in flight, then closes the gateway. */
  stop(): Promise<void>;
}

/** Bulk overwrite: the commands Discord shows are exactly ours, no stale leftovers. */
async function registerCommands(client: ReadyClient<true>, flows: FlowRegistry, guildId?: string): Promise<void> {
  const body = commands.map((command) => command.data(flows));
  if (guildId) await client.application.commands.set(body, guildId);
  else await client.application.commands.set(body);
}

export async function startBot(options: BotOptions): Promise<Bot> {
  const log = options.log;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: options.apiUrl },
    shards: options.shards?.ids ?? [0],
    shardCount: options.shards?.count ?? 1,
    // Nothing pings unless a message names the one user whose turn it is.
    allowedMentions: { parse: [] },
  });
  const metrics = options.metrics ?? noMetrics;
  const now = options.now ?? Date.now;
  const time = options.time ?? { reminderMs: 12 * HOUR, expiryMs: 14 * 24 * HOUR, retentionMs: 24 * HOUR };
  const timekeeper = new Timekeeper({
    store: options.store,
    sessions: options.sessions,
    outbox: options.sessions.outbox,
    now,
    ...time,
  });
  const webhooks = new InteractionWebhooks(options.apiUrl, now);
  const poster = new SummaryPoster({
    client,
    // Right after the last input, through that interaction's follow-ups; from the sweeper, the bot token.
    channelOut: (channelId) => channelOut(context, channelId),
    outbox: options.sessions.outbox,
    due: options.store.due,
    owedSummary: (channelId, sessionId) => options.sessions.owedSummary(channelId, sessionId),
    log,
    now,
    onError: () => metrics.restError(),
    // Another conversation with the same partner, one button per flow, under the summary.
    closingRows: (entry) =>
      buttonRows(
        ...listedFlows(options.flows).map((flow) => ({
          customId: again.customId({ flow: flow.id, a: entry.partnerIds[0], b: entry.partnerIds[1] }),
          label: flow.title,
          style: 'secondary' as const,
        })),
      ),
    // The couple's history links to the summary's first message.
    onFirstMessage: (entry, messageId) => options.sessions.history.summaryPosted(entry, messageId, now()),
    // Retention 0 means "delete as soon as it is delivered", not "at the next sweep".
    onDelivered: time.retentionMs === 0 ? () => timekeeper.purgeDelivered() : undefined,
    ...(options.retryBaseMs === undefined ? {} : { retryBaseMs: options.retryBaseMs }),
  });
  const context: BotContext = {
    client,
    sessions: options.sessions,
    flows: options.flows,
    store: options.store,
    couples: new Couples(options.store, now),
    keeping: { expiryMs: time.expiryMs, retentionMs: time.retentionMs },
    poster,
    webhooks,
    log,
    metrics,
    now,
    safetyResources: options.safetyResources ?? DEFAULT_SAFETY_RESOURCES,
    present: {
      outcome: (outcome, displayed) => presentOutcome(context, outcome, displayed),
      prompt: (view) => postPrompt(context, view),
    },
    answering: {
      submit: (interaction, key, value) => submitAnswer(context, interaction, key, value),
      revise: (interaction, key, value) => reviseAnswer(context, interaction, key, value),
      add: (interaction, key, text) => addToAnswer(context, interaction, key, text),
    },
  };

  let accepting = true;
  const inFlight = new Set<Promise<void>>();
  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    if (!accepting) return;
    const work = handleInteraction(interaction, context).finally(() => inFlight.delete(work));
    inFlight.add(work);
  });
  client.on(Events.Error, (error) => log.error({ err: errorSummary(error) }, 'discord client error'));
  client.rest.on('response', (_request, response) => {
    if (response.status >= 500 || response.status === 429) metrics.restError();
  });

  const ready = new Promise<void>((resolve) => {
    client.once(Events.ClientReady, async (c) => {
      log.info({ user: c.user.tag, guilds: c.guilds.cache.size }, 'connected to Discord');
      const registers = (options.shards?.ids ?? [0]).includes(0);
      try {
        if (registers) {
          await registerCommands(c, options.flows, options.guildId);
          log.info({ scope: options.guildId ? 'guild' : 'global' }, 'slash commands registered');
        } else log.info('slash commands left to the process that serves shard 0');
      } catch (error) {
        log.error({ err: errorSummary(error) }, 'could not register slash commands');
      }
      resolve();
    });
  });
  await client.login(options.token);
  await ready;

  const sweepEveryMs = options.sweepEveryMs ?? 15_000;
  let sweeping = false;
  const sweep = async () => {
    if (sweeping) return;
    sweeping = true;
    try {
      await poster.retryDue();
      await timekeeper.tick((notice) => deliverNotice(context, notice));
    } catch (error) {
      log.warn({ err: errorSummary(error) }, 'sweep failed; will try again');
    } finally {
      sweeping = false;
    }
  };
  const sweeper = setInterval(() => void sweep(), sweepEveryMs);
  sweeper.unref();
  // Anything queued or due before a restart goes out now rather than at the first tick.
  void sweep();

  return {
    client,
    context,
    ready: () => client.isReady() && client.ws.status === 0,
    sweep,
    busy: () => inFlight.size > 0 || sweeping,
    async stop() {
      accepting = false;
      clearInterval(sweeper);
      await Promise.allSettled([...inFlight]);
      await options.sessions.idle();
      await client.destroy();
      webhooks.destroy();
    },
  };
}
