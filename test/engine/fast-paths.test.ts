/**
 * The engine checks every stored record, every context and every answer on every turn. The zod
 * schemas say what is valid; plain-code fast paths recognise the common, plainly valid case and
 * leave everything else to zod. These tests hold the fast paths to the schemas: on real values
 * from every flow and on every way of breaking them we could think of, the fast path's result is
 * exactly zod's (or it steps aside).
 */

import { beforeAll, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { answerSchema, checkAnswer, fastAnswer } from '../../src/engine/answer-schema.js';
import type { InputSpec } from '../../src/engine/flow-kit.js';
import { type FlowRegistry, loadFlows } from '../../src/engine/flow-registry.js';
import {
  parseSessionRecord,
  type SessionRecord,
  sessionRecordSchema,
  snapshotContextOf,
  snapshotShapeSchema,
} from '../../src/engine/session-record.js';
import { sampleAnswers } from '../support/flow-walk.js';
import { alex, completionScript, sam } from '../support/play.js';

let flows: FlowRegistry;
beforeAll(async () => {
  flows = await loadFlows();
});

const DELETE = Symbol('delete');
class Odd {
  text = 'an answer long enough';
}
/** Values to put in place of any field: wrong types, edge numbers, non-plain objects, removal. */
const replacements: unknown[] = [
  DELETE,
  undefined,
  null,
  0,
  -1,
  1.5,
  2 ** 60,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '',
  '   ',
  'x',
  'a',
  'system',
  'active',
  true,
  [],
  ['a'],
  [undefined],
  {},
  { a: 'a' },
  Object.create(null),
  new Date(0),
  new Map(),
  new Odd(),
];

/** Every path to a value inside `value` (objects and arrays, depth-first). */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((k) => [[...prefix, k], ...pathsOf((value as Record<string, unknown>)[k], [...prefix, k])]);
}

/** A deep copy of `value` with the thing at `path` replaced (or removed), and extra keys added. */
function mutate(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (replacement === DELETE) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    parent[last] = replacement;
  }
  return copy;
}

function withExtraKeyAt(value: unknown, path: (string | number)[]): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let target = copy;
  for (const key of path) target = target[key] as Record<string | number, unknown>;
  if (typeof target !== 'object' || target === null || Array.isArray(target)) return undefined;
  target.unexpected = 'x';
  return copy;
}

describe('answers: the fast check gives exactly what zod gives', () => {
  const variants = (spec: InputSpec): unknown[] => {
    const samples = [...sampleAnswers(spec, 'tag', 'short'), ...sampleAnswers(spec, 'tag', 'max')];
    const out: unknown[] = [...samples, null, 'text', 42, [], {}, Object.create(null), new Odd()];
    for (const sample of samples) {
      for (const path of pathsOf(sample)) {
        for (const r of replacements) out.push(mutate(sample, path, r));
        out.push(withExtraKeyAt(sample, path.slice(0, -1)));
      }
      out.push({ ...sample, extra: 1 });
    }
    const text = (n: number, pad = '') => `${pad}${'y'.repeat(Math.max(0, n))}${pad}`;
    switch (spec.kind) {
      case 'text': {
        for (const n of [0, spec.min - 1, spec.min, spec.max, spec.max + 1]) {
          out.push({ text: text(n) }, { text: text(n, '  ') }, { text: text(n, '\n') });
        }
        const options = spec.picker?.options.map((o) => o.value) ?? ['x'];
        const first = options[0] ?? 'x';
        const picks = [[], [first], [first, first], options, [...options, first], ['nope'], [1], [first, undefined]];
        // biome-ignore lint/suspicious/noSparseArray: a sparse array is one of the shapes to refuse
        picks.push([, first] as never);
        for (const p of picks)
          out.push({ text: 'a good answer', picks: p }, { text: 'a good answer', picks: undefined });
        break;
      }
      case 'choice': {
        const values = spec.options.map((o) => o.value);
        for (const choice of [...values, 'nope', undefined, 1]) {
          out.push({ choice });
          for (const n of [0, 1, (spec.note?.min ?? 1) - 1, spec.note?.max ?? 5, (spec.note?.max ?? 5) + 1]) {
            out.push({ choice, note: text(n) }, { choice, note: text(n, ' ') }, { choice, note: undefined });
          }
        }
        break;
      }
      case 'list': {
        for (const n of [0, spec.min - 1, spec.min, spec.max, spec.max + 1]) {
          const items = Array.from({ length: Math.max(0, n) }, (_, i) => `point ${i}`);
          out.push({ items }, { items: [...items, '', '  '] }, { items: items.map((s) => ` ${s} `) });
        }
        out.push({ items: ['y'.repeat(spec.itemMax)] }, { items: ['y'.repeat(spec.itemMax + 1)] });
        out.push({ items: [` ${'y'.repeat(spec.itemMax)} `] }, { items: [1] }, { items: 'a\nb' });
        break;
      }
    }
    return out;
  };

  /** Shapes no flow uses yet, so the fast path is held to the schema for them too. */
  const options = [
    { value: 'one', label: 'One' },
    { value: 'two', label: 'Two' },
    { value: 'three', label: 'Three' },
  ];
  const synthetic: InputSpec[] = [
    { kind: 'choice', options, note: { label: 'Why', min: 5, max: 40 } },
    { kind: 'choice', options, note: { label: 'Why', min: 0, max: 40 } },
    { kind: 'choice', options },
    { kind: 'text', label: 'Say', min: 3, max: 12, picker: { label: 'Pick', options, max: 2 } },
    { kind: 'text', label: 'Say', min: 1, max: 12 },
    { kind: 'list', label: 'Points', min: 2, max: 3, itemMax: 10 },
  ];

  it('for every step of every flow, and other shapes, on valid, boundary and broken answers', () => {
    let fastHits = 0;
    let checked = 0;
    const specs = [...flows.values()].flatMap((flow) =>
      [...flow.steps].map(([step, prompt]) => ({ where: `${flow.id}/${step}`, spec: prompt.input })),
    );
    specs.push(...synthetic.map((spec, i) => ({ where: `synthetic #${i}`, spec })));
    for (const { where, spec } of specs) {
      const schema = answerSchema(spec);
      for (const value of variants(spec)) {
        const parsed = schema.safeParse(value);
        const fast = fastAnswer(spec, value);
        checked++;
        if (fast !== undefined) {
          fastHits++;
          expect(parsed.success, `${where}: fast path accepted ${JSON.stringify(value)}`).toBe(true);
          expect(fast, where).toStrictEqual(parsed.data);
        }
        const result = checkAnswer(spec, value);
        if (parsed.success) expect(result, where).toStrictEqual({ ok: true, value: parsed.data });
        else expect(result, where).toEqual({ ok: false, message: parsed.error.issues[0]?.message });
      }
    }
    expect(checked).toBeGreaterThan(1000);
    // The fast path is not vacuous: it takes the plainly valid answers.
    expect(fastHits).toBeGreaterThan(100);
  });
});

