/**
 * The container, checked as far as this machine allows:
 *  1. a container engine (docker with a daemon, or podman) and the base image are here: build the
 *     image and run it (exit codes, user, native sqlite3, flows in dist, tini, HEALTHCHECK);
 *  2. always, where a linter is installed: the Dockerfile is lint clean — hadolint when it is on
 *     PATH, dockerfile-utils (a devDependency) and the best practices we follow (below);
 *  3. neither: one printed line saying what was skipped and why.
 * It never fails for want of an engine or a linter, and always fails on a lint-dirty Dockerfile
 * where a linter exists. MEND_SKIP_CONTAINER=1 skips the (minutes-long) image build.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { validate } from 'dockerfile-utils';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const dockerfilePath = join(root, 'Dockerfile');
const dockerfile = readFileSync(dockerfilePath, 'utf8');
const say = (line: string) => console.log(`[docker] ${line}`);

const run = (cmd: string, args: string[], timeoutSec = 60, cwd = root): SpawnSyncReturns<string> =>
  spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: timeoutSec * 1000, maxBuffer: 64 * 1024 * 1024 });

const onPath = (cmd: string): boolean => run('sh', ['-c', `command -v ${cmd}`]).status === 0;

const firstLine = (r: SpawnSyncReturns<string>): string =>
  (r.error?.message ?? `${r.stderr}\n${r.stdout}`)
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0) ?? `exit ${r.status}`;

// ---------------------------------------------------------------------------------------------
// Lint: the practices we hold the Dockerfile to (nodejs/docker-node's BestPractices.md and the
// hadolint rules that apply), so a dirty Dockerfile fails here even where hadolint is not installed.

interface Instruction {
  line: number;
  keyword: string;
  args: string;
}

/** Instructions with continuation lines joined and comments dropped. */
function instructionsOf(text: string): Instruction[] {
  const out: Instruction[] = [];
  let current: Instruction | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!current && (line === '' || line.startsWith('#'))) return;
    if (current) {
      if (!line.startsWith('#')) current.args += ` ${line.replace(/\\$/, '').trim()}`;
    } else {
      const match = /^(\w+)\s*(.*)$/.exec(line);
      if (!match) return;
      current = {
        line: index + 1,
        keyword: (match[1] as string).toUpperCase(),
        args: (match[2] as string).replace(/\\$/, '').trim(),
      };
    }
    if (!raw.trimEnd().endsWith('\\')) {
      out.push(current);
      current = undefined;
    }
  });
  if (current) out.push(current);
  return out;
}

