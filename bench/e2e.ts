/**
 * `npm run bench:e2e`: Mend end to end under load, through the local Discord, with the bot as a
 * separate process (`node --import tsx src/main.ts`, exactly as `npm start` runs it, SQLite store).
 *
 * Simulated couples (COUPLES, default 250: at least 200 sessions in flight) play complete sessions
 * in their private channels — /talk, then every scripted answer through the buttons and forms the
 * bot posted, then /talk again. Interactions go out on a fixed open-loop schedule at each rate
 * (RATES, default 50,200,500,750,1000,1250 per second, PHASE_SECONDS each, after a warm-up): slot
 * i of a phase is due at t0 + i/rate whatever happened to the earlier ones. Each due slot goes to
 * a couple that can act now (the one that became able first) — a couple acts only after the bot
 * answered its previous interaction and posted the prompt it needs; when no couple can, the slot is
 * missed and the achieved rate shows it.
 *
 * For each rate it prints the time from dispatch to the bot's first response as the local Discord
 * measures it (interactionTimings(): p50, p99, max), the rate achieved, failures, the bot's peak
 * RSS and CPU; then the highest rate whose p99 stayed under 100 ms, and how that compares with the
 * targets. It reports; it asserts nothing (the exit status is 0 unless the run itself broke).
 *
 * Columns besides latency: `missed` slots (no couple could act), `errors` (no first response in time,
 * a first response Discord refused, or a violation), `refused` (the bot answered but said no — a
 * stale or out-of-turn answer), `lag p99` (dispatch later than its slot) and `loop p99` (this
 * process's event-loop delay: the local Discord runs here and its delays count in the latency),
 * `bot REST/s` (the bot's REST calls made with its token — everything but the interaction callbacks and
 * the interactions' webhook follow-ups, which Discord exempts from the global limit; discord.js holds those to
 * Discord's global limit of 50/s), and CPU of the bot, of this process and of everything else on
 * the machine (the run is only as quiet as the machine).
 *
 *   npm run bench:e2e
 *   env: COUPLES=250  RATES=50,200,500,750,1000,1250  PHASE_SECONDS=6  WARMUP_SECONDS=3
 *        BOT_CPU_PROF=<dir>      profile the bot with --cpu-prof (written when it exits)
 *        REST_GLOBAL_LIMIT=<n>   diagnostic: raise discord.js's global REST limit in the bot process
 *                                (bench/e2e-rest-limit.cjs) to see what it does without that ceiling
 *
 * Everything is on 127.0.0.1; the bot process, the emulator and the temporary store are removed at
 * the end, on error and on Ctrl-C.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Couples } from '../src/engine/couples.js';
import { listedFlows, loadFlows } from '../src/engine/flow-registry.js';
import { openStore } from '../src/engine/store.js';
import { LocalDiscord, type Violation } from '../test/support/discord/index.js';
import { completionScript } from '../test/support/play.js';
import {
  ACTION_KINDS,
  type ActionKind,
  Couple,
  coupleKeys,
  type FlowScript,
  manyCouplesScenario,
  PromptTracker,
} from './e2e-world.js';

// ---- settings ---------------------------------------------------------------------------------------------

const intFromEnv = (name: string, fallback: number, min: number, max: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number ${min}–${max}`);
  return n;
};

const COUPLES = intFromEnv('COUPLES', 250, 1, 2000);
const PHASE_SECONDS = intFromEnv('PHASE_SECONDS', 6, 1, 60);
const WARMUP_SECONDS = intFromEnv('WARMUP_SECONDS', 3, 0, 60);
const WARMUP_RATE = 300;
const RATES = (process.env.RATES ?? '50,200,500,750,1000,1250').split(',').map((r) => {
  const n = Number(r.trim());
  if (!Number.isInteger(n) || n < 1 || n > 20_000) throw new Error(`RATES: "${r}" is not a rate in 1–20000/s`);
  return n;
});
/** The rate the bare discord.js bot is driven at, for the floor of CPU per interaction. */
const BARE_RATE = intFromEnv('BARE_RATE', 500, 1, 20_000);
const CPU_PROF_DIR = process.env.BOT_CPU_PROF?.trim() || undefined;
/** Diagnostic: raise discord.js's global REST limit in the bot process (bench/e2e-rest-limit.cjs). */
const REST_GLOBAL_LIMIT = process.env.REST_GLOBAL_LIMIT?.trim()
  ? intFromEnv('REST_GLOBAL_LIMIT', 50, 1, 1_000_000)
  : undefined;