describe('stored records and contexts: the fast check gives exactly what zod gives', () => {
  /** Records as the engine stores them, along a full run of every flow (JSON round trip). */
  const storedRecords = (): SessionRecord[] => {
    const records: SessionRecord[] = [];
    for (const flow of flows.values()) {
      const actor = createActor(flow.machine, { input: {} });
      actor.start();
      const script = completionScript(flow);
      const last = script.length - 1;
      script.forEach((event, i) => {
        actor.send(event);
        if (i !== 0 && i !== Math.floor(last / 2) && i !== last) return;
        const record: SessionRecord = {
          v: 1,
          id: 'session-1',
          channelId: 'channel-1',
          flowId: flow.id,
          flowVersion: flow.version,
          partners: { a: alex, b: sam },
          status: 'active',
          startedAt: 1,
          updatedAt: 2,
          recentInputs: ['input-1', 'input-2'],
          snapshot: actor.getPersistedSnapshot(),
        };
        if (i === 0) record.guildId = 'guild-1';
        if (i === last) record.closedReason = 'closed for a reason';
        if (i === Math.floor(last / 2)) record.notices = { turn: 'step@3', pauseReturn: 5 };
        records.push(JSON.parse(JSON.stringify(record)) as SessionRecord);
      });
      actor.stop();
    }
    return records;
  };

  const expectSame = (value: unknown, where: string) => {
    const record = sessionRecordSchema.safeParse(value);
    expect(parseSessionRecord(value), `record ${where}`).toStrictEqual(record.success ? record.data : undefined);
    const snapshot = (value as { snapshot?: unknown } | undefined)?.snapshot;
    const shape = snapshotShapeSchema.safeParse(snapshot);
    expect(snapshotContextOf(snapshot), `context ${where}`).toStrictEqual(
      shape.success ? shape.data.context : undefined,
    );
  };

  it('on the records of full runs, and on every field of them replaced, removed or given a neighbour', () => {
    const records = storedRecords();
    expect(records.length).toBeGreaterThan(8);
    let checked = 0;
    for (const record of records) {
      expect(parseSessionRecord(record)).toBe(record); // taken by the fast path, as written
      expectSame(record, 'as stored');
      // The snapshot's own XState fields are not ours to check; everything else is.
      const answers = ((record.snapshot as { context: { answers: unknown[] } }).context.answers ?? []).length;
      const paths = pathsOf(record).filter(
        (p) =>
          (p[0] !== 'snapshot' || p.length === 1 || ['status', 'value', 'context'].includes(String(p[1]))) &&
          // Answers all have one shape: break the first, the second and the last (the loop's ends).
          !(p[2] === 'answers' && p.length > 4 && ![0, 1, answers - 1].includes(Number(p[3]))),
      );
      for (const path of paths) {
        const where = path.join('.');
        for (const [i, r] of replacements.entries()) {
          expectSame(mutate(record, path, r), `${where} = replacement #${i}`);
          checked++;
        }
        const extra = withExtraKeyAt(record, path);
        if (extra) expectSame(extra, `${where} + unexpected key`);
      }
    }
    expect(checked).toBeGreaterThan(3000);
    for (const [i, odd] of [undefined, null, 'record', [], {}, Object.create(null), new Odd()].entries()) {
      expectSame(odd, `odd value #${i}`);
    }
  });
});