/** Problems with the practices we follow, one line each. */
function bestPracticeProblems(text: string, dockerignore: string | undefined): string[] {
  const problems: string[] = [];
  const all = instructionsOf(text);
  const args = new Map<string, string>();
  for (const i of all.filter((x) => x.keyword === 'ARG')) {
    const [name, value] = i.args.split('=');
    if (name && value) args.set(name.trim(), value.trim());
  }
  const expand = (s: string) => s.replace(/\$\{?(\w+)\}?/g, (m, name: string) => args.get(name) ?? m);

  const froms = all.filter((i) => i.keyword === 'FROM');
  if (froms.length < 2) problems.push('multi-stage build expected: a builder stage and a runtime stage');
  for (const from of froms) {
    const image = expand(from.args.split(/\s+/)[0] ?? '');
    if (!/:[\w.-]+$/.test(image) || image.endsWith(':latest')) {
      problems.push(`line ${from.line}: pin the base image to a tag, not latest (DL3006/DL3007): ${image}`);
    }
  }
  const lastFrom = froms.at(-1);
  const runtime = lastFrom ? all.filter((i) => i.line > lastFrom.line) : [];
  if (lastFrom && !/^node:\d+-\w+-slim$/.test(expand(lastFrom.args.split(/\s+/)[0] ?? ''))) {
    problems.push(`line ${lastFrom.line}: the runtime stage should be a slim node image`);
  }

  for (const i of all) {
    if (i.keyword === 'MAINTAINER') problems.push(`line ${i.line}: MAINTAINER is deprecated; use a LABEL (DL4000)`);
    if (i.keyword === 'ADD' && !/https?:\/\//.test(i.args)) {
      problems.push(`line ${i.line}: use COPY for local files, not ADD (DL3020)`);
    }
    if (i.keyword === 'WORKDIR' && !i.args.startsWith('/')) {
      problems.push(`line ${i.line}: WORKDIR must be absolute (DL3000)`);
    }
    if (i.keyword !== 'RUN') continue;
    const cmd = i.args;
    if (/(^|[;&|]\s*)cd\s/.test(cmd)) problems.push(`line ${i.line}: use WORKDIR instead of cd (DL3003)`);
    if (/\bsudo\b/.test(cmd)) problems.push(`line ${i.line}: do not use sudo (DL3004)`);
    if (/\bapt-get\s+(dist-)?upgrade\b/.test(cmd)) problems.push(`line ${i.line}: do not apt-get upgrade (DL3005)`);
    if (/\bapt\s+(install|update)\b/.test(cmd)) problems.push(`line ${i.line}: use apt-get, not apt (DL3027)`);
    if (/\bapt-get\s+install\b/.test(cmd)) {
      if (!/\s-y\b|--yes\b|--assume-yes\b/.test(cmd))
        problems.push(`line ${i.line}: apt-get install needs -y (DL3014)`);
      if (!/--no-install-recommends\b/.test(cmd)) {
        problems.push(`line ${i.line}: apt-get install needs --no-install-recommends (DL3015)`);
      }
      if (!/\bapt-get\s+update\b/.test(cmd)) {
        problems.push(`line ${i.line}: apt-get update in the same RUN as apt-get install (DL3009)`);
      }
      if (!/rm -rf \/var\/lib\/apt\/lists\/\*/.test(cmd)) {
        problems.push(`line ${i.line}: remove /var/lib/apt/lists/* after apt-get install (DL3009)`);
      }
    }
    if (/\bnpm\s+(install|i)\b/.test(cmd)) problems.push(`line ${i.line}: use npm ci for a reproducible install`);
  }

  const runs = all.filter((i) => i.keyword === 'RUN').map((i) => i.args);
  if (!runs.some((r) => /\bnpm ci\b/.test(r))) problems.push('dependencies should be installed with npm ci');
  if (!runs.some((r) => /--omit=dev\b/.test(r)))
    problems.push('dev dependencies must be left out (npm ci/prune --omit=dev)');

  const last = (keyword: string) => runtime.filter((i) => i.keyword === keyword).at(-1);
  const user = last('USER');
  if (!user || /^(root|0)(:|$)/.test(user.args))
    problems.push('the runtime stage must end as a non-root USER (DL3002)');
  if (!last('HEALTHCHECK')) problems.push('the runtime stage needs a HEALTHCHECK');
  if (!/tini/.test(last('ENTRYPOINT')?.args ?? '')) problems.push('an init process (tini) should be the ENTRYPOINT');
  const cmd = last('CMD');
  if (!cmd?.args.startsWith('[')) problems.push('CMD must be in exec (JSON) form (DL3025)');
  else if (!/^\["node",/.test(cmd.args)) problems.push('CMD should run node directly, not npm (signals reach node)');
  if (!runtime.some((i) => i.keyword === 'ENV' && /NODE_ENV=production/.test(i.args))) {
    problems.push('the runtime stage should set NODE_ENV=production');
  }
  if (!runtime.some((i) => i.keyword === 'VOLUME' && i.args.includes('/app/data'))) {
    problems.push('the SQLite data directory should be a VOLUME (/app/data)');
  }
  if (all.filter((i) => i.keyword === 'CMD').length > froms.length) problems.push('more than one CMD in a stage');

  if (dockerignore === undefined) problems.push('.dockerignore is missing');
  else {
    const ignored = dockerignore.split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', '.env', 'data', '.git', 'dist']) {
      if (!ignored.includes(entry)) problems.push(`.dockerignore should list ${entry}`);
    }
  }
  return problems;
}

/** dockerfile-utils' diagnostics (syntax, flags, durations, instruction arguments) as lines. */
const dockerfileUtilsProblems = (text: string): string[] =>
  validate(text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);

const hadolint = onPath('hadolint') ? 'hadolint' : undefined;

