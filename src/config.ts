/**
 * Every setting Mend reads from the environment, read once and validated by one zod object (the
 * shape Zeppelin's backend/src/env.ts uses). Nothing else in the code reads process.env.
 *
 * Problems come back as plain lines, one per variable, each saying how to fix it: the operator is
 * often the couple themselves, and a stack trace helps nobody set up a bot.
 *
 * Secrets (the bot token, the encryption key, a password inside STORE_URL) never leave this module
 * in a printable form: the config object prints and serializes with them replaced.
 */
import { resolve } from 'node:path';
import { inspect } from 'node:util';
import dotenv from 'dotenv';
import { z } from 'zod';
import { DEFAULT_STORE_URL, storeKindOf } from './engine/store-url.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_DISCORD_API_URL = 'https://discord.com/api';

/** Shown privately to a partner whose answer spoke of danger. No numbers that might be wrong where they live. */
export const DEFAULT_SAFETY_RESOURCES = [
  'If anyone is in danger right now, call your local emergency number.',
  'For domestic violence or abuse, search for “domestic violence helpline” and the name of your country: most countries have a free, confidential line.',
  'If you are in crisis or thinking about harming yourself, findahelpline.com lists free crisis lines in many countries.',
  'A doctor, counsellor or therapist can help too, alongside Mend or instead of it.',
].join('\n');

const REDACTED = '[redacted]';

/** An empty value (`DISCORD_GUILD_ID=` in .env) means "not set", as an operator means it. */
const unset = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
};

/** A variable that may be left out; `schema` sees only real values. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unset, schema.optional());

const SNOWFLAKE = /^\d{17,20}$/;

const snowflake = (name: string, where: string) =>
  optional(z.string().regex(SNOWFLAKE, `${name} must be a Discord id (17–20 digits): ${where}, or leave it empty.`));

const wholeNumber = (name: string, options: { min: number; max: number; fallback: number; meaning: string }) =>
  z.preprocess(
    unset,
    z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (text === undefined) return options.fallback;
        const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
        if (!Number.isSafeInteger(value) || value < options.min || value > options.max) {
          ctx.addIssue({
            code: 'custom',
            message: `${name} must be a whole number from ${options.min} to ${options.max} (${options.meaning}); got "${text}". Leave it empty for ${options.fallback}.`,
          });
          return z.NEVER;
        }
        return value;
      }),
  );

const storeUrlHint =
  'use sqlite://./data/mend.sqlite (a file, no server), redis://host:6379 or postgres://user:password@host:5432/db';

/**
 * Every setting, written once: its environment name is its name in `Config`, its schema is its
 * type (Zeppelin's env.ts does the same). `stdoutIsTTY` decides LOG_PRETTY when it is unset.
 */
