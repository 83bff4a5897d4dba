/**
 * `npm run bench`: what one turn of the engine costs, against what the store alone costs.
 *
 * Plays N sessions at once (the flows in turn, a complete run each) through SessionService.apply
 * and times every turn. On the same store, with the same shape — N sessions at once, one turn
 * after another — it times a bare get+set of the same session values: the floor no engine can go
 * below. Each floor write is the value the engine wrote at that turn of that flow, with this
 * session's ids and a fresh `updatedAt`, so every write changes the row (SQLite skips unchanged
 * pages, and a bench that writes the same value back measures nothing).
 *
 * For reference it also times the design's own floor — get, restore an XState actor, send,
 * persist, set, with nothing of the engine's — so what the engine adds can be told from what the
 * actor-per-turn design costs by itself.
 *
 * The three alternate over rounds (engine, floor, XState; then XState, floor, engine; …), so load
 * from anything else on the machine falls on all alike. It reports what it measured; it is not a
 * test, and has no time limit. It is a diagnostic: what a user feels is CPU per interaction end to
 * end (`npm run bench:e2e`), where the engine's turn is a small part next to Discord and the store.
 *
 *   npm run bench [-- --sessions 1000] [--store sqlite://…|redis://…|postgres://…] [--flows a,b]
 *                    [--rounds 2] [--text-chars 300]
 *   env: SESSIONS, STORE_URL, FLOWS, ROUNDS, TEXT_CHARS
 *
 * Without a store URL it uses a fresh temporary SQLite file (WAL, synchronous=NORMAL, as the bot
 * opens it), deleted at the end. With one, it writes in a namespace of its own
 * (`mend-bench-<run>`) and deletes all of it at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createActor, type Snapshot } from 'xstate';
import { type FlowRegistry, loadFlows } from '../src/engine/flow-registry.js';
import type { AnswerRecord, FlowContext, PartnerId } from '../src/engine/flow-types.js';
import { type SessionService as Service, SessionService, sessionKey } from '../src/engine/session.js';
import type { Person, SessionRecord } from '../src/engine/session-record.js';
import { openStore, type Store } from '../src/engine/store.js';
import { type AnswerEvent, completionScript } from './script.js';

const { values: args, positionals } = parseArgs({
  options: {
    sessions: { type: 'string', short: 'n' },
    store: { type: 'string' },
    flows: { type: 'string' },
    rounds: { type: 'string' },
    'text-chars': { type: 'string' },
  },
  allowPositionals: true,
});

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer (got "${raw}")`);
  return n;
}

const sessions = positiveInt('sessions', args.sessions ?? positionals[0] ?? process.env.SESSIONS, 1000);
const rounds = positiveInt('rounds', args.rounds ?? process.env.ROUNDS, 2);
const textChars = positiveInt('text chars', args['text-chars'] ?? process.env.TEXT_CHARS, 300);
const storeUrlArg = args.store ?? process.env.STORE_URL;
const flowsArg = args.flows ?? process.env.FLOWS;

const partners: Record<PartnerId, Person> = {
  a: { id: '100000000000000001', name: 'Alex' },
  b: { id: '100000000000000002', name: 'Sam' },
};

interface Plan {
  channelId: string;
  flowId: string;
  script: AnswerEvent[];
}

/** Per-turn wall times of one run, and how long the run took. */
interface Run {
  turns: number[];
  wallMs: number;
}