/** How long to wait, after a phase's last slot, for its interactions still in flight. */
const DRAIN_MS = 4_000;
const P99_LIMIT_MS = 100;
/** A phase this bad makes higher rates pointless: they are skipped. */
const SATURATED_P99_MS = 2_000;

const REPO = fileURLToPath(new URL('..', import.meta.url));

// ---- small helpers ----------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const pad = (text: string | number, width: number) => String(text).padStart(width);

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** The bot's memory and CPU from /proc (Linux). */
class ProcWatch {
  private peakKb = 0;
  private readonly timer: NodeJS.Timeout;
  private canResetHwm = true;

  constructor(private readonly pid: number) {
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
  }

  private status(): { rssKb: number; hwmKb: number } {
    try {
      const text = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
      return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
    } catch {
      return { rssKb: 0, hwmKb: 0 };
    }
  }

  sample() {
    this.peakKb = Math.max(this.peakKb, this.status().rssKb);
  }

  /** Starts a new peak: resets the kernel's high-water mark (clear_refs 5) and the sampled one. */
  resetPeak() {
    if (this.canResetHwm) {
      try {
        writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      } catch {
        this.canResetHwm = false;
      }
    }
    this.peakKb = this.status().rssKb;
  }

  /** Peak RSS since resetPeak, in MB: the kernel's VmHWM when it could be reset, and the 100 ms samples. */
  peakMb(): number {
    this.sample();
    const { hwmKb } = this.status();
    return Math.max(this.peakKb, this.canResetHwm ? hwmKb : 0) / 1024;
  }

  rssMb(): number {
    return this.status().rssKb / 1024;
  }

  /** User + system CPU seconds so far. */
  cpuSeconds(): number {
    try {
      const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    } catch {
      return Number.NaN;
    }
  }

  stop() {
    clearInterval(this.timer);
  }
}

/** Busy CPU seconds of the whole machine (all cores), from /proc/stat. */
function machineBusySeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** A request made with the bot token: anything but an interaction's callback or its webhook (token in the path). */
const usesBotToken = (request: { route: string | null; method: string; path: string }): boolean => {
  const route = request.route ?? `${request.method} ${request.path}`;
  return !route.endsWith('/callback') && !/^[A-Z]+ \/webhooks\//.test(route);
};

// ---- the bot process --------------------------------------------------------------------------------------

interface BotProcess {
  child: ChildProcess;
  logLines: { warn: number; error: number; tail: string[] };
  exited: Promise<number | null>;
}

/**
 * Every couple has agreed to what Mend keeps and done the private check before the run: the bench measures
 * conversations, and the gate is passed once per couple, not once per conversation.
 */
async function passTheGate(storeFile: string, guildId: string, couples: readonly Couple[]): Promise<void> {
  const store = await openStore({ url: `sqlite://${storeFile}` });
  const records = new Couples(store);
  for (const couple of couples) {
    const { a, b } = couple.partners;
    for (const [me, other] of [
      [a.id, b.id],
      [b.id, a.id],
    ] as const) {
      await records.agree(guildId, me, other, couple.channelId);
      await records.checkedSafety(guildId, me, other, couple.channelId, false);
    }
  }
  await store.close();
}

function spawnBot(discord: LocalDiscord, storeFile: string): BotProcess {
  const args = ['--import', 'tsx', 'src/main.ts'];
  if (CPU_PROF_DIR) args.unshift('--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`);
  if (REST_GLOBAL_LIMIT) args.unshift('--require', fileURLToPath(new URL('./e2e-rest-limit.cjs', import.meta.url)));
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    env: {
      ...process.env,
      DISCORD_TOKEN: discord.botToken,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_GUILD_ID: discord.guildId(),
      DISCORD_APPLICATION_ID: '',
      STORE_URL: `sqlite://${storeFile}`,
      STORE_ENCRYPTION_KEY: '',
      HTTP_PORT: '0',
      LOG_LEVEL: 'warn',
      LOG_PRETTY: '0',
      // The bench measures conversations, not the couple's look-over of their summary.
      SUMMARY_APPROVAL_HOURS: '0',
      MEND_BENCH_REST_GLOBAL_LIMIT: REST_GLOBAL_LIMIT ? String(REST_GLOBAL_LIMIT) : '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logLines = { warn: 0, error: 0, tail: [] as string[] };
  const take = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      const level = Number(/"level":(\d+)/.exec(line)?.[1] ?? 50);
      if (level >= 50) logLines.error += 1;
      else if (level >= 40) logLines.warn += 1;
      logLines.tail.push(line.length > 300 ? `${line.slice(0, 300)}…` : line);
      if (logLines.tail.length > 20) logLines.tail.shift();
    }
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, logLines, exited };
}

