/**
 * Wires config → log → store → flows → sessions → bot → health, and shuts down gracefully:
 * on SIGTERM or SIGINT it stops taking interactions, finishes those in flight, closes the gateway
 * and the store, and exits 0 — well within 10 seconds. Anything interrupted resumes on next start.
 */
import { type Config, describeConfig, shardsOf } from './config.js';
import { type Bot, startBot } from './discord/bot.js';
import { type BotMetrics, noMetrics } from './discord/context.js';
import { openSessionsByFlow } from './engine/census.js';
import { codecFor, StoreKeyError } from './engine/encryption.js';
import { loadFlows } from './engine/flow-registry.js';
import { SessionService } from './engine/session.js';
import { openStore, type Store } from './engine/store.js';
import { createLogger } from './log.js';
import { prepareStore } from './maintenance/prepare-store.js';
import { type HealthServer, startHealthServer } from './ops/health.js';
import { createMetrics, type Metrics } from './ops/metrics.js';

const SHUTDOWN_DEADLINE_MS = 9_000;
const HOUR = 3_600_000;

/** The bot reports in its own words; this maps them onto the Prometheus metrics. */
function botMetrics(metrics: Metrics): BotMetrics {
  return {
    sessionStarted: (flow) => metrics.sessionStarted(flow),
    sessionFinished: (flow, status) => {
      if (status === 'completed') metrics.sessionCompleted(flow);
      else if (status === 'ended' || status === 'declined') metrics.sessionEndedEarly(flow, status);
      else metrics.sessionEndedEarly(flow, 'incompatible');
    },
    interactionHandled: (kind, outcome, seconds) => metrics.interactionHandled(kind, outcome, seconds * 1000),
    restError: () => metrics.discordRestError(0),
    storeError: () => metrics.storeError('unknown'),
  };
}

export async function run(config: Config): Promise<void> {
  const log = createLogger({ logLevel: config.LOG_LEVEL, logPretty: config.LOG_PRETTY });
  log.info({ config: describeConfig(config) }, 'starting Mend');

  let store: Store;
  try {
    store = await openStore({ url: config.STORE_URL.url, codec: codecFor(config.STORE_ENCRYPTION_KEY) });
    await store.ping();
    // A wrong or missing key is found now, with one clear line, before anything is written; a store
    // from before the indexes gets them (once).
    const { indexed } = await prepareStore(store);
    if (indexed > 0) log.info({ indexed }, 'indexed the records of a store written by an earlier version');
  } catch (error) {
    if (error instanceof StoreKeyError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    log.fatal(
      { store: config.STORE_URL.kind, reason: error instanceof Error ? error.message : String(error) },
      'cannot open the store: check STORE_URL and that the server (if any) is running',
    );
    process.exit(1);
  }
  const flows = await loadFlows();
  const sessions = new SessionService({ store, flows, summaryApprovalMs: config.SUMMARY_APPROVAL_HOURS * HOUR });
  const metrics = createMetrics();
  // The gauge would start at zero after every restart; start it from what the store holds.
  const open = await openSessionsByFlow(store).catch(() => new Map<string, number>());
  for (const flowId of flows.keys()) metrics.setActiveSessions(flowId, open.get(flowId) ?? 0);

  let bot: Bot | undefined;
  let health: HealthServer | null = null;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing interactions in flight');
    const deadline = setTimeout(() => {
      log.warn('shutdown took too long; exiting anyway (sessions are safe in the store)');
      process.exit(0);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    await bot?.stop().catch(() => undefined);
    await health?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  health = await startHealthServer({
    port: config.HTTP_PORT,
    gatewayReady: () => bot?.ready() ?? false,
    storePing: () => store.ping(),
    metrics,
    log,
  });
  bot = await startBot({
    token: config.DISCORD_TOKEN,
    apiUrl: config.DISCORD_API_URL,
    guildId: config.DISCORD_GUILD_ID,
    shards: shardsOf(config),
    sessions,
    flows,
    store,
    log,
    metrics: config.HTTP_PORT === 0 ? noMetrics : botMetrics(metrics),
    safetyResources: config.SAFETY_RESOURCES,
    time: {
      reminderMs: config.REMINDER_HOURS * HOUR,
      expiryMs: config.SESSION_EXPIRY_DAYS * 24 * HOUR,
      retentionMs: config.SESSION_RETENTION_HOURS * HOUR,
    },
  });
  log.info({ flows: [...flows.keys()] }, 'Mend is ready');
}
