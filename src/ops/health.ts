/**
 * The operator's window into a running bot: `GET /healthz` for Docker's HEALTHCHECK, Compose and
 * orchestrators, `GET /metrics` for Prometheus. Plain node:http: two routes need no framework.
 *
 * Healthy means both halves of a turn work: the Discord gateway is connected (an injected
 * `gatewayReady()`, e.g. `() => client.isReady()`) and the store answers a ping within about a
 * second. Anything else is 503 with a short reason, never an error's text (a connection error can
 * carry a store URL with its password).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';
import type { Metrics } from './metrics.js';

export const DEFAULT_PING_TIMEOUT_MS = 1000;

export interface HealthOptions {
  /** True while the gateway connection is up and ready. */
  gatewayReady: () => boolean;
  /** Resolves when the store is reachable (`store.ping()`). */
  storePing: () => Promise<unknown>;
  /** Renders /metrics; without it /metrics is 404. */
  metrics?: Metrics;
  /** How long a store ping may take before the bot counts as unhealthy. */
  pingTimeoutMs?: number;
  /** Where a failed check is explained (warn); the response says only a short reason. */
  log?: Logger;
}

export interface HealthResult {
  ok: boolean;
  /** 'ok', or a short reason: 'gateway not ready', 'store ping failed', 'store ping timed out'. */
  reason: string;
}

/** Runs the health check once (what /healthz answers). Concurrent checks share one store ping. */
export function createHealthCheck(options: HealthOptions): () => Promise<HealthResult> {
  const timeoutMs = options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS;
  let inflight: Promise<HealthResult> | undefined;

  const pingStore = async (): Promise<HealthResult> => {
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<HealthResult>((resolve) => {
      timer = setTimeout(() => {
        timedOut = true;
        options.log?.warn({ timeoutMs }, 'health check: store ping timed out');
        options.metrics?.storeError('ping');
        resolve({ ok: false, reason: 'store ping timed out' });
      }, timeoutMs);
      timer.unref();
    });
    const ping = Promise.resolve()
      .then(() => options.storePing())
      .then(
        (): HealthResult => ({ ok: true, reason: 'ok' }),
        (error: unknown): HealthResult => {
          // A ping that fails after timing out was already counted.
          if (!timedOut) {
            options.log?.warn({ err: error }, 'health check: store ping failed');
            options.metrics?.storeError('ping');
          }
          return { ok: false, reason: 'store ping failed' };
        },
      );
    try {
      return await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  return async () => {
    if (!options.gatewayReady()) return { ok: false, reason: 'gateway not ready' };
    inflight ??= pingStore().finally(() => {
      inflight = undefined;
    });
    return inflight;
  };
}

const send = (res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8') => {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
};

/** The request handler for /healthz and /metrics (for any server, e.g. in tests). */
export function createHealthHandler(options: HealthOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const check = createHealthCheck(options);
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      send(res, 405, 'method not allowed\n');
      return;
    }
    if (path === '/healthz') {
      check().then(
        (result) => send(res, result.ok ? 200 : 503, `${result.reason}\n`),
        () => send(res, 503, 'health check failed\n'),
      );
      return;
    }
    if (path === '/metrics' && options.metrics) {
      options.metrics.render().then(
        ({ contentType, body }) => send(res, 200, body, contentType),
        (error: unknown) => {
          options.log?.warn({ err: error }, 'metrics: render failed');
          send(res, 500, 'metrics unavailable\n');
        },
      );
      return;
    }
    send(res, 404, 'not found\n');
  };
}

/** An http.Server with the health routes, not yet listening. */
export function createHealthServer(options: HealthOptions): Server {
  const server = createServer(createHealthHandler(options));
  // Health checks are short; do not let an idle keep-alive connection hold shutdown up.
  server.keepAliveTimeout = 1000;
  return server;
}

export interface HealthServer {
  readonly port: number;
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Listens on `port` (HTTP_PORT) on all interfaces; port 0 means the operator turned it off, and
 * this resolves to null. Rejects when the port cannot be had (e.g. EADDRINUSE).
 */
export async function startHealthServer(
  options: HealthOptions & { port: number; host?: string },
): Promise<HealthServer | null> {
  if (options.port === 0) return null;
  const server = createHealthServer(options);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  options.log?.info({ port }, 'health and metrics listening (/healthz, /metrics)');
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
