/**
 * A stored session written by another version of a flow never crashes the process: it resumes
 * when that version is declared compatible, and otherwise closes with a clear message, keeping
 * what was written for the summary. The same for a snapshot naming a state that no longer exists,
 * and for a record that is not ours at all.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { FlowDefinition } from '../../src/engine/flow-kit.js';
import { type FlowRegistry, loadFlows } from '../../src/engine/flow-registry.js';
import { SessionService, sessionKey } from '../../src/engine/session.js';
import type { Store } from '../../src/engine/store.js';
import { alex, answer, completionScript, inputId, sam } from '../support/play.js';
import { sqliteCase } from '../support/stores.js';

let flows: FlowRegistry;
let store: Store;
let storeCase: ReturnType<typeof sqliteCase>;
const channel = 'versioned';

beforeEach(async () => {
  flows = await loadFlows();
  storeCase = sqliteCase();
  store = await storeCase.open();
});
afterEach(async () => {
  await store.close();
  await storeCase.cleanup();
});

/** A session two answers in, then its stored record changed by `edit`. */
async function storedThen(edit: (record: Record<string, unknown>) => Record<string, unknown>) {
  const flow = flows.get('admit-mistake') as FlowDefinition;
  const service = new SessionService({ store, flows });
  await service.start({ channelId: channel, flowId: flow.id, starter: alex, partner: sam });
  for (const event of completionScript(flow).slice(0, 3)) expect((await answer(service, channel, event)).ok).toBe(true);
  const record = (await store.get(sessionKey(channel))) as Record<string, unknown>;
  await store.set(sessionKey(channel), edit(record));
  return flow;
}

it('an older, incompatible version closes kindly, and its answers go to the summary', async () => {
  await storedThen((r) => ({ ...r, flowVersion: 0 }));
  const service = new SessionService({ store, flows });
  const view = await service.view(channel);
  expect(view?.status).toBe('closed');
  expect(view?.record.closedReason).toMatch(/updated/);
  const outcome = await service.apply(channel, { id: inputId(), userId: alex.id, action: 'end' });
  expect(outcome.ok).toBe(false);
  expect(outcome.ok ? '' : outcome.rejection.code).toBe('finished');
  // Closed for good in the store, with a summary of what was written queued.
  const stored = (await store.get(sessionKey(channel))) as { status: string; id: string };
  expect(stored.status).toBe('closed');
  const queued = await service.outbox.get(stored.id);
  expect(queued?.summary.outcome).toMatch(/updated/);
  expect(queued?.summary.steps.length).toBeGreaterThan(0);
  // A new conversation can start in the channel.
  expect((await service.start({ channelId: channel, flowId: 'ground-rules', starter: alex, partner: sam })).ok).toBe(
    true,
  );
});

it('an older version declared compatible resumes where it was', async () => {
  const flow = await storedThen((r) => ({ ...r, flowVersion: 0 }));
  const compatible: FlowRegistry = new Map(
    [...flows].map(([id, f]) => [id, id === flow.id ? { ...f, compatibleWith: [0] } : f]),
  );
  const service = new SessionService({ store, flows: compatible });
  const view = await service.view(channel);
  expect(view?.status).toBe('active');
  const next = completionScript(flow)[3];
  if (!next) throw new Error('script too short');
  expect((await answer(service, channel, next)).ok).toBe(true);
});

it('a snapshot naming a state that no longer exists closes kindly instead of crashing', async () => {
  await storedThen((r) => ({
    ...r,
    snapshot: { ...(r.snapshot as Record<string, unknown>), value: { active: 'aStepThatWasRemoved' } },
  }));
  const service = new SessionService({ store, flows });
  const view = await service.view(channel);
  expect(view?.status).toBe('closed');
  const outcome = await service.apply(channel, { id: inputId(), userId: sam.id, action: 'pause' });
  expect(outcome.ok ? '' : outcome.rejection.code).toBe('finished');
});

it('a record that is not a session at all is treated as no session, not a crash', async () => {
  await store.set(sessionKey(channel), { hello: 'world' });
  const service = new SessionService({ store, flows });
  expect(await service.view(channel)).toBeUndefined();
  const outcome = await service.apply(channel, { id: inputId(), userId: sam.id, action: 'end' });
  expect(outcome.ok ? '' : outcome.rejection.code).toBe('no-session');
});