interface Stats {
  turns: number;
  perSecond: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

function statsOf(runs: Run[]): Stats {
  const sorted = Float64Array.from(runs.flatMap((r) => r.turns)).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  const wallMs = runs.reduce((sum, r) => sum + r.wallMs, 0);
  return {
    turns: sorted.length,
    perSecond: sorted.length / (wallMs / 1000),
    mean: sorted.reduce((sum, x) => sum + x, 0) / sorted.length,
    p50: at(0.5),
    p99: at(0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

const meanOf = (run: Run) => run.turns.reduce((sum, x) => sum + x, 0) / run.turns.length;

/**
 * Starts every session, then plays them all at once, each one turn after another. With `keep`,
 * the records the first session of each flow wrote (at its start, then turn by turn) are kept
 * for the floor.
 */
async function engineRun(service: Service, plans: Plan[], keep?: Map<string, SessionRecord[]>): Promise<Run> {
  const started = await Promise.all(
    plans.map((p) =>
      service.start({ channelId: p.channelId, flowId: p.flowId, starter: partners.a, partner: partners.b }),
    ),
  );
  const turns: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    plans.map(async (plan, i) => {
      const start = started[i];
      if (!start?.ok) throw new Error(`${plan.channelId}: start refused: ${start?.rejection.message}`);
      // Like a surface, keep only what the next turn needs (the prompt's key), not the whole view.
      let step = start.view.prompt?.key ?? 'none';
      let status = start.view.status;
      const records: SessionRecord[] | undefined = keep && !keep.has(plan.flowId) ? [start.view.record] : undefined;
      let n = 0;
      for (const event of plan.script) {
        const input = {
          id: `${plan.channelId}/${n++}`,
          userId: partners[event.by].id,
          action: 'answer' as const,
          step,
          value: event.value,
        };
        const before = performance.now();
        const outcome = await service.apply(plan.channelId, input);
        turns.push(performance.now() - before);
        if (!outcome.ok || outcome.duplicate) {
          const why = outcome.ok ? 'a duplicate' : outcome.rejection.message;
          throw new Error(`${plan.channelId}: turn ${n} was not applied: ${why}`);
        }
        step = outcome.view.prompt?.key ?? 'none';
        status = outcome.view.status;
        records?.push(outcome.view.record);
      }
      if (status !== 'completed') throw new Error(`${plan.channelId}: ended ${status}, not completed`);
      if (records && keep) keep.set(plan.flowId, records);
    }),
  );
  return { turns, wallMs: performance.now() - t0 };
}

/** One turn of the floor: the record the engine wrote, and how its answers differ from the turn before. */
interface FloorStep {
  record: SessionRecord;
  /** Answers carried over from the record read (the rest of `answers` are this turn's). */
  kept: number;
  added: AnswerRecord[];
}

const answersOf = (record: SessionRecord) => (record.snapshot as { context: FlowContext }).context.answers;

/** The floor steps of a flow, from the records one of its sessions wrote (start first). */
function floorSteps(records: SessionRecord[]): FloorStep[] {
  return records.slice(1).map((record, i) => {
    const before = answersOf(records[i]!).map((a) => JSON.stringify(a));
    const after = answersOf(record);
    let kept = 0;
    while (kept < before.length && kept < after.length && before[kept] === JSON.stringify(after[kept])) kept++;
    return { record, kept, added: after.slice(kept) };
  });
}

/**
 * The floor: per turn, a bare get+set of the session value the engine wrote at that turn. Each
 * session's row first goes back to its start (not timed); then each turn reads the row and
 * writes that turn's record with this session's ids, a fresh `updatedAt`, and the answers it
 * just read (plus the turn's new one). So every write changes the row, values grow as the
 * engine's do, and what is serialized is, as for the engine, mostly what was just parsed —
 * not one warm template written over and over, which would flatter the floor.
 */
async function floorRun(store: Store, plans: Plan[], values: Map<string, SessionRecord[]>): Promise<Run> {
  const steps = new Map([...values].map(([flowId, records]) => [flowId, floorSteps(records)]));
  let stamp = Date.now();
  const at = (plan: Plan, record: SessionRecord, snapshot: unknown) => ({
    ...record,
    channelId: plan.channelId,
    updatedAt: ++stamp,
    snapshot,
  });
  await Promise.all(
    plans.map((plan) => {
      const start = values.get(plan.flowId)?.[0];
      return start && store.set(sessionKey(plan.channelId), at(plan, start, start.snapshot));
    }),
  );
  const turns: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    plans.map(async (plan) => {
      const key = sessionKey(plan.channelId);
      for (const { record, kept, added } of steps.get(plan.flowId) ?? []) {
        const before = performance.now();
        const current = (await store.get(key)) as SessionRecord;
        const snapshot = record.snapshot as { context: FlowContext };
        const answers = answersOf(current).slice(0, kept).concat(added);
        await store.set(key, at(plan, record, { ...snapshot, context: { ...snapshot.context, answers } }));
        turns.push(performance.now() - before);
      }
    }),
  );
  return { turns, wallMs: performance.now() - t0 };
}

/**
 * For reference, the design's own floor: per turn, get, restore an actor from the stored snapshot,
 * send the answer, persist, set — what XState and the store cost with nothing of the engine's
 * (no checks, prompts, queue or summaries). Fresh sessions, each row first set to its start.
 */
async function xstateRun(store: Store, plans: Plan[], values: Map<string, SessionRecord[]>, flows: FlowRegistry) {
  let stamp = Date.now();
  await Promise.all(
    plans.map((plan) => {
      const start = values.get(plan.flowId)?.[0];
      return (
        start && store.set(sessionKey(plan.channelId), { ...start, channelId: plan.channelId, updatedAt: ++stamp })
      );
    }),
  );
  const turns: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    plans.map(async (plan) => {
      const key = sessionKey(plan.channelId);
      const machine = flows.get(plan.flowId)?.machine;
      if (!machine) return;
      for (const event of plan.script) {
        const before = performance.now();
        const current = (await store.get(key)) as SessionRecord;
        // The bare design's floor: the stored snapshot as written, unchecked (the engine checks it).
        const actor = createActor(machine, { snapshot: current.snapshot as Snapshot<unknown>, input: {} });
        actor.start();
        actor.send(event);
        const snapshot = actor.getPersistedSnapshot();
        actor.stop();
        await store.set(key, { ...current, updatedAt: ++stamp, snapshot });
        turns.push(performance.now() - before);
      }
    }),
  );
  return { turns, wallMs: performance.now() - t0 };
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
const ms = (x: number) => x.toFixed(3);
const col = (s: string | number, n: number) => String(s).padEnd(n);
const load = () => os.loadavg()[0]?.toFixed(2) ?? '?';

async function main(): Promise<void> {
  const all = await loadFlows();
  const wanted = flowsArg ? flowsArg.split(',').map((s) => s.trim()) : [...all.keys()];
  const flows = wanted.map((id) => {
    const flow = all.get(id);
    if (!flow) throw new Error(`unknown flow "${id}" (known: ${[...all.keys()].join(', ')})`);
    return flow;
  });
  const scripts = new Map(flows.map((f) => [f.id, completionScript(f, textChars)]));
  const plansFor = (prefix: string, count: number): Plan[] =>
    Array.from({ length: count }, (_, i) => {
      const flow = flows[i % flows.length]!;
      return { channelId: `${prefix}-${i}`, flowId: flow.id, script: scripts.get(flow.id) ?? [] };
    });
  const loadBefore = load();

  const tempDir = storeUrlArg ? undefined : mkdtempSync(join(os.tmpdir(), 'mend-bench-'));
  const storeUrl = storeUrlArg ?? `sqlite://${join(tempDir ?? '', 'bench.sqlite')}`;

  // A namespace of its own: a shared store is not touched outside it, and all of it is removed.
  const store = await openStore({ url: storeUrl, namespace: `mend-bench-${Date.now().toString(36)}` }).catch(
    (error: unknown) => {
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
      throw error;
    },
  );
  try {
    const service = new SessionService({ store, flows: all });

    // Warm up every path (JIT, pages, connections); not measured. Keeps the values the floor writes.
    const values = new Map<string, SessionRecord[]>();
    const warm = plansFor('warm', Math.min(sessions, 25 * flows.length));
    await engineRun(service, warm, values);
    await floorRun(store, warm, values);
    await xstateRun(store, plansFor('xwarm', warm.length), values, all);

    // Engine, floor, XState alone; then the other way round, and so on. The floor writes the
    // sessions of the latest engine round (their rows exist); the XState runs use their own.
    const engine: Run[] = [];
    const floor: Run[] = [];
    const xstate: Run[] = [];
    let plans = warm;
    for (let r = 1; r <= rounds; r++) {
      const order = r % 2 === 1 ? (['engine', 'floor', 'xstate'] as const) : (['xstate', 'floor', 'engine'] as const);
      for (const kind of order) {
        if (kind === 'engine') {
          const next = plansFor(`r${r}`, sessions);
          engine.push(await engineRun(service, next));
          plans = next;
        }
        if (kind === 'floor') floor.push(await floorRun(store, plans, values));
        if (kind === 'xstate') xstate.push(await xstateRun(store, plansFor(`x${r}`, sessions), values, all));
      }
    }

    let finalBytes = 0;
    for (const plan of plans) finalBytes += bytes(await store.get(sessionKey(plan.channelId)));
    let writtenBytes = 0;
    let writes = 0;
    for (const plan of plans) {
      for (const record of values.get(plan.flowId)?.slice(1) ?? []) {
        writtenBytes += bytes(record);
        writes++;
      }
    }

    const e = statsOf(engine);
    const f = statsOf(floor);
    const x = statsOf(xstate);
    const ratioP50 = e.p50 / f.p50;
    const ratioMean = e.mean / f.mean;
    const perRound = engine.map((run, i) => {
      const other = floor[i];
      return other ? (meanOf(run) / meanOf(other)).toFixed(2) : '?';
    });
    const row = (name: string, s: Stats) =>
      `${col(name, 20)}${col(s.turns, 8)}${col(s.perSecond.toFixed(0), 9)}${col(ms(s.mean), 10)}` +
      `${col(ms(s.p50), 10)}${col(ms(s.p99), 10)}${ms(s.max)}`;

    console.log(
      [
        `machine   ${os.availableParallelism()} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}` +
          ` (load average ${loadBefore} before, ${load()} after)`,
        `store     ${store.kind} ${storeUrl}${tempDir ? ' (temporary; WAL, synchronous=NORMAL)' : ''}`,
        `sessions  ${sessions} at once, ${rounds} rounds; turns per session: ` +
          flows.map((fl) => `${fl.id} ${scripts.get(fl.id)?.length}`).join(', '),
        `size      ${Math.round(finalBytes / plans.length)} bytes per session stored when complete, ` +
          `${Math.round(writtenBytes / Math.max(1, writes))} bytes per write on average (JSON, ~${textChars}-character answers)`,
        '',
        `${col('per turn', 20)}${col('turns', 8)}${col('turns/s', 9)}${col('mean ms', 10)}${col('p50 ms', 10)}` +
          `${col('p99 ms', 10)}max ms`,
        row('engine apply', e),
        row('bare get+set', f),
        row('xstate alone', x),
        '',
        `ratio     engine/floor: p50 ${ratioP50.toFixed(2)}×, mean ${ratioMean.toFixed(2)}×` +
          ` (mean by round: ${perRound.join(', ')})`,
        `for reference, xstate alone/floor (get, restore, send, persist, set; nothing of the engine's): ` +
          `p50 ${(x.p50 / f.p50).toFixed(2)}×, mean ${(x.mean / f.mean).toFixed(2)}×`,
      ].join('\n'),
    );
  } finally {
    if (!tempDir) {
      const keys: string[] = [];
      for await (const key of store.keys()) keys.push(key);
      for (const key of keys) await store.delete(key);
    }
    await store.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
