/**
 * The bot as an operator runs it, with its own Redis: /healthz is 200 while the gateway and the
 * store are up, the /metrics counters move when a couple finishes a session, and when the store
 * goes away /healthz says 503. Needs `redis-server` on PATH (it is on CI's machine); otherwise it
 * says so and skips.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, expect } from 'vitest';
import { flowNamed, flows } from '../support/flows.js';
import { test } from '../support/mend-test.js';
import { completionScript } from '../support/play.js';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedis) console.log('[ops] skipping the service test: redis-server is not installed');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const redisAnswers = (port: number) =>
  spawnSync('redis-cli', ['-p', String(port), 'ping'])
    .stdout?.toString()
    .includes('PONG') ?? false;

async function startRedis(port: number): Promise<ChildProcess> {
  const redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  await expect.poll(() => redisAnswers(port), { timeout: 5000, interval: 20 }).toBe(true);
  return redis;
}

const metricValue = (body: string, series: string): number => {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(' ')[1]) : 0;
};

test.skipIf(!hasRedis)(
  'healthz and metrics of a running bot: healthy, counters move, store down → 503',
  async ({ mendProcess: world }) => {
    const redisPort = await freePort();
    const redis = await startRedis(redisPort);
    cleanups.push(() => {
      redis.kill('SIGKILL');
    });
    const httpPort = await freePort();
    await world.start({ STORE_URL: `redis://127.0.0.1:${redisPort}`, HTTP_PORT: String(httpPort) });
    const base = `http://127.0.0.1:${httpPort}`;

    const healthy = await fetch(`${base}/healthz`);
    expect(healthy.status).toBe(200);

    const before = await (await fetch(`${base}/metrics`)).text();
    expect(metricValue(before, 'mend_sessions_started_total{flow="ground-rules"}')).toBe(0);
    // The active gauge is seeded from the store at start-up: present for every flow, zero here.
    for (const flowId of flows.keys()) {
      expect(before).toContain(`mend_sessions_active{flow="${flowId}"} 0`);
    }

    const { alex, channel } = world.couple;
    const script = completionScript(flowNamed('ground-rules'));
    await alex.starts('ground-rules');
    await world.plays(script);
    await channel.summary();

    const after = await (await fetch(`${base}/metrics`)).text();
    expect(metricValue(after, 'mend_sessions_started_total{flow="ground-rules"}')).toBe(1);
    expect(metricValue(after, 'mend_sessions_completed_total{flow="ground-rules"}')).toBe(1);
    const handled = after
      .split('\n')
      .filter((l) => l.startsWith('mend_interaction_duration_seconds_count'))
      .reduce((sum, l) => sum + Number(l.split(' ')[1]), 0);
    expect(handled).toBeGreaterThanOrEqual(script.length);

    // The store goes away: the bot is no longer healthy once it notices, and says so plainly.
    redis.kill('SIGKILL');
    await expect.poll(async () => (await fetch(`${base}/healthz`)).status, { timeout: 5000, interval: 50 }).toBe(503);
    const down = await fetch(`${base}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.text()).toMatch(/store/);
  },
);
