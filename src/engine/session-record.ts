/**
 * What is stored for a session, and the check it passes on every load: a store is outside our
 * process, so what comes back is validated before any of it reaches a machine.
 */
import type { Snapshot } from 'xstate';
import { z } from 'zod';
import type { FlowContext, PartnerId } from './flow-types.js';

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

/** Checked on every load. */
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
}) satisfies z.ZodType<SessionRecord>;

const partnerId = z.enum(['a', 'b']);
const answerValue = z
  .object({
    text: z.string().optional(),
    choice: z.string().optional(),
    note: z.string().optional(),
    items: z.array(z.string()).optional(),
    picks: z.array(z.string()).optional(),
    skipped: z.literal(true).optional(),
  })
  .strict();

/**
 * The kit's context, as JSON must bring it back (dates would be strings, maps `{}`). Checked on
 * every load.
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
      draft: z.literal(true).optional(),
      additions: z.array(z.string()).optional(),
    }),
  ),
  pending: z.object({ a: answerValue.optional(), b: answerValue.optional() }),
  pendingStep: z.string().nullable(),
  drafts: z.record(z.string(), answerValue).default({}),
  counters: z.record(z.string(), z.number()),
  pause: z
    .object({
      by: z.enum(['a', 'b', 'system']),
      at: z.number(),
      until: z.number().optional(),
      safety: z.boolean().optional(),
      resumeVotes: z.array(partnerId),
      step: z.string().optional(),
      seq: z.number().int().optional(),
    })
    .nullable(),
  end: z
    .object({
      by: z.enum(['a', 'b', 'system']),
      at: z.number(),
      reason: z.enum(['ended', 'declined', 'expired', 'incompatible']),
      step: z.string().optional(),
    })
    .nullable(),
  // Sessions stored before the skip after a safety pause existed have no such field.
  afterSafety: z.object({ step: z.string(), seq: z.number().int() }).nullable().default(null),
  subject: z
    .object({
      flowTitle: z.string(),
      madeAt: z.number(),
      promises: z.array(
        z.object({
          id: z.string(),
          by: z.array(partnerId),
          to: z.array(partnerId),
          words: z.string(),
          about: z.string().optional(),
        }),
      ),
    })
    .optional(),
}) satisfies z.ZodType<FlowContext>;

/** The snapshot fields we rely on before handing it to XState. */
export const snapshotShapeSchema = z.object({
  status: z.enum(['active', 'done', 'error', 'stopped']),
  value: z.union([z.string(), z.record(z.string(), z.unknown())]),
  context: flowContextSchema,
});

/**
 * A persisted flow snapshot, as `getPersistedSnapshot()` gives it and `createActor(machine,
 * { snapshot })` takes it back: XState's own fields, with the context we validate.
 */
export type PersistedFlowSnapshot = Snapshot<unknown> & { value: unknown; context: FlowContext };

/** A stored record, checked (zod strips what it does not know), or undefined when it is not one. */
export function parseSessionRecord(raw: unknown): SessionRecord | undefined {
  const parsed = sessionRecordSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The part of a stored snapshot we rely on before handing it to XState, checked, or undefined.
 * The snapshot's other fields are XState's: they are kept as they are, not copied.
 */
export function checkedSnapshot(snapshot: unknown): PersistedFlowSnapshot | undefined {
  const shape = snapshotShapeSchema.safeParse(snapshot);
  if (!shape.success) return undefined;
  return { ...(snapshot as Record<string, unknown>), ...shape.data } as PersistedFlowSnapshot;
}
