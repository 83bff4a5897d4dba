/**
 * What is stored for a session, and the check it passes on every load: a store is outside our
 * process, so what comes back is validated before any of it reaches a machine.
 */
import { z } from 'zod';
import type { FlowContext, PartnerId } from './flow-kit.js';

export type SessionStatus = 'active' | 'paused' | 'completed' | 'declined' | 'ended' | 'closed';

export const FINISHED: ReadonlySet<SessionStatus> = new Set(['completed', 'declined', 'ended', 'closed']);

export interface Person {
  id: string;
  name: string;
}

export interface SessionRecord {
  v: 1;
  id: string;
  channelId: string;
  guildId?: string;
  flowId: string;
  flowVersion: number;
  partners: Record<PartnerId, Person>;
  status: SessionStatus;
  startedAt: number;
  updatedAt: number;
  /** Ids of the latest inputs applied, so a retried or doubled input is applied once. */
  recentInputs: string[];
  /** Set when a session had to be closed without its machine (e.g. an incompatible version). */
  closedReason?: string;
  /** Reminders already sent, so each is sent once, even across restarts. */
  notices?: Notices;
  snapshot: unknown;
}

export interface Notices {
  /** The prompt key whose turn reminder went out. */
  turn?: string;
  /** The break return time (epoch ms) whose reminder went out. */
  pauseReturn?: number;
}

/** How many input ids to remember: far more than can be in flight for one session at once. */
export const RECENT_INPUTS = 64;

const person = z.object({ id: z.string().min(1), name: z.string() });

/** Checked on every load; `isExactRecord` below mirrors it (test/engine/fast-paths.test.ts holds it to this). */
export const sessionRecordSchema = z.object({
  v: z.literal(1),
  id: z.string().min(1),
  channelId: z.string().min(1),
  guildId: z.string().optional(),
  flowId: z.string().min(1),
  flowVersion: z.number().int(),
  partners: z.object({ a: person, b: person }),
  status: z.enum(['active', 'paused', 'completed', 'declined', 'ended', 'closed']),
  startedAt: z.number(),
  updatedAt: z.number(),
  recentInputs: z.array(z.string()),
  closedReason: z.string().optional(),
  notices: z.object({ turn: z.string().optional(), pauseReturn: z.number().optional() }).optional(),
  snapshot: z.unknown(),
});

const partnerId = z.enum(['a', 'b']);
const answerValue = z
  .object({
    text: z.string().optional(),
    choice: z.string().optional(),
    note: z.string().optional(),
    items: z.array(z.string()).optional(),
    picks: z.array(z.string()).optional(),
  })
  .strict();

/**
 * The kit's context, as JSON must bring it back (dates would be strings, maps `{}`). Checked on
 * every load; `isExactContext` below mirrors it (test/engine/fast-paths.test.ts holds it to this).
 */
export const flowContextSchema = z.object({
  roles: z.record(z.string(), partnerId),
  step: z.number().int().nonnegative(),
  answers: z.array(
    z.object({
      step: z.string(),
      seq: z.number().int(),
      by: partnerId,
      value: answerValue,
      about: z.string().optional(),
      sealed: z.boolean().optional(),
    }),
  ),
  pending: z.object({ a: answerValue.optional(), b: answerValue.optional() }),
  pendingStep: z.string().nullable(),
  counters: z.record(z.string(), z.number()),
  pause: z
    .object({
      by: z.enum(['a', 'b', 'system']),
      at: z.number(),
      until: z.number().optional(),
      safety: z.boolean().optional(),
      resumeVotes: z.array(partnerId),
    })
    .nullable(),
  end: z
    .object({
      by: z.enum(['a', 'b', 'system']),
      at: z.number(),
      reason: z.enum(['ended', 'declined', 'expired', 'incompatible']),
    })
    .nullable(),
}) satisfies z.ZodType<FlowContext>;

