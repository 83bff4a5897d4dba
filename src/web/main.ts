/**
 * `npm run playground`: Mend without Discord, on http://127.0.0.1:8090 by default. No token and no
 * settings needed; PLAYGROUND_HOST and PLAYGROUND_PORT move it (see the README before opening it
 * to a network).
 */
import { resolve } from 'node:path';
import dotenv from 'dotenv';
import { playgroundConfig } from './config.js';
import { servePlayground } from './server.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

// The same .env as the bot's, when there is one; real environment variables win.
dotenv.config({ path: resolve(process.cwd(), '.env'), quiet: true });
const checked = playgroundConfig(process.env);
if (!checked.ok) {
  for (const problem of checked.problems) process.stderr.write(`${problem}\n`);
  process.exit(1);
}
const { config } = checked;
try {
  const running = await servePlayground({
    host: config.PLAYGROUND_HOST,
    port: config.PLAYGROUND_PORT,
    storeUrl: config.PLAYGROUND_STORE_URL,
  });
  process.stdout.write(`Mend playground: open ${running.url} (conversations are kept in ${running.file})\n`);
  if (!LOOPBACK.has(config.PLAYGROUND_HOST)) {
    process.stdout.write(
      `Warning: listening on ${config.PLAYGROUND_HOST}, not only this computer. Anyone on the network who has a partner's link can read and answer as that partner, and nothing is encrypted (no TLS).\n`,
    );
  }
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error: unknown) {
  const code = (error as { code?: string }).code;
  const why =
    code === 'EADDRINUSE'
      ? `port ${config.PLAYGROUND_PORT} is in use — set PLAYGROUND_PORT to another one`
      : error instanceof Error
        ? error.message
        : String(error);
  process.stderr.write(`The playground could not start: ${why}\n`);
  process.exit(1);
}