const settingsSchema = (stdoutIsTTY: boolean) =>
  z
    .object({
      DISCORD_TOKEN: z.preprocess(
        unset,
        z
          .string({
            error: () =>
              'DISCORD_TOKEN is missing: copy .env.example to .env and paste your bot token (Discord Developer Portal → your app → Bot → Reset Token).',
          })
          .regex(
            /^\S+$/,
            'DISCORD_TOKEN has spaces in it: paste the token alone, exactly as the Developer Portal shows it (Bot → Reset Token).',
          ),
      ),
      DISCORD_APPLICATION_ID: snowflake(
        'DISCORD_APPLICATION_ID',
        'copy the Application ID from the Developer Portal → your app → General Information',
      ),
      DISCORD_GUILD_ID: snowflake(
        'DISCORD_GUILD_ID',
        'in Discord turn on Settings → Advanced → Developer Mode, then right-click your server → Copy Server ID',
      ),
      DISCORD_API_URL: z.preprocess(
        unset,
        z
          .string()
          .optional()
          .transform((text, ctx) => {
            if (text === undefined) return DEFAULT_DISCORD_API_URL;
            if (!/^https?:\/\/[^\s/]+/.test(text) || !URL.canParse(text)) {
              ctx.addIssue({
                code: 'custom',
                message: `DISCORD_API_URL must be an http(s) URL such as ${DEFAULT_DISCORD_API_URL}; got "${text}". Leave it empty to talk to Discord itself.`,
              });
              return z.NEVER;
            }
            return text.replace(/\/+$/, '');
          }),
      ),
      STORE_URL: z.preprocess(
        unset,
        z
          .string()
          .optional()
          .transform((text, ctx) => {
            const url = text ?? DEFAULT_STORE_URL;
            const kind = storeKindOf(url);
            if (!kind) {
              ctx.addIssue({
                code: 'custom',
                message: `STORE_URL must start with sqlite://, redis:// or postgres://; got "${withoutPassword(url)}". ${capitalize(storeUrlHint)}, or leave it empty for ${DEFAULT_STORE_URL}.`,
              });
              return z.NEVER;
            }
            return { url, kind };
          }),
      ),
      LOG_LEVEL: z.preprocess(
        (value) => {
          const level = unset(value);
          return typeof level === 'string' ? level.toLowerCase() : level;
        },
        z
          .enum(LOG_LEVELS, {
            error: (issue) =>
              `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${String(issue.input)}". Leave it empty for info.`,
          })
          .default('info'),
      ),
      LOG_PRETTY: optional(
        z.enum(['0', '1', 'true', 'false'], {
          error: (issue) =>
            `LOG_PRETTY must be 1 (readable lines) or 0 (JSON lines); got "${String(issue.input)}". Leave it empty to choose by whether the output is a terminal.`,
        }),
      ).transform((text) => (text === undefined ? stdoutIsTTY : text === '1' || text === 'true')),
      HTTP_PORT: wholeNumber('HTTP_PORT', {
        min: 0,
        max: 65535,
        fallback: 8080,
        meaning: 'the port for /healthz and /metrics; 0 turns them off',
      }),
      SHARD_COUNT: wholeNumber('SHARD_COUNT', {
        min: 1,
        max: 4096,
        fallback: 1,
        meaning: 'how many shards the whole bot runs, across every process; Discord requires one per 2,500 servers',
      }),
      SHARD_IDS: optional(
        z.string().transform((text, ctx) => {
          const parts = text.split(',').map((part) => part.trim());
          const ids = parts.map((part) => (/^\d+$/.test(part) ? Number(part) : Number.NaN));
          if (ids.some((id) => !Number.isSafeInteger(id))) {
            ctx.addIssue({
              code: 'custom',
              message: `SHARD_IDS must be shard numbers separated by commas, such as 0 or 0,1; got "${text}". Leave it empty to serve every shard.`,
            });
            return z.NEVER;
          }
          return [...new Set(ids)].sort((x, y) => x - y);
        }),
      ),
      SESSION_RETENTION_HOURS: wholeNumber('SESSION_RETENTION_HOURS', {
        min: 0,
        max: 24 * 365,
        fallback: 24,
        meaning: 'hours a finished session is kept after its summary is posted; 0 deletes it at once',
      }),
      SESSION_EXPIRY_DAYS: wholeNumber('SESSION_EXPIRY_DAYS', {
        min: 1,
        max: 365,
        fallback: 14,
        meaning: 'days an untouched session waits before it closes itself',
      }),
      REMINDER_HOURS: wholeNumber('REMINDER_HOURS', {
        min: 0,
        max: 24 * 365,
        fallback: 12,
        meaning: 'hours of quiet before the partner whose turn it is gets one gentle reminder; 0 turns reminders off',
      }),
      SUMMARY_APPROVAL_HOURS: wholeNumber('SUMMARY_APPROVAL_HOURS', {
        min: 0,
        max: 24 * 30,
        fallback: 24,
        meaning:
          'hours both partners have to look over a summary (confirm it, or add a note) before Mend posts it as it stands; 0 posts it at once',
      }),
      STORE_ENCRYPTION_KEY: optional(
        z.string().transform((text, ctx) => {
          const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : undefined;
          if (bytes?.length !== 32) {
            ctx.addIssue({
              code: 'custom',
              message: `STORE_ENCRYPTION_KEY must be base64 of exactly 32 random bytes${bytes ? ` (this one is ${bytes.length} bytes)` : ' (this one is not base64)'}: make one with \`openssl rand -base64 32\`, or leave it empty to store sessions unencrypted.`,
            });
            return z.NEVER;
          }
          return bytes;
        }),
      ),
      SAFETY_RESOURCES: optional(
        // `\n` written literally (as env files and Compose keep it) becomes a line break.
        z
          .string()
          .transform((text) => text.replaceAll('\\n', '\n'))
          .pipe(
            z
              .string()
              .max(
                1000,
                'SAFETY_RESOURCES is longer than 1000 characters: keep it short enough to fit one Discord message, or leave it empty for the built-in text.',
              ),
          ),
      ).transform((text) => text ?? DEFAULT_SAFETY_RESOURCES),
    })
    .superRefine((env, ctx) => {
      const beyond = env.SHARD_IDS?.filter((id) => id >= env.SHARD_COUNT) ?? [];
      if (beyond.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['SHARD_IDS'],
          message: `SHARD_IDS has ${beyond.join(', ')}, but shards are numbered 0 to ${env.SHARD_COUNT - 1} with SHARD_COUNT=${env.SHARD_COUNT}: lower the ids or raise SHARD_COUNT.`,
        });
      } else if (env.SHARD_IDS && env.SHARD_IDS.length < env.SHARD_COUNT && env.STORE_URL.kind === 'sqlite') {
        ctx.addIssue({
          code: 'custom',
          path: ['SHARD_IDS'],
          message: `SHARD_IDS (${env.SHARD_IDS.join(',')}) leaves the other shards to other processes, and processes can share only a server store: set STORE_URL to redis://… or postgres://…, or leave SHARD_IDS empty to serve every shard here.`,
        });
      }
      if (env.REMINDER_HOURS > 0 && env.REMINDER_HOURS >= env.SESSION_EXPIRY_DAYS * 24) {
        ctx.addIssue({
          code: 'custom',
          path: ['REMINDER_HOURS'],
          message: `REMINDER_HOURS (${env.REMINDER_HOURS}) must be less than SESSION_EXPIRY_DAYS in hours (${env.SESSION_EXPIRY_DAYS * 24}), or the session closes before anyone is reminded: lower one or raise the other.`,
        });
      }
    });

