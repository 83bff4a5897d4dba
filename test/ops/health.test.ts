import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealthServer, type HealthOptions, startHealthServer } from '../../src/ops/health.js';
import { createMetrics, type Metrics } from '../../src/ops/metrics.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    ),
  );
});

/** Serves the health routes on a loopback port chosen by the OS; `onRequest` sees each request after them. */
const serve = async (options: HealthOptions, onRequest?: () => void): Promise<string> => {
  const server = createHealthServer(options);
  if (onRequest) server.on('request', onRequest);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const get = async (url: string, init?: RequestInit) => {
  const started = Date.now();
  const res = await fetch(url, init);
  return {
    status: res.status,
    body: await res.text(),
    type: res.headers.get('content-type'),
    ms: Date.now() - started,
  };
};

const healthy: HealthOptions = { gatewayReady: () => true, storePing: async () => {} };

describe('health: /healthz', () => {
  it('200 ok when the gateway is ready and the store answers', async () => {
    const base = await serve(healthy);
    expect(await get(`${base}/healthz`)).toMatchObject({ status: 200, body: 'ok\n' });
    expect((await get(`${base}/healthz`, { method: 'HEAD' })).status).toBe(200);
  });

  it('503 when the gateway is down, without asking the store', async () => {
    let pinged = 0;
    const base = await serve({
      gatewayReady: () => false,
      storePing: async () => {
        pinged += 1;
      },
    });
    expect(await get(`${base}/healthz`)).toMatchObject({ status: 503, body: 'gateway not ready\n' });
    expect(pinged).toBe(0);
  });

  it('503 when the store ping rejects, without the error text', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const base = await serve({
      ...healthy,
      metrics,
      storePing: async () => {
        throw new Error('connect ECONNREFUSED redis://:hunter2@redis:6379');
      },
    });
    const res = await get(`${base}/healthz`);
    expect(res).toMatchObject({ status: 503, body: 'store ping failed\n' });
    expect(res.body).not.toContain('hunter2');
    expect(await metrics.render().then((m) => m.body)).toContain('mend_store_errors_total{operation="ping"} 1');
  });

  it('503 within about a second when the store ping hangs', async () => {
    const base = await serve({ ...healthy, storePing: () => new Promise(() => {}) });
    const res = await get(`${base}/healthz`);
    expect(res).toMatchObject({ status: 503, body: 'store ping timed out\n' });
    expect(res.ms).toBeGreaterThanOrEqual(900);
    expect(res.ms).toBeLessThan(2500);
  });

  it('a slow ping under the limit is still healthy; concurrent checks share one ping', async () => {
    let pings = 0;
    let arrived = 0;
    let answer: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    // The store answers only once all three checks have reached the server: each finds the ping in flight.
    const base = await serve(
      {
        ...healthy,
        pingTimeoutMs: 500,
        storePing: async () => {
          pings += 1;
          await answered;
        },
      },
      () => {
        arrived += 1;
        if (arrived === 3) answer();
      },
    );
    const results = await Promise.all([1, 2, 3].map(() => get(`${base}/healthz`)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(pings).toBe(1);
  });

  it('recovers when the gateway comes back', async () => {
    let ready = false;
    const base = await serve({ ...healthy, gatewayReady: () => ready });
    expect((await get(`${base}/healthz`)).status).toBe(503);
    ready = true;
    expect((await get(`${base}/healthz`)).status).toBe(200);
  });

  it('404 for other paths, 405 for other methods', async () => {
    const base = await serve(healthy);
    expect((await get(`${base}/`)).status).toBe(404);
    expect((await get(`${base}/metrics`)).status).toBe(404); // no metrics given
    expect((await get(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
  });
});

describe('health: /metrics', () => {
  const scrape = async (base: string) => {
    const res = await get(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.body;
  };

  /** The value of one sample line, e.g. `mend_sessions_started_total{flow="ground-rules"}`. */
  const sample = (body: string, series: string): number | undefined => {
    const line = body.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  it('exposes the counters, and they move', async () => {
    const metrics: Metrics = createMetrics();
    const base = await serve({ ...healthy, metrics });

    const before = await scrape(base);
    for (const name of [
      'mend_sessions_started_total',
      'mend_sessions_completed_total',
      'mend_sessions_ended_early_total',
      'mend_sessions_active',
      'mend_interaction_duration_seconds',
      'mend_discord_rest_errors_total',
      'mend_store_errors_total',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(before).toContain(`# TYPE ${name} `);
    }

    metrics.sessionStarted('ground-rules');
    metrics.sessionStarted('ground-rules');
    metrics.sessionStarted('admit-mistake');
    metrics.sessionCompleted('ground-rules');
    metrics.sessionEndedEarly('admit-mistake', 'declined');
    metrics.interactionHandled('modal', 'ok', 42);
    metrics.interactionHandled('modal', 'ok', 4200);
    metrics.discordRestError(429);
    metrics.storeError('set');

    const after = await scrape(base);
    expect(sample(after, 'mend_sessions_started_total{flow="ground-rules"}')).toBe(2);
    expect(sample(after, 'mend_sessions_started_total{flow="admit-mistake"}')).toBe(1);
    expect(sample(after, 'mend_sessions_completed_total{flow="ground-rules"}')).toBe(1);
    expect(sample(after, 'mend_sessions_ended_early_total{flow="admit-mistake",reason="declined"}')).toBe(1);
    expect(sample(after, 'mend_sessions_active{flow="ground-rules"}')).toBe(1);
    expect(sample(after, 'mend_sessions_active{flow="admit-mistake"}')).toBe(0);
    expect(sample(after, 'mend_interaction_duration_seconds_count{kind="modal",outcome="ok"}')).toBe(2);
    expect(sample(after, 'mend_interaction_duration_seconds_bucket{le="0.05",kind="modal",outcome="ok"}')).toBe(1);
    expect(sample(after, 'mend_interaction_duration_seconds_sum{kind="modal",outcome="ok"}')).toBeCloseTo(4.242);
    expect(sample(after, 'mend_discord_rest_errors_total{status="429"}')).toBe(1);
    expect(sample(after, 'mend_store_errors_total{operation="set"}')).toBe(1);
  });

  it('the active gauge never goes below zero, and can be set from the store at startup', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.sessionCompleted('needs-discovery'); // started before a restart
    let body = (await metrics.render()).body;
    expect(sample(body, 'mend_sessions_active{flow="needs-discovery"}')).toBe(0);
    metrics.setActiveSessions('needs-discovery', 3);
    metrics.sessionEndedEarly('needs-discovery', 'expired');
    body = (await metrics.render()).body;
    expect(sample(body, 'mend_sessions_active{flow="needs-discovery"}')).toBe(2);
  });

  it('separate registries do not share values', async () => {
    const one = createMetrics({ defaultMetrics: false });
    const two = createMetrics({ defaultMetrics: false });
    one.sessionStarted('x');
    expect((await two.render()).body).not.toContain('flow="x"');
  });
});

describe('health: startHealthServer', () => {
  it('HTTP_PORT=0 turns it off', async () => {
    expect(await startHealthServer({ ...healthy, port: 0 })).toBeNull();
  });

  it('listens on the port it is given and closes', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const server = await startHealthServer({ ...healthy, port, host: '127.0.0.1' });
    expect(server?.port).toBe(port);
    expect((await get(`${server?.url}/healthz`)).status).toBe(200);
    await server?.close();
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('rejects when the port is taken', async () => {
    const taken = createServer();
    servers.push(taken);
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    await expect(startHealthServer({ ...healthy, port, host: '127.0.0.1' })).rejects.toThrow(/EADDRINUSE/);
  });
});
