/**
 * The bot as its own process — `src/main.ts`, exactly as `npm start` runs it — pointed at the local
 * Discord. For the tests that kill it (SIGKILL), stop it (SIGTERM) and start it again on the same
 * SQLite file.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LocalDiscord } from './discord/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface BotProcess {
  child: ChildProcess;
  /** Everything it printed (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnBot(discord: LocalDiscord, env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DISCORD_TOKEN: discord.botToken,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_GUILD_ID: discord.guildId(),
      HTTP_PORT: '0',
      LOG_LEVEL: 'info',
      LOG_PRETTY: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, output: () => output, exited };
}

/** Waits until the process logs that it is ready (or fails with what it printed). */
export async function untilReady(bot: BotProcess, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!bot.output().includes('Mend is ready')) {
    if (bot.child.exitCode !== null) throw new Error(`the bot exited early:\n${bot.output()}`);
    if (Date.now() - started > timeoutMs) throw new Error(`the bot did not get ready:\n${bot.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