/**
 * The settings, as validated: each under its environment variable's name. `STORE_URL` becomes
 * `{ url, kind }`, `STORE_ENCRYPTION_KEY` the key's 32 bytes, numbers numbers.
 */
export type Config = Readonly<z.output<ReturnType<typeof settingsSchema>>>;

/** The shards this process serves: SHARD_IDS, or every shard when it is unset. */
export function shardsOf(config: Pick<Config, 'SHARD_COUNT' | 'SHARD_IDS'>): { ids: number[]; count: number } {
  const count = config.SHARD_COUNT;
  return { ids: config.SHARD_IDS ?? Array.from({ length: count }, (_, i) => i), count };
}

/** Every variable Mend reads (.env.example documents each one). */
export const ENV_VARIABLES: readonly string[] = Object.keys(settingsSchema(false).shape);

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A URL with its password (if any) replaced, for logs and error lines. */
export function withoutPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@\s]*?:)[^/@\s]*@/i, `$1${REDACTED}@`);
}

/** One line per problem, each naming its variable and how to fix it. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface LoadOptions {
  /** Whether stdout is a terminal (decides LOG_PRETTY when it is unset). */
  stdoutIsTTY?: boolean;
}

const safeView = (config: Config): Record<string, unknown> => {
  const { DISCORD_TOKEN: _token, STORE_ENCRYPTION_KEY: key, ...rest } = config;
  return {
    ...rest,
    DISCORD_TOKEN: REDACTED,
    STORE_URL: { ...config.STORE_URL, url: withoutPassword(config.STORE_URL.url) },
    ...(key ? { STORE_ENCRYPTION_KEY: REDACTED } : {}),
    storeEncrypted: key !== undefined,
  };
};

/**
 * What is safe to log at startup: no token, no key, no store password. Config objects also print
 * and serialize this way on their own (console.log, JSON.stringify, pino).
 */
export function describeConfig(config: Config): Record<string, unknown> {
  return safeView(config);
}

/** Validates an environment (process.env by default). Pure: reads no files. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): Config {
  const parsed = settingsSchema(options.stdoutIsTTY ?? process.stdout.isTTY === true).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => issue.message);
    throw new ConfigError([...new Set(problems)]);
  }
  const config = { ...parsed.data };
  // Non-enumerable, so spreading the config copies no printer; printing it shows no secret.
  Object.defineProperties(config, {
    toJSON: { value: () => safeView(config) },
    [inspect.custom]: { value: () => safeView(config) },
  });
  return Object.freeze(config);
}

/**
 * For main.ts: loads `.env` from the working directory (real environment variables win), validates,
 * and on any problem prints one line per problem to stderr and exits with status 1 — no stack trace.
 */
export function configFromEnvOrExit(): Config {
  dotenv.config({ path: resolve(process.cwd(), '.env'), quiet: true });
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.problems.join('\n')}\n`);
    process.exit(1);
  }
}
