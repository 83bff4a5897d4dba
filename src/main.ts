/**
 * The entry point (`npm start`): the configuration is checked first, with nothing heavy loaded, so
 * a missing token or a bad setting is reported in one plain line at once; only then is the bot
 * itself loaded and started (src/app.ts).
 */
import { configFromEnvOrExit } from './config.js';

const config = configFromEnvOrExit();
try {
  const { run } = await import('./app.js');
  await run(config);
} catch (error: unknown) {
  // Last resort: a plain line, never a request body or a token.
  process.stderr.write(`Mend stopped: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
