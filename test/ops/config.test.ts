import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import dotenv from 'dotenv';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Config,
  ConfigError,
  DEFAULT_DISCORD_API_URL,
  DEFAULT_SAFETY_RESOURCES,
  describeConfig,
  ENV_VARIABLES,
  loadConfig,
  shardsOf,
} from '../../src/config.js';
import { PLAYGROUND_VARIABLES } from '../../src/web/config.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.not-a-real-token_xyz';
const KEY = Buffer.alloc(32, 7).toString('base64');

const load = (env: Record<string, string>): Config =>
  loadConfig({ DISCORD_TOKEN: TOKEN, ...env }, { stdoutIsTTY: false });

/** The problem lines for an environment that must not load. */
const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env, { stdoutIsTTY: false });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).message.split('\n');
    expect(lines).toEqual((error as ConfigError).problems);
    return lines;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
};

/** Exactly one problem, about `variable`, starting with its name. */
const oneProblem = (env: Record<string, string>, variable: string): string => {
  const lines = problems({ DISCORD_TOKEN: TOKEN, ...env });
  expect(lines).toHaveLength(1);
  expect(lines[0]?.startsWith(variable)).toBe(true);
  return lines[0] as string;
};

describe('config: defaults', () => {
  it('needs only a token', () => {
    const config = load({});
    expect(config).toMatchObject({
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: DEFAULT_DISCORD_API_URL,
      STORE_URL: { url: 'sqlite://./data/mend.sqlite', kind: 'sqlite' },
      LOG_LEVEL: 'info',
      LOG_PRETTY: false,
      HTTP_PORT: 8080,
      SESSION_RETENTION_HOURS: 24,
      SESSION_EXPIRY_DAYS: 14,
      REMINDER_HOURS: 12,
      SUMMARY_APPROVAL_HOURS: 24,
      SAFETY_RESOURCES: DEFAULT_SAFETY_RESOURCES,
    });
    for (const unsetSetting of ['DISCORD_APPLICATION_ID', 'DISCORD_GUILD_ID', 'STORE_ENCRYPTION_KEY'] as const) {
      expect(config[unsetSetting], unsetSetting).toBeUndefined();
    }
    expect(DEFAULT_DISCORD_API_URL).toBe('https://discord.com/api');
  });

  it('treats empty values as unset, as a copied .env.example leaves them', () => {
    const config = load({
      DISCORD_APPLICATION_ID: '',
      DISCORD_GUILD_ID: ' ',
      STORE_URL: '',
      HTTP_PORT: '',
      STORE_ENCRYPTION_KEY: '',
      SAFETY_RESOURCES: '',
      LOG_PRETTY: '',
    });
    expect(config.STORE_URL.url).toBe('sqlite://./data/mend.sqlite');
    expect(config.HTTP_PORT).toBe(8080);
    expect(config.STORE_ENCRYPTION_KEY).toBeUndefined();
    expect(config.SAFETY_RESOURCES).toBe(DEFAULT_SAFETY_RESOURCES);
  });

  it('points to help without phone numbers that could be wrong where the couple lives', () => {
    expect(DEFAULT_SAFETY_RESOURCES).toMatch(/emergency number/);
    expect(DEFAULT_SAFETY_RESOURCES).toMatch(/domestic violence helpline/);
    expect(DEFAULT_SAFETY_RESOURCES).toMatch(/findahelpline\.com/);
    expect(DEFAULT_SAFETY_RESOURCES).not.toMatch(/\d{3}/);
  });
});

