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
  snapshot: unknown;
}

/** How many input ids to remember: far more than can be in flight for one session at once. */
export const RECENT_INPUTS = 64;

const person = z.object({ id: z.string().min(1), name: z.string() });

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

/** The kit's context, as JSON must bring it back (dates would be strings, maps `{}`). */
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
      withheld: z.boolean().optional(),
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