const lint = (text: string, dir: string, dockerignore: string | undefined): string[] => {
  const problems = [...dockerfileUtilsProblems(text), ...bestPracticeProblems(text, dockerignore)];
  if (hadolint) {
    const file = join(dir, 'Dockerfile');
    writeFileSync(file, text);
    const r = run(hadolint, ['--no-color', file], 60, dir);
    if (r.status !== 0) problems.push(...`${r.stdout}${r.stderr}`.trim().split('\n'));
  }
  return problems;
};

const DIRTY = `FROM node:latest
MAINTAINER someone
ADD . /app
RUN cd /app && npm install && apt-get install curl
HEALTHCHECK --interval=abc CMD true
CMD npm start
`;

const tmp = mkdtempSync(join(tmpdir(), 'mend-docker-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const linterAvailable = typeof validate === 'function' || hadolint !== undefined;

describe.skipIf(!linterAvailable)('Dockerfile: lint', () => {
  it('the linters catch a dirty Dockerfile (so a clean result means something)', () => {
    const problems = lint(DIRTY, tmp, undefined);
    expect(problems.join('\n')).toMatch(/invalid duration/);
    expect(problems.join('\n')).toMatch(/DL3020/);
    expect(problems.join('\n')).toMatch(/DL3003/);
    expect(problems.join('\n')).toMatch(/non-root USER/);
    expect(problems.length).toBeGreaterThan(8);
  });

  it('Dockerfile and .dockerignore are lint clean', () => {
    const ignorePath = join(root, '.dockerignore');
    const problems = lint(dockerfile, tmp, existsSync(ignorePath) ? readFileSync(ignorePath, 'utf8') : undefined);
    say(
      `lint: dockerfile-utils + best-practice rules${hadolint ? ' + hadolint' : ' (hadolint not installed here)'}: ${problems.length} problem(s)`,
    );
    expect(problems, `Dockerfile problems:\n${problems.join('\n')}`).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Build and run, where an engine can.

interface Engine {
  cmd: 'docker' | 'podman';
  /** Extra flags for `run` (and the matching ones for `build`) that this host needs. */
  runFlags: string[];
  buildFlags: string[];
  base: string;
}

const baseImage = (): string => {
  const arg = /^ARG NODE_IMAGE=(\S+)/m.exec(dockerfile)?.[1];
  return arg ?? 'node:20-bookworm-slim';
};

/** Flags some sandboxes need: crun may be unusable (cgroups v1 hybrid) and rlimits not raisable. */
const COMPAT_FLAGS = ['--runtime', 'runc', '--ulimit', 'nofile=4096:4096', '--ulimit', 'nproc=1000:1000'];

function findEngine(): Engine | string {
  if (process.env.MEND_SKIP_CONTAINER === '1') return 'MEND_SKIP_CONTAINER=1';
  const reasons: string[] = [];
  for (const cmd of ['docker', 'podman'] as const) {
    if (!onPath(cmd)) {
      reasons.push(`${cmd}: not installed`);
      continue;
    }
    const info = run(cmd, ['info'], 30);
    if (info.status !== 0) {
      reasons.push(`${cmd}: engine not usable (${firstLine(info)})`);
      continue;
    }
    const base = baseImage();
    const fullBase = cmd === 'podman' && !base.includes('/') ? `docker.io/library/${base}` : base;
    if (run(cmd, ['image', 'inspect', fullBase], 30).status !== 0) {
      const pull = run(cmd, ['pull', fullBase], 300);
      if (pull.status !== 0) {
        reasons.push(`${cmd}: base image ${base} cannot be pulled (${firstLine(pull)})`);
        continue;
      }
    }
    for (const flags of cmd === 'podman' ? [[], COMPAT_FLAGS] : [[]]) {
      const probe = run(cmd, ['run', '--rm', ...flags, '--network', 'none', fullBase, 'node', '-e', '0'], 60);
      if (probe.status === 0) {
        const buildFlags =
          cmd === 'podman' ? ['--format', 'docker', '--pull=never', '--network', 'host', ...flags] : [];
        // Behind a TLS-inspecting proxy (as in this sandbox) npm in the builder needs the host's CA
        // bundle, which holds the public roots too: mounted for the build only, never in the image.
        const ca = [
          process.env.NODE_EXTRA_CA_CERTS,
          process.env.SSL_CERT_FILE,
          '/etc/ssl/certs/ca-certificates.crt',
        ].find((file) => file && existsSync(file));
        if (cmd === 'podman' && ca) {
          const npmrc = join(tmp, 'npmrc');
          writeFileSync(npmrc, 'cafile=/run/mend-build-ca.crt\n');
          buildFlags.push('-v', `${ca}:/run/mend-build-ca.crt:ro`, '-v', `${npmrc}:/usr/local/etc/npmrc:ro`);
        }
        return { cmd, runFlags: flags, buildFlags, base: fullBase };
      }
      if (flags === COMPAT_FLAGS || cmd === 'docker')
        reasons.push(`${cmd}: cannot run a container (${firstLine(probe)})`);
    }
  }
  return reasons.join('; ');
}

const engine = findEngine();
const IMAGE = 'localhost/mend:test';

if (typeof engine === 'string') {
  say(
    linterAvailable
      ? `no container build here (${engine}); linted the Dockerfile instead`
      : `skipped: no container engine (${engine}) and no Dockerfile linter`,
  );
}

describe.skipIf(typeof engine === 'string')('Dockerfile: build and run', () => {
  const e = engine as Engine;
  const inContainer = (args: string[], timeoutSec = 60) =>
    // --no-healthcheck: podman without systemd would print timer errors to this stderr.
    run(
      e.cmd,
      ['run', '--rm', '--pull=never', '--no-healthcheck', ...e.runFlags, '--network', 'none', ...args],
      timeoutSec,
    );
  let built = false;
  /** The checks below need the image: without it they skip (the build's own failure says why). */
  const needsImage = (ctx: { skip: (note?: string) => void }) => {
    if (!built) ctx.skip('the image did not build');
  };

  it('builds', { timeout: 20 * 60_000 }, () => {
    say(`building with ${e.cmd} from ${e.base} (minutes when dependencies change)`);
    const r = run(e.cmd, ['build', ...e.buildFlags, '-t', IMAGE, '.'], 19 * 60);
    expect(r.status, `build failed:\n${`${r.stdout}\n${r.stderr}`.slice(-4000)}`).toBe(0);
    built = true;
  });

  it('is configured as we intend: non-root, tini, node CMD, HEALTHCHECK, data volume', (ctx) => {
    needsImage(ctx);
    const r = run(e.cmd, ['image', 'inspect', IMAGE]);
    expect(r.status, firstLine(r)).toBe(0);
    const [image] = JSON.parse(r.stdout) as {
      Config: Record<string, unknown> & { Healthcheck?: { Test: string[] } };
      Healthcheck?: { Test: string[] };
    }[];
    const config = image?.Config ?? {};
    expect(config.User).toBe('node');
    expect(config.Entrypoint).toEqual(['/usr/bin/tini', '--']);
    expect(config.Cmd).toEqual(['node', 'dist/src/main.js']);
    expect(config.Env).toContain('NODE_ENV=production');
    expect(Object.keys((config.Volumes as object | undefined) ?? {})).toContain('/app/data');
    expect((config.Healthcheck ?? image?.Healthcheck)?.Test.join(' ')).toMatch(/\/healthz/);
  });

  it('runs as node, loads the native sqlite3 module and finds the flows in dist', (ctx) => {
    needsImage(ctx);
    const script = `
      const { loadFlows } = await import('/app/dist/src/engine/flow-registry.js');
      await import('sqlite3');
      const flows = await loadFlows();
      console.log(JSON.stringify({ uid: process.getuid(), flows: [...flows.keys()], env: process.env.NODE_ENV }));`;
    const r = inContainer(['--entrypoint', 'node', IMAGE, '--input-type=module', '-e', script]);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { uid: number; flows: string[]; env: string };
    expect(out.uid).toBe(1000);
    expect(out.env).toBe('production');
    expect(out.flows.length).toBeGreaterThanOrEqual(4);
  });

  it('without settings, the bot says what is missing in one line and exits 1', (ctx) => {
    needsImage(ctx);
    const r = inContainer([IMAGE]);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^DISCORD_TOKEN is missing/);
  });
});
