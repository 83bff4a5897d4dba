/**
 * Serves the playground over HTTP: opens its store, loads the flows, and listens. Used by
 * `npm run playground` (main.ts), by the browser tests and by the screenshot script, so all three
 * run exactly the same server.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { DEFAULT_SAFETY_RESOURCES } from '../config.js';
import { type FlowRegistry, loadFlows } from '../engine/flow-registry.js';
import { SessionService } from '../engine/session.js';
import { openStore, sqlitePathOf } from '../engine/store.js';
import { playground } from './app.js';

export interface ServeOptions {
  host: string;
  port: number;
  storeUrl: string;
  flows?: FlowRegistry;
  now?: () => number;
}

export interface RunningPlayground {
  url: string;
  /** The store's file, as the pages name it. */
  file: string;
  close(): Promise<void>;
}

export async function servePlayground(options: ServeOptions): Promise<RunningPlayground> {
  const store = await openStore({ url: options.storeUrl });
  const flows = options.flows ?? (await loadFlows());
  const sessions = new SessionService({ store, flows, ...(options.now ? { now: options.now } : {}) });
  const path = sqlitePathOf(options.storeUrl);
  const relative = path.startsWith(`${process.cwd()}/`) ? `./${path.slice(process.cwd().length + 1)}` : path;
  const { app, closeStreams } = playground({
    store,
    flows,
    sessions,
    file: relative,
    safetyResources: DEFAULT_SAFETY_RESOURCES,
    ...(options.now ? { now: options.now } : {}),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    file: relative,
    async close() {
      closeStreams();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await sessions.idle();
      await store.close();
    },
  };
}