/** SIGTERM (the bot finishes what is in flight and closes its gateway), then SIGKILL if it takes too long. */
async function stopBot(bot: BotProcess): Promise<void> {
  if (bot.child.exitCode !== null || bot.child.signalCode !== null) return;
  bot.child.kill('SIGTERM');
  const stopped = await Promise.race([bot.exited.then(() => true), sleep(12_000).then(() => false)]);
  if (!stopped) {
    bot.child.kill('SIGKILL');
    await bot.exited;
  }
}

async function waitUntil(check: () => boolean, what: string, timeoutMs: number, bot: BotProcess) {
  const started = Date.now();
  while (!check()) {
    if (bot.child.exitCode !== null) {
      throw new Error(
        `the bot exited (${bot.child.exitCode}) while waiting for ${what}:\n${bot.logLines.tail.join('\n')}`,
      );
    }
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

// ---- the floor: a bare discord.js bot ----------------------------------------------------------------------

interface BareResult {
  rate: number;
  answered: number;
  failed: number;
  cpuMsPerInteraction: number;
  p99: number;
}

/**
 * The same stack with nothing of Mend in it (bench/bare-bot.ts): its own local Discord with the same world, the
 * partners of every couple sending /ping and then clicking its reply's button, open loop at `rate` per second.
 */
async function measureBareBot(rate: number, seconds: number): Promise<BareResult> {
  const discord = await LocalDiscord.start({ scenario: manyCouplesScenario(COUPLES) });
  const guildId = discord.guildId();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-bot.ts'], {
    cwd: REPO,
    env: {
      ...process.env,
      DISCORD_TOKEN: discord.botToken,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_GUILD_ID: guildId,
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
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const started = Date.now();
    while (!discord.commands(guildId).some((c) => c.name === 'ping')) {
      if (child.exitCode !== null || Date.now() - started > 60_000)
        throw new Error(`the bare bot did not start:\n${output}`);
      await sleep(50);
    }
    const pid = child.pid;
    if (pid === undefined) throw new Error('the bare bot has no pid');
    const watch = new ProcWatch(pid);
    const people = Array.from({ length: COUPLES * 2 }, (_, i) => {
      const keys = coupleKeys(Math.floor(i / 2));
      return {
        user: discord.user(i % 2 === 0 ? keys.a : keys.b),
        channelId: discord.channelId(keys.channel),
        message: undefined as import('discord.js').APIMessage | undefined,
        busy: false,
      };
    });
    let next = 0;
    const run = async (phaseRate: number, phaseSeconds: number, counted: boolean) => {
      const interval = 1000 / phaseRate;
      const slots = Math.round(phaseRate * phaseSeconds);
      const cpuBefore = watch.cpuSeconds();
      const latencies: number[] = [];
      let answered = 0;
      let failed = 0;
      const inFlight = new Set<Promise<void>>();
      const t0 = performance.now();
      for (let slot = 0; slot < slots; ) {
        const due = Math.min(slots, Math.floor((performance.now() - t0) / interval) + 1);
        for (; slot < due; slot++) {
          // The next person round the world who is not waiting for a response.
          let person: (typeof people)[number] | undefined;
          for (let k = 0; k < people.length && !person; k++) {
            const candidate = people[next++ % people.length];
            if (candidate && !candidate.busy) person = candidate;
          }
          if (!person) continue;
          person.busy = true;
          const sent = person.message
            ? person.user.click(person.message, 'Again')
            : person.user.slash('ping', {}, { channel: person.channelId });
          const work = sent
            .then((response) => {
              answered += 1;
              latencies.push(response.latencyMs);
              if (!person.message && response.message) person.message = response.message;
            })
            .catch(() => {
              failed += 1;
            })
            .finally(() => {
              person.busy = false;
              inFlight.delete(work);
            });
          inFlight.add(work);
        }
        await sleep(1);
      }
      await Promise.race([Promise.allSettled([...inFlight]), sleep(DRAIN_MS)]);
      const cpu = watch.cpuSeconds() - cpuBefore;
      if (!counted) return undefined;
      const sorted = Float64Array.from(latencies).sort();
      return {
        rate: phaseRate,
        answered,
        failed,
        cpuMsPerInteraction: (cpu * 1000) / Math.max(1, answered),
        p99: quantile(sorted, 0.99),
      };
    };
    await run(rate, Math.min(2, seconds), false);
    const result = await run(rate, seconds, true);
    watch.stop();
    if (!result) throw new Error('the bare bot phase measured nothing');
    return result;
  } finally {
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
    await discord.stop();
  }
}

// ---- the load ---------------------------------------------------------------------------------------------

interface PhaseResult {
  name: string;
  target: number;
  slots: number;
  windowMs: number;
  sent: number;
  missed: number;
  ok: number;
  failed: number;
  refused: number;
  driverErrors: number;
  stillInFlight: number;
  latencies: number[];
  lags: number[];
  achieved: number;
  botPeakMb: number;
  botCpu: number;
  benchCpu: number;
  /** CPU used by everything else on the machine meanwhile (other processes), in cores. */
  otherCpu: number;
  inSessionAtEnd: number;
  newViolations: number;
  /** REST requests the bot made other than interaction callbacks (those discord.js holds to 50/s). */
  restPerSecond: number;
  /** The bot's REST calls made with its token (not an interaction's callback or webhook). */
  botTokenCalls: number;
  /** CPU seconds the bot used in the phase (user + system). */
  botCpuSeconds: number;
  /** This process's event-loop delay (the local Discord runs here), p99 in ms. */
  loopP99: number;
}

interface Totals {
  failures: string[];
  refusals: string[];
  driverErrors: string[];
}

class Load {
  /**
   * Couples that may be able to act: added when something they could be waiting for happens (a message in
   * their channel or one of their ephemerals, or their interaction's first response), removed when found
   * unable to act. Insertion order, so the first to become able is the first served.
   */
  private readonly candidates = new Set<Couple>();
  private readonly byChannelOrUser = new Map<string, Couple>();
  readonly totals: Totals = { failures: [], refusals: [], driverErrors: [] };
  readonly allByKind: Record<ActionKind, number[]> = { talk: [], choose: [], 'open-form': [], submit: [] };

  constructor(
    private readonly couples: Couple[],
    private readonly discord: LocalDiscord,
    private readonly watch: ProcWatch,
    private readonly bot: BotProcess,
    tracker: PromptTracker,
  ) {
    for (const couple of couples) {
      this.byChannelOrUser.set(couple.channelId, couple);
      this.byChannelOrUser.set(couple.partners.a.id, couple);
      this.byChannelOrUser.set(couple.partners.b.id, couple);
      this.candidates.add(couple);
    }
    tracker.onActivity = (id) => {
      const couple = this.byChannelOrUser.get(id);
      if (couple) this.candidates.add(couple);
    };
  }

  private pickReady() {
    for (const couple of this.candidates) {
      this.candidates.delete(couple);
      const action = couple.next();
      if (action) return { couple, action };
    }
    return undefined;
  }

  async phase(name: string, rate: number, seconds: number): Promise<PhaseResult> {
    const slots = Math.round(rate * seconds);
    const interval = 1000 / rate;
    const result: PhaseResult = {
      name,
      target: rate,
      slots,
      windowMs: seconds * 1000,
      sent: 0,
      missed: 0,
      ok: 0,
      failed: 0,
      refused: 0,
      driverErrors: 0,
      stillInFlight: 0,
      latencies: [],
      lags: [],
      achieved: 0,
      botPeakMb: 0,
      botCpu: 0,
      benchCpu: 0,
      otherCpu: 0,
      inSessionAtEnd: 0,
      newViolations: 0,
      restPerSecond: 0,
      botTokenCalls: 0,
      botCpuSeconds: 0,
      loopP99: 0,
    };
    const violationsBefore = this.discord.violations().length;
    const requestsBefore = this.discord.requests().length;
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    this.watch.resetPeak();
    const cpuBefore = this.watch.cpuSeconds();
    const benchCpuBefore = process.cpuUsage();
    const machineBefore = machineBusySeconds();
    let phaseInFlight = 0;
    let firstSend = Number.NaN;
    let lastSend = Number.NaN;

    const t0 = performance.now();
    let slot = 0;
    while (slot < slots) {
      if (this.bot.child.exitCode !== null) throw new Error(`the bot exited (${this.bot.child.exitCode})`);
      const now = performance.now();
      const due = Math.min(slots, Math.floor((now - t0) / interval) + 1);
      let noneReady = false;
      while (slot < due) {
        const scheduledAt = t0 + slot * interval;
        slot += 1;
        const picked = noneReady ? undefined : this.pickReady();
        if (!picked) {
          // Nothing becomes ready until the event loop runs again: the rest of this burst is missed too.
          noneReady = true;
          result.missed += 1;
          continue;
        }
        const { couple, action } = picked;
        const sentAt = performance.now();
        let response: ReturnType<typeof action.send>;
        try {
          response = action.send();
        } catch (error) {
          // The emulator's user refused to act (as the Discord client would): a bench bug, not the bot's.
          result.driverErrors += 1;
          this.note(this.totals.driverErrors, `${action.kind}: ${String(error)}`);
          couple.fail(String(error));
          continue;
        }
        if (Number.isNaN(firstSend)) firstSend = sentAt;
        lastSend = sentAt;
        result.sent += 1;
        result.lags.push(sentAt - scheduledAt);
        couple.busy = true;
        phaseInFlight += 1;
        response
          .then(
            (answer) => {
              const refusal = action.settle(answer);
              if (refusal) {
                result.refused += 1;
                this.note(this.totals.refusals, refusal);
              } else {
                result.ok += 1;
              }
              // Every first response counts, refused or not: it is the bot's latency either way.
              result.latencies.push(answer.latencyMs);
              this.allByKind[action.kind].push(answer.latencyMs);
            },
            (error: unknown) => {
              result.failed += 1;
              this.note(this.totals.failures, `${action.kind}: ${error instanceof Error ? error.message : error}`);
              couple.fail(String(error));
            },
          )
          .finally(() => {
            couple.busy = false;
            this.candidates.add(couple);
            phaseInFlight -= 1;
          });
      }
      await sleep(1);
    }
    // Let this phase's interactions get their first responses (or miss their deadline) before measuring.
    const drainUntil = performance.now() + DRAIN_MS;
    while (phaseInFlight > 0 && performance.now() < drainUntil) await sleep(5);
    result.stillInFlight = phaseInFlight;

    const spanMs = Number.isNaN(firstSend)
      ? result.windowMs
      : Math.max(result.windowMs, lastSend - firstSend + interval);
    result.achieved = result.sent / (spanMs / 1000);
    result.botPeakMb = this.watch.peakMb();
    const elapsedS = (performance.now() - t0) / 1000;
    result.botCpuSeconds = this.watch.cpuSeconds() - cpuBefore;
    result.botCpu = result.botCpuSeconds / elapsedS;
    const benchCpu = process.cpuUsage(benchCpuBefore);
    result.benchCpu = (benchCpu.user + benchCpu.system) / 1e6 / elapsedS;
    result.otherCpu = Math.max(0, (machineBusySeconds() - machineBefore) / elapsedS - result.botCpu - result.benchCpu);
    result.inSessionAtEnd = this.couples.filter((c) => c.inSession).length;
    result.newViolations = this.discord.violations().length - violationsBefore;
    loop.disable();
    result.loopP99 = loop.percentile(99) / 1e6;
    const rest = this.discord.requests().slice(requestsBefore);
    result.botTokenCalls = rest.filter(usesBotToken).length;
    result.restPerSecond = result.botTokenCalls / elapsedS;
    // A short pause so the bot's work after its first responses (next prompts) does not spill into the next phase.
    await sleep(300);
    return result;
  }

  private note(list: string[], text: string) {
    if (list.length < 1000) list.push(text);
  }
}

// ---- reporting --------------------------------------------------------------------------------------------

interface Summary {
  p50: number;
  p99: number;
  max: number;
}

function summarise(samples: number[]): Summary {
  const sorted = Float64Array.from(samples).sort();
  return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

const HEADER = [
  pad('rate/s', 8),
  pad('achieved/s', 11),
  pad('sent', 6),
  pad('missed', 7),
  pad('p50 ms', 8),
  pad('p99 ms', 8),
  pad('max ms', 8),
  pad('errors', 7),
  pad('refused', 8),
  pad('lag p99', 8),
  pad('loop p99', 9),
  pad('bot REST/s', 11),
  pad('bot RSS peak MB', 16),
  pad('bot CPU', 8),
  pad('bench CPU', 10),
  pad('other CPU', 10),
  pad('sessions', 9),
].join('');

function row(r: PhaseResult): string {
  const s = summarise(r.latencies);
  const lag = summarise(r.lags);
  const errors = r.failed + r.stillInFlight + r.driverErrors + r.newViolations;
  return [
    pad(r.name, 8),
    pad(fmt(r.achieved), 11),
    pad(r.sent, 6),
    pad(r.missed, 7),
    pad(fmt(s.p50), 8),
    pad(fmt(s.p99), 8),
    pad(fmt(s.max), 8),
    pad(errors, 7),
    pad(r.refused, 8),
    pad(fmt(lag.p99), 8),
    pad(fmt(r.loopP99), 9),
    pad(fmt(r.restPerSecond), 11),
    pad(fmt(r.botPeakMb), 16),
    pad(`${Math.round(r.botCpu * 100)}%`, 8),
    pad(`${Math.round(r.benchCpu * 100)}%`, 10),
    pad(`${Math.round(r.otherCpu * 100)}%`, 10),
    pad(r.inSessionAtEnd, 9),
  ].join('');
}

const errorsOf = (r: PhaseResult) => r.failed + r.stillInFlight + r.driverErrors + r.newViolations;

// ---- main -------------------------------------------------------------------------------------------------

async function main() {
  const cpus = os.cpus();
  console.log('Mend end-to-end benchmark: the bot as its own process, the local Discord and the couples in this one');
  console.log(
    `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), node ${process.version}, ` +
      `${os.platform()} ${os.release()}, ${fmt(os.totalmem() / 2 ** 30)} GiB RAM`,
  );

  const flows = await loadFlows();
  const scripts: FlowScript[] = listedFlows(flows).map((flow) => ({ flow, script: completionScript(flow) }));

  const dir = mkdtempSync(join(os.tmpdir(), 'mend-bench-e2e-'));
  let discord: LocalDiscord | undefined;
  let bot: BotProcess | undefined;
  let watch: ProcWatch | undefined;
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    discord = await LocalDiscord.start({ scenario: manyCouplesScenario(COUPLES) });
    const tracker = new PromptTracker(discord);
    const couples = Array.from({ length: COUPLES }, (_, i) => {
      const keys = coupleKeys(i);
      const d = discord as LocalDiscord;
      return new Couple(i, d.channelId(keys.channel), { a: d.user(keys.a), b: d.user(keys.b) }, scripts, tracker);
    });
    console.log(
      `world: 1 guild, ${COUPLES * 2 + 1} users, ${COUPLES} couples each in a private channel; flows ` +
        scripts.map((s) => `${s.flow.id} (${s.script.length} answers)`).join(', '),
    );

    const startedAt = performance.now();
    const guildId = discord.guildId();
    await passTheGate(join(dir, 'mend.sqlite'), guildId, couples);
    bot = spawnBot(discord, join(dir, 'mend.sqlite'));
    const started = bot;
    const d = discord;
    await waitUntil(() => d.botConnected, 'the bot to connect to the gateway', 60_000, started);
    await waitUntil(
      () => d.commands(guildId).some((c) => c.name === 'talk'),
      'the bot to register its commands',
      30_000,
      started,
    );
    const pid = bot.child.pid;
    if (pid === undefined) throw new Error('the bot process has no pid');
    watch = new ProcWatch(pid);
    console.log(
      `bot: node --import tsx src/main.ts (pid ${pid}), SQLite store in a temp file, LOG_LEVEL=warn; ` +
        `connected and commands registered in ${fmt((performance.now() - startedAt) / 1000)} s, RSS ${fmt(watch.rssMb())} MB`,
    );
    console.log(
      `schedule: open loop, ${PHASE_SECONDS} s per rate after a ${WARMUP_SECONDS} s warm-up at ${WARMUP_RATE}/s; ` +
        'latency = dispatch → first response, as the local Discord times it',
    );
    if (CPU_PROF_DIR) console.log(`bot CPU profile: written to ${CPU_PROF_DIR} when the bot exits`);
    if (REST_GLOBAL_LIMIT) {
      console.log(
        `DIAGNOSTIC: discord.js's global REST limit raised from 50/s to ${REST_GLOBAL_LIMIT}/s in the bot process (not the bot as shipped)`,
      );
    }
    console.log('');

    const load = new Load(couples, discord, watch, bot, tracker);
    let warmUp: PhaseResult | undefined;
    if (WARMUP_SECONDS > 0) {
      const warm = await load.phase('warm-up', WARMUP_RATE, WARMUP_SECONDS);
      warmUp = warm;
      console.log(HEADER);
      console.log(`${row(warm)}   (not counted)`);
    } else {
      console.log(HEADER);
    }

    const results: PhaseResult[] = [];
    let saturated: string | undefined;
    for (const rate of RATES) {
      if (interrupted) break;
      if (saturated) {
        console.log(`${pad(rate, 8)}   skipped: ${saturated}`);
        continue;
      }
      const result = await load.phase(String(rate), rate, PHASE_SECONDS);
      results.push(result);
      console.log(row(result));
      const p99 = summarise(result.latencies).p99;
      if (errorsOf(result) > 0 || p99 >= SATURATED_P99_MS)
        saturated = `the ${rate}/s phase had ${errorsOf(result)} errors and p99 ${fmt(p99)} ms`;
    }
    if (interrupted) console.log('interrupted');

    // ---- the floor, while Mend's bot is idle
    const bare = interrupted ? undefined : await measureBareBot(BARE_RATE, PHASE_SECONDS);
    if (bare) {
      console.log(
        `bare discord.js bot (bench/bare-bot.ts, same intents, a static reply to every interaction) at ${bare.rate}/s: ` +
          `${bare.answered} answered, ${bare.failed} failed, p99 ${fmt(bare.p99)} ms, ${fmt(bare.cpuMsPerInteraction, 2)} CPU ms each`,
      );
    }

    // ---- conclusions
    console.log('');
    const good = results.filter((r) => summarise(r.latencies).p99 < P99_LIMIT_MS && errorsOf(r) === 0);
    const best = good.reduce<PhaseResult | undefined>((a, r) => (!a || r.achieved > a.achieved ? r : a), undefined);
    const allPhases = warmUp ? [warmUp, ...results] : results;
    const sentAll = allPhases.reduce((n, r) => n + r.sent, 0);
    const tokenCalls = allPhases.reduce((n, r) => n + r.botTokenCalls, 0);
    console.log(`bot-token REST calls per interaction: ${fmt(tokenCalls / Math.max(1, sentAll), 3)}`);
    const sentMeasured = results.reduce((n, r) => n + r.sent, 0);
    const mendCpuMs = (results.reduce((n, r) => n + r.botCpuSeconds, 0) * 1000) / Math.max(1, sentMeasured);
    console.log(
      `bot CPU ms per interaction: ${fmt(mendCpuMs, 2)} (bare bot ${bare ? fmt(bare.cpuMsPerInteraction, 2) : '—'}, ratio ${bare ? fmt(mendCpuMs / bare.cpuMsPerInteraction, 2) : '—'})`,
    );
    console.log(`highest rate with p99 < ${P99_LIMIT_MS} ms: ${best ? fmt(best.achieved, 0) : 0}/s`);
    if (best) console.log(`  (the ${best.name}/s phase, p99 ${fmt(summarise(best.latencies).p99)} ms)`);
    else console.log('  (none of the rates tried)');
    const at200 = results.find((r) => r.target === 200);
    if (at200) {
      const p99 = summarise(at200.latencies).p99;
      const met = p99 < 50 && at200.achieved >= 200 * 0.99 && errorsOf(at200) === 0;
      console.log(
        `target p99 < 50 ms at 200 interactions/s: ${met ? 'met' : 'NOT met'} (achieved ${fmt(at200.achieved)}/s, p99 ${fmt(p99)} ms, ${errorsOf(at200)} errors)`,
      );
    }
    const atLeast500 = good.filter((r) => r.achieved >= 500 * 0.99);
    const best500 = atLeast500.reduce<PhaseResult | undefined>(
      (a, r) => (!a || r.achieved > a.achieved ? r : a),
      undefined,
    );
    console.log(
      `target ≥ 500 interactions/s with p99 < 100 ms: ${best500 ? `met (${fmt(best500.achieved, 0)}/s, p99 ${fmt(summarise(best500.latencies).p99)} ms)` : 'NOT met'}`,
    );

    console.log('');
    console.log('what held each rate back (from the measurements above):');
    const restLimit = REST_GLOBAL_LIMIT ?? 50;
    for (const r of results) {
      const notes: string[] = [];
      if (r.missed > 0) {
        notes.push(`${r.missed} slots missed: no couple could act (each waits for the bot's next prompt)`);
        if (r.restPerSecond >= restLimit * 0.8) {
          notes.push(
            `the bot's REST calls with its token ran at ${fmt(r.restPerSecond)}/s, at discord.js's global limit of ${restLimit}/s: its posts of the next prompts queue there`,
          );
        }
      }
      if (r.botCpu >= 0.9) notes.push(`the bot used ${Math.round(r.botCpu * 100)}% of a core (it is single-threaded)`);
      if (r.benchCpu >= 0.9)
        notes.push(`this process (local Discord + couples) used ${Math.round(r.benchCpu * 100)}% of a core`);
      if (r.otherCpu >= 0.2)
        notes.push(`other processes on the machine used ${Math.round(r.otherCpu * 100)}% of a core meanwhile`);
      console.log(`  ${pad(r.name, 5)}/s: ${notes.length > 0 ? notes.join('; ') : 'nothing: the schedule was met'}`);
    }

    console.log('');
    console.log('first-response latency by kind of interaction, all measured phases and the warm-up:');
    for (const kind of ACTION_KINDS) {
      const s = summarise(load.allByKind[kind]);
      const label = {
        talk: '/talk',
        choose: 'choice click',
        'open-form': 'write click (opens a form)',
        submit: 'form submit',
      }[kind];
      console.log(
        `  ${label.padEnd(27)} ${pad(load.allByKind[kind].length, 6)}   p50 ${pad(fmt(s.p50), 6)} ms   p99 ${pad(fmt(s.p99), 6)} ms   max ${pad(fmt(s.max), 7)} ms`,
      );
    }
    const timings = discord.interactionTimings();
    const missedDeadline = timings.filter((t) => t.missedDeadline || t.latencyMs === null).length;
    const started0 = couples.reduce((n, c) => n + c.sessionsStarted, 0);
    const completed = couples.reduce((n, c) => n + c.sessionsCompleted, 0);
    const retired = couples.filter((c) => c.retired !== null);
    console.log(
      `sessions: ${started0} started, ${completed} completed, ${couples.filter((c) => c.inSession).length} in flight at the end; ` +
        `interactions dispatched: ${timings.length} (${missedDeadline} without a first response in time)`,
    );
    if (retired.length > 0) {
      console.log(`couples stopped after a failure: ${retired.length}, e.g. ${retired[0]?.retired}`);
    }
    for (const [title, list] of [
      ['failed interactions', load.totals.failures],
      ['answers the bot refused', load.totals.refusals],
      ['actions the emulator refused', load.totals.driverErrors],
    ] as const) {
      if (list.length === 0) continue;
      console.log(`${title}: ${list.length}${list.length >= 1000 ? '+' : ''}, e.g.`);
      for (const text of list.slice(0, 3)) console.log(`  ${text.slice(0, 200)}`);
    }
    const byRoute = new Map<string, number>();
    for (const request of discord.requests()) {
      const route = request.route ?? `${request.method} ${request.path}`;
      byRoute.set(route, (byRoute.get(route) ?? 0) + 1);
    }
    console.log(
      `the bot's REST calls per interaction: ${[...byRoute]
        .sort((x, y) => y[1] - x[1])
        .map(([route, n]) => `${fmt(n / Math.max(1, timings.length), 2)} ${route}`)
        .join(', ')}`,
    );
    const withToken = [...byRoute]
      .filter(([route]) => usesBotToken({ route, method: '', path: '' }))
      .reduce((n, [, c]) => n + c, 0);
    if (withToken > 0 && REST_GLOBAL_LIMIT === undefined) {
      const perCall = timings.length / withToken;
      console.log(
        `over this run (start-up included) each call with the bot token came with ${fmt(perCall, 2)} interactions: ` +
          `at Discord's global 50 calls/s that caps this mix near ${fmt(perCall * 50, 0)} interactions/s`,
      );
    }
    const violations: Violation[] = discord.violations();
    if (violations.length === 0) console.log('violations: none');
    else {
      console.log(`violations: ${violations.length}, e.g.`);
      for (const v of violations.slice(0, 5)) console.log(`  ${v.route}: ${v.reason.slice(0, 200)}`);
    }
    console.log(
      `bot log: ${bot.logLines.warn} warnings, ${bot.logLines.error} errors${bot.logLines.tail.length > 0 ? `; last: ${bot.logLines.tail.at(-1)?.slice(0, 200)}` : ''}`,
    );
    console.log(`bench process RSS at the end: ${fmt(process.memoryUsage().rss / 2 ** 20)} MB`);
  } finally {
    watch?.stop();
    if (bot) await stopBot(bot);
    await discord?.stop();
    rmSync(dir, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench:e2e failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
