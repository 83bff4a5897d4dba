/**
 * Sessions of Alex ('a') and Sam ('b') as the store keeps them (plain JSON), played straight through a
 * flow's machine: for tests of what is built from stored records (exports), without Discord.
 */
import { createActor } from 'xstate';
import type { FlowDefinition } from '../../src/engine/flow-kit.js';
import type { FlowEvent } from '../../src/engine/flow-types.js';
import type { SessionRecord } from '../../src/engine/session-record.js';
import { alex, sam } from './play.js';

export const TEST_GUILD = '900000000000000001';
export const T0 = Date.UTC(2026, 0, 5, 9, 30);

export interface StoredSessionOptions {
  id?: string;
  startedAt?: number;
  updatedAt?: number;
}

/** The stored record after these events; completed when the flow reached its end, else active. */
export function storedSessionAfter(
  flow: FlowDefinition,
  events: readonly FlowEvent[],
  { id = 'session-1', startedAt = T0, updatedAt = T0 + 60_000 }: StoredSessionOptions = {},
): SessionRecord {
  const actor = createActor(flow.machine, { input: {} });
  actor.start();
  for (const event of events) actor.send(event);
  const snapshot = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
  actor.stop();
  return {
    v: 1,
    id,
    channelId: 'couple-channel',
    guildId: TEST_GUILD,
    flowId: flow.id,
    flowVersion: flow.version,
    partners: { a: alex, b: sam },
    status: snapshot.status === 'done' ? 'completed' : 'active',
    startedAt,
    updatedAt,
    recentInputs: [],
    snapshot,
  };
}
