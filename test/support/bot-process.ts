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
      // Summaries post at once unless a test is about the look-over (it passes its own hours).
      SUMMARY_APPROVAL_HOURS: '0',
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

/** Waits until the process logs that it is ready (or fails with what it printed), looking at each line it prints. */
export function untilReady(bot: BotProcess, timeoutMs = 20_000): Promise<void> {
  const isReady = () => bot.output().includes('Mend is ready');
  if (isReady()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      clearTimeout(timer);
      bot.child.stdout?.off('data', onOutput);
      bot.child.stderr?.off('data', onOutput);
      bot.child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    // Registered after spawnBot's own listeners, so output() already holds the chunk that arrived.
    const onOutput = () => {
      if (isReady()) done();
    };
    const onExit = () => done(new Error(`the bot exited early:\n${bot.output()}`));
    const timer = setTimeout(() => done(new Error(`the bot did not get ready:\n${bot.output()}`)), timeoutMs);
    bot.child.stdout?.on('data', onOutput);
    bot.child.stderr?.on('data', onOutput);
    bot.child.once('exit', onExit);
    if (bot.child.exitCode !== null) onExit();
  });
}