/** The snapshot fields we rely on before handing it to XState. */
export const snapshotShapeSchema = z.object({
  status: z.enum(['active', 'done', 'error', 'stopped']),
  value: z.union([z.string(), z.record(z.string(), z.unknown())]),
  context: flowContextSchema,
});

/*
 * Fast paths for the checks above. Every load validates the record and the whole context, and
 * zod costs more per turn than the rest of the engine's own work together (~30 µs of ~100 µs
 * for an 8 KB session). What the engine wrote itself is recognised by a plain check of exactly
 * the schema's rules that accepts only values zod accepts unchanged: plain objects without
 * unknown keys, optional keys absent rather than undefined. Anything else — unknown keys to strip,
 * a bad value, a message to give — goes to zod, so the result is always what zod would return.
 */

type Obj = Record<string, unknown>;

const isPlain = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

function onlyKeys(o: Obj, allowed: ReadonlySet<string>): boolean {
  for (const key in o) if (!allowed.has(key)) return false;
  return true;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const isPartner = (v: unknown) => v === 'a' || v === 'b';
const isActor = (v: unknown) => v === 'a' || v === 'b' || v === 'system';

/** Absent, or present and valid (present but undefined goes to zod). */
const optional = (o: Obj, key: string, check: (v: unknown) => boolean) =>
  o[key] === undefined ? !(key in o) : check(o[key]);

function arrayOf(v: unknown, check: (item: unknown) => boolean): boolean {
  if (!Array.isArray(v)) return false;
  // Indexed, so a hole counts as undefined, as it does for zod.
  for (let i = 0; i < v.length; i++) if (!check(v[i])) return false;
  return true;
}

function recordOf(v: unknown, check: (value: unknown) => boolean): boolean {
  if (!isPlain(v)) return false;
  for (const key in v) if (key === '__proto__' || !check(v[key])) return false;
  return true;
}

const PERSON_KEYS = new Set(['id', 'name']);
const isPerson = (v: unknown) =>
  isPlain(v) && onlyKeys(v, PERSON_KEYS) && isString(v.id) && v.id.length > 0 && isString(v.name);

const PARTNER_KEYS = new Set(['a', 'b']);
const STATUSES = new Set(['active', 'paused', 'completed', 'declined', 'ended', 'closed']);
const RECORD_KEYS = new Set([
  'v',
  'id',
  'channelId',
  'guildId',
  'flowId',
  'flowVersion',
  'partners',
  'status',
  'startedAt',
  'updatedAt',
  'recentInputs',
  'closedReason',
  'notices',
  'snapshot',
]);

const nonEmpty = (v: unknown) => isString(v) && v.length > 0;

const NOTICE_KEYS = new Set(['turn', 'pauseReturn']);
const isNotices = (v: unknown) =>
  isPlain(v) && onlyKeys(v, NOTICE_KEYS) && optional(v, 'turn', isString) && optional(v, 'pauseReturn', isNumber);

/** `sessionRecordSchema` for a record exactly as the engine writes it. */
function isExactRecord(v: unknown): v is SessionRecord {
  if (!isPlain(v) || !onlyKeys(v, RECORD_KEYS)) return false;
  const partners = v.partners;
  return (
    v.v === 1 &&
    nonEmpty(v.id) &&
    nonEmpty(v.channelId) &&
    optional(v, 'guildId', isString) &&
    nonEmpty(v.flowId) &&
    isInt(v.flowVersion) &&
    isPlain(partners) &&
    onlyKeys(partners, PARTNER_KEYS) &&
    isPerson(partners.a) &&
    isPerson(partners.b) &&
    STATUSES.has(v.status as string) &&
    isNumber(v.startedAt) &&
    isNumber(v.updatedAt) &&
    arrayOf(v.recentInputs, isString) &&
    optional(v, 'closedReason', isString) &&
    optional(v, 'notices', isNotices) &&
    'snapshot' in v
  );
}

const ANSWER_VALUE_KEYS = new Set(['text', 'choice', 'note', 'items', 'picks']);
const isStrings = (v: unknown) => arrayOf(v, isString);
const isAnswerValue = (v: unknown) =>
  isPlain(v) &&
  onlyKeys(v, ANSWER_VALUE_KEYS) &&
  optional(v, 'text', isString) &&
  optional(v, 'choice', isString) &&
  optional(v, 'note', isString) &&
  optional(v, 'items', isStrings) &&
  optional(v, 'picks', isStrings);

const isBoolean = (v: unknown) => typeof v === 'boolean';
const ANSWER_KEYS = new Set(['step', 'seq', 'by', 'value', 'about', 'sealed']);
const isAnswer = (v: unknown) =>
  isPlain(v) &&
  onlyKeys(v, ANSWER_KEYS) &&
  isString(v.step) &&
  isInt(v.seq) &&
  isPartner(v.by) &&
  isAnswerValue(v.value) &&
  optional(v, 'about', isString) &&
  optional(v, 'sealed', isBoolean);

const PAUSE_KEYS = new Set(['by', 'at', 'until', 'safety', 'resumeVotes']);
const isPause = (v: unknown) =>
  v === null ||
  (isPlain(v) &&
    onlyKeys(v, PAUSE_KEYS) &&
    isActor(v.by) &&
    isNumber(v.at) &&
    optional(v, 'until', isNumber) &&
    optional(v, 'safety', isBoolean) &&
    arrayOf(v.resumeVotes, isPartner));

const END_KEYS = new Set(['by', 'at', 'reason']);
const REASONS = new Set(['ended', 'declined', 'expired', 'incompatible']);
const isEnd = (v: unknown) =>
  v === null ||
  (isPlain(v) && onlyKeys(v, END_KEYS) && isActor(v.by) && isNumber(v.at) && REASONS.has(v.reason as string));

const CONTEXT_KEYS = new Set(['roles', 'step', 'answers', 'pending', 'pendingStep', 'counters', 'pause', 'end']);

/** `flowContextSchema` for a context exactly as the kit builds it. */
function isExactContext(v: unknown): v is FlowContext {
  if (!isPlain(v) || !onlyKeys(v, CONTEXT_KEYS)) return false;
  const pending = v.pending;
  return (
    recordOf(v.roles, isPartner) &&
    isInt(v.step) &&
    (v.step as number) >= 0 &&
    arrayOf(v.answers, isAnswer) &&
    isPlain(pending) &&
    onlyKeys(pending, PARTNER_KEYS) &&
    optional(pending, 'a', isAnswerValue) &&
    optional(pending, 'b', isAnswerValue) &&
    (v.pendingStep === null || isString(v.pendingStep)) &&
    recordOf(v.counters, isNumber) &&
    isPause(v.pause) &&
    isEnd(v.end)
  );
}

const SNAPSHOT_STATUSES = new Set(['active', 'done', 'error', 'stopped']);

/** A stored record, checked: the record itself when it is exactly as written, else zod's result. */
export function parseSessionRecord(raw: unknown): SessionRecord | undefined {
  if (isExactRecord(raw)) return raw;
  const parsed = sessionRecordSchema.safeParse(raw);
  return parsed.success ? (parsed.data as SessionRecord) : undefined;
}

/**
 * The context of a snapshot with the shape `snapshotShapeSchema` requires, or undefined. The
 * snapshot's other fields are XState's and are not copied, only checked where we rely on them.
 */
export function snapshotContextOf(snapshot: unknown): FlowContext | undefined {
  if (
    isPlain(snapshot) &&
    SNAPSHOT_STATUSES.has(snapshot.status as string) &&
    (isString(snapshot.value) || isPlain(snapshot.value)) &&
    isExactContext(snapshot.context)
  ) {
    return snapshot.context;
  }
  const shape = snapshotShapeSchema.safeParse(snapshot);
  return shape.success ? (shape.data.context as FlowContext) : undefined;
}
