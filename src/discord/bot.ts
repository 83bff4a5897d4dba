/**
 * The Discord client: Guilds intent only (no privileged intents — answers come through buttons
 * and forms), mentions parsed from nothing by default, commands registered at start-up, every
 * interaction handed to the router, and a sweeper that retries summaries that could not be posted.
 */
import { Client, Events, GatewayIntentBits, type Interaction } from 'discord.js';
import type { Logger } from 'pino';
import type { FlowRegistry } from '../engine/flow-registry.js';
import type { SessionService } from '../engine/session.js';
import type { Store } from '../engine/store.js';
import { registerCommands } from './commands.js';
import { type BotContext, type BotMetrics, noMetrics } from './context.js';
import { handleInteraction } from './router.js';
import { errorSummary, SummaryPoster } from './summary-post.js';

export interface BotOptions {
  token: string;
  /** REST base; discord.js appends `/v10/…`. */
  apiUrl: string;
  guildId?: string | undefined;
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
}

export interface Bot {
  client: Client;
  context: BotContext;
  /** True once the gateway session is ready (health checks). */
  ready(): boolean;
  /** Stops taking interactions, waits for those in flight, then closes the gateway. */
  stop(): Promise<void>;
}

export async function startBot(options: BotOptions): Promise<Bot> {
  const log = options.log;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: options.apiUrl },
    // Nothing pings unless a message names the one user whose turn it is.
    allowedMentions: { parse: [] },
  });
  const metrics = options.metrics ?? noMetrics;
  const now = options.now ?? Date.now;
  const poster = new SummaryPoster({
    client,
    outbox: options.sessions.outbox,
    log,
    now,
    onError: () => metrics.restError(),
    ...(options.retryBaseMs === undefined ? {} : { retryBaseMs: options.retryBaseMs }),
  });
  const context: BotContext = {
    client,
    sessions: options.sessions,
    flows: options.flows,
    store: options.store,
    poster,
    log,
    metrics,
    now,
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
      try {
        await registerCommands(c, options.flows, options.guildId);
        log.info({ scope: options.guildId ? 'guild' : 'global' }, 'slash commands registered');
      } catch (error) {
        log.error({ err: errorSummary(error) }, 'could not register slash commands');
      }
      resolve();
    });
  });
  await client.login(options.token);
  await ready;

  const sweepEveryMs = options.sweepEveryMs ?? 15_000;
  const sweeper = setInterval(() => {
    poster.retryDue().catch((error) => {
      metrics.storeError();
      log.warn({ err: errorSummary(error) }, 'summary sweep failed; will try again');
    });
  }, sweepEveryMs);
  sweeper.unref();
  // Anything queued before a restart goes out now rather than at the first tick.
  void poster.retryDue().catch(() => undefined);

  return {
    client,
    context,
    ready: () => client.isReady() && client.ws.status === 0,
    async stop() {
      accepting = false;
      clearInterval(sweeper);
      await Promise.allSettled([...inFlight]);
      await options.sessions.idle();
      await client.destroy();
    },
  };
}