describe('config: .env.example', () => {
  const example = readFileSync(resolve(import.meta.dirname, '../../.env.example'), 'utf8');
  const parsed = dotenv.parse(example);

  it('lists every variable (the bot’s and the playground’s), each after a comment, and nothing else', () => {
    const variables = [...ENV_VARIABLES, ...PLAYGROUND_VARIABLES];
    expect(Object.keys(parsed).sort()).toEqual(variables.sort());
    const lines = example.split('\n');
    for (const name of variables) {
      const at = lines.findIndex((line) => line.startsWith(`${name}=`));
      expect(lines[at - 1], `${name} needs a comment line above it`).toMatch(/^# \S/);
    }
  });

  it('leaves the token empty and is valid, with the defaults, once a token is pasted', () => {
    expect(parsed.DISCORD_TOKEN).toBe('');
    expect(problems(parsed)[0]).toMatch(/^DISCORD_TOKEN is missing/);
    const config = loadConfig({ ...parsed, DISCORD_TOKEN: TOKEN }, { stdoutIsTTY: false });
    expect(config).toEqual(load({}));
  });
});

describe('config: each variable', () => {
  it('DISCORD_TOKEN: missing, empty, or with spaces', () => {
    for (const env of [{}, { DISCORD_TOKEN: '' }, { DISCORD_TOKEN: '   ' }] as Record<string, string>[]) {
      expect(problems(env)).toEqual([
        'DISCORD_TOKEN is missing: copy .env.example to .env and paste your bot token (Discord Developer Portal → your app → Bot → Reset Token).',
      ]);
    }
    const line = oneProblem({ DISCORD_TOKEN: 'abc def' }, 'DISCORD_TOKEN');
    expect(line).not.toContain('abc');
    expect(load({ DISCORD_TOKEN: ` ${TOKEN}\n` }).DISCORD_TOKEN).toBe(TOKEN);
  });

  it('DISCORD_APPLICATION_ID and DISCORD_GUILD_ID: Discord ids or nothing', () => {
    const config = load({ DISCORD_APPLICATION_ID: '123456789012345678', DISCORD_GUILD_ID: '98765432109876543' });
    expect(config.DISCORD_APPLICATION_ID).toBe('123456789012345678');
    expect(config.DISCORD_GUILD_ID).toBe('98765432109876543');
    expect(oneProblem({ DISCORD_APPLICATION_ID: 'my-app' }, 'DISCORD_APPLICATION_ID')).toMatch(/General Information/);
    expect(oneProblem({ DISCORD_GUILD_ID: '1234' }, 'DISCORD_GUILD_ID')).toMatch(/Copy Server ID/);
  });

  it('DISCORD_API_URL: an http(s) URL, trailing slash dropped', () => {
    expect(load({ DISCORD_API_URL: 'http://127.0.0.1:3000/api/' }).DISCORD_API_URL).toBe('http://127.0.0.1:3000/api');
    expect(oneProblem({ DISCORD_API_URL: 'discord.com/api' }, 'DISCORD_API_URL')).toContain('"discord.com/api"');
    oneProblem({ DISCORD_API_URL: 'ftp://example.com' }, 'DISCORD_API_URL');
  });

  it('STORE_URL: sqlite://, redis:// or postgres://', () => {
    expect(load({ STORE_URL: 'redis://redis:6379' })).toMatchObject({ STORE_URL: { kind: 'redis' } });
    expect(load({ STORE_URL: 'postgres://mend:pw@db:5432/mend' })).toMatchObject({ STORE_URL: { kind: 'postgres' } });
    expect(load({ STORE_URL: 'sqlite:///var/lib/mend.sqlite' })).toMatchObject({ STORE_URL: { kind: 'sqlite' } });
    const line = oneProblem({ STORE_URL: 'mysql://root:hunter2@db/mend' }, 'STORE_URL');
    expect(line).toMatch(/sqlite:\/\/, redis:\/\/ or postgres:\/\//);
    expect(line).not.toContain('hunter2');
    oneProblem({ STORE_URL: './data/mend.sqlite' }, 'STORE_URL');
  });

  it('LOG_LEVEL: a pino level, any case', () => {
    expect(load({ LOG_LEVEL: 'DEBUG' }).LOG_LEVEL).toBe('debug');
    expect(oneProblem({ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL')).toContain('"verbose"');
  });

  it('LOG_PRETTY: 0/1, else whether stdout is a terminal', () => {
    expect(load({ LOG_PRETTY: '1' }).LOG_PRETTY).toBe(true);
    expect(load({ LOG_PRETTY: '0' }).LOG_PRETTY).toBe(false);
    expect(loadConfig({ DISCORD_TOKEN: TOKEN }, { stdoutIsTTY: true }).LOG_PRETTY).toBe(true);
    expect(loadConfig({ DISCORD_TOKEN: TOKEN, LOG_PRETTY: '0' }, { stdoutIsTTY: true }).LOG_PRETTY).toBe(false);
    oneProblem({ LOG_PRETTY: 'yes' }, 'LOG_PRETTY');
  });

  it('HTTP_PORT: 0 (off) to 65535', () => {
    expect(load({ HTTP_PORT: '0' }).HTTP_PORT).toBe(0);
    expect(load({ HTTP_PORT: '9100' }).HTTP_PORT).toBe(9100);
    for (const bad of ['http', '80.5', '-1', '65536', '1e3']) {
      expect(oneProblem({ HTTP_PORT: bad }, 'HTTP_PORT')).toContain(`"${bad}"`);
    }
  });

  it('SESSION_RETENTION_HOURS, SESSION_EXPIRY_DAYS, REMINDER_HOURS: whole numbers in range', () => {
    const config = load({
      SESSION_RETENTION_HOURS: '0',
      SESSION_EXPIRY_DAYS: '30',
      REMINDER_HOURS: '0',
      SUMMARY_APPROVAL_HOURS: '0',
    });
    expect(config).toMatchObject({
      SESSION_RETENTION_HOURS: 0,
      SESSION_EXPIRY_DAYS: 30,
      REMINDER_HOURS: 0,
      SUMMARY_APPROVAL_HOURS: 0,
    });
    oneProblem({ SUMMARY_APPROVAL_HOURS: 'a day' }, 'SUMMARY_APPROVAL_HOURS');
    oneProblem({ SESSION_RETENTION_HOURS: 'a day' }, 'SESSION_RETENTION_HOURS');
    oneProblem({ SESSION_RETENTION_HOURS: '9000' }, 'SESSION_RETENTION_HOURS');
    oneProblem({ SESSION_EXPIRY_DAYS: '0' }, 'SESSION_EXPIRY_DAYS');
    oneProblem({ SESSION_EXPIRY_DAYS: '400' }, 'SESSION_EXPIRY_DAYS');
    oneProblem({ REMINDER_HOURS: '-2' }, 'REMINDER_HOURS');
  });

  it('REMINDER_HOURS must come before the session expires', () => {
    expect(oneProblem({ SESSION_EXPIRY_DAYS: '1', REMINDER_HOURS: '24' }, 'REMINDER_HOURS')).toMatch(
      /SESSION_EXPIRY_DAYS/,
    );
    expect(load({ SESSION_EXPIRY_DAYS: '1', REMINDER_HOURS: '23' }).REMINDER_HOURS).toBe(23);
  });

  it('SHARD_COUNT and SHARD_IDS: which shards this process serves, of how many; a subset needs a shared store', () => {
    expect(shardsOf(load({}))).toEqual({ ids: [0], count: 1 });
    expect(shardsOf(load({ SHARD_COUNT: '4' }))).toEqual({ ids: [0, 1, 2, 3], count: 4 });
    const redis = { STORE_URL: 'redis://localhost:6379' };
    expect(shardsOf(load({ ...redis, SHARD_COUNT: '4', SHARD_IDS: ' 3, 1,1 ' }))).toEqual({ ids: [1, 3], count: 4 });
    expect(oneProblem({ SHARD_COUNT: '0' }, 'SHARD_COUNT')).toMatch(/1 to 4096/);
    expect(oneProblem({ ...redis, SHARD_IDS: '0;1' }, 'SHARD_IDS')).toMatch(/separated by commas/);
    expect(oneProblem({ ...redis, SHARD_COUNT: '2', SHARD_IDS: '1,2' }, 'SHARD_IDS')).toMatch(
      /has 2, but shards are numbered 0 to 1/,
    );
    // Another process serves shard 1: both must share a server store, not one SQLite file each.
    expect(oneProblem({ SHARD_COUNT: '2', SHARD_IDS: '0' }, 'SHARD_IDS')).toMatch(/redis:\/\/… or postgres:\/\/…/);
    expect(shardsOf(load({ SHARD_COUNT: '2', SHARD_IDS: '0,1' }))).toEqual({ ids: [0, 1], count: 2 });
  });

  it('STORE_ENCRYPTION_KEY: base64 of exactly 32 bytes', () => {
    const key = load({ STORE_ENCRYPTION_KEY: KEY }).STORE_ENCRYPTION_KEY;
    expect(key).toBeInstanceOf(Buffer);
    expect(key?.length).toBe(32);
    const short = oneProblem({ STORE_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') }, 'STORE_ENCRYPTION_KEY');
    expect(short).toMatch(/16 bytes/);
    expect(short).toMatch(/openssl rand -base64 32/);
    oneProblem({ STORE_ENCRYPTION_KEY: Buffer.alloc(33).toString('base64') }, 'STORE_ENCRYPTION_KEY');
    const notBase64 = oneProblem({ STORE_ENCRYPTION_KEY: 'correct horse battery staple!' }, 'STORE_ENCRYPTION_KEY');
    expect(notBase64).toMatch(/not base64/);
    expect(notBase64).not.toContain('horse');
  });

  it('SAFETY_RESOURCES: free text, \\n for line breaks, short enough for one message', () => {
    expect(load({ SAFETY_RESOURCES: 'Call 116 123.\\nOr see your GP.' }).SAFETY_RESOURCES).toBe(
      'Call 116 123.\nOr see your GP.',
    );
    oneProblem({ SAFETY_RESOURCES: 'x'.repeat(1001) }, 'SAFETY_RESOURCES');
  });

  it('reports every problem at once, one line each, naming its variable', () => {
    const lines = problems({
      STORE_URL: 'mongodb://x',
      HTTP_PORT: 'abc',
      STORE_ENCRYPTION_KEY: 'AAAA',
      LOG_LEVEL: 'loud',
    });
    expect(lines.map((line) => line.split(' ')[0])).toEqual([
      'DISCORD_TOKEN',
      'STORE_URL',
      'LOG_LEVEL',
      'HTTP_PORT',
      'STORE_ENCRYPTION_KEY',
    ]);
  });
});

describe('config: secrets stay out of output', () => {
  const config = load({ STORE_ENCRYPTION_KEY: KEY, STORE_URL: 'redis://:s3cret-pass@redis:6379' });
  const secrets = [TOKEN, KEY, 's3cret-pass'];

  it.each([
    ['JSON.stringify', () => JSON.stringify(config)],
    ['util.inspect', () => inspect(config, { depth: 5 })],
    ['describeConfig', () => JSON.stringify(describeConfig(config))],
    ['template string', () => `${inspect({ config })}`],
  ])('%s', (_name, print) => {
    const text = print();
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });

  it('still hands the real values to the code that needs them', () => {
    expect(config.DISCORD_TOKEN).toBe(TOKEN);
    expect(config.STORE_ENCRYPTION_KEY?.toString('base64')).toBe(KEY);
    expect(config.STORE_URL.url).toBe('redis://:s3cret-pass@redis:6379');
    expect(Object.isFrozen(config)).toBe(true);
  });
});

describe('config: configFromEnvOrExit', () => {
  const root = resolve(import.meta.dirname, '../..');
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs configFromEnvOrExit() in a fresh process, in `cwd`, with only PATH in its environment. */
  const run = (cwd: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((done, fail) => {
      const script = join(cwd, 'start.mjs');
      writeFileSync(
        script,
        `import { configFromEnvOrExit } from ${JSON.stringify(join(root, 'src/config.ts'))};\n` +
          'const config = configFromEnvOrExit();\nconsole.log(JSON.stringify(config));\n',
      );
      const started = Date.now();
      // tsx's loader through node directly: `npx tsx` would add npm's own start-up time.
      const tsx = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
      const child = spawn(process.execPath, ['--import', tsx, script], {
        cwd,
        env: { PATH: process.env.PATH ?? '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      child.on('error', fail);
      child.on('close', (code) => done({ code, stdout, stderr, ms: Date.now() - started }));
    });

  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'mend-config-'));
    dirs.push(dir);
    return dir;
  };

  it('with an empty environment and no .env: one line about DISCORD_TOKEN, exit 1, no stack trace', async () => {
    const dir = tempDir();
    let result = await run(dir);
    // The bound is about hanging (an open handle keeping the process alive), not CPU contention: on a
    // machine busy with other test files, one slow start gets a second chance.
    if (result.ms >= 2000) result = await run(dir);
    expect(result.code).toBe(1);
    expect(result.ms).toBeLessThan(2000);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^DISCORD_TOKEN is missing: copy \.env\.example to \.env/);
    expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+|Error|ZodError/);
  });

  it('reads .env from the working directory', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), `DISCORD_TOKEN=${TOKEN}\nHTTP_PORT=0\n`);
    const result = await run(dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(printed).toMatchObject({ DISCORD_TOKEN: '[redacted]', HTTP_PORT: 0 });
  });
});
