/**
 * Changing and adding to answers through the session engine: what it applies, what it refuses
 * (and that a refusal leaves the stored session as it was), what becomes readable, and what the
 * summary holds at the end.
 */
import { describe, expect, it } from 'vitest';
import { SessionService, sessionKey } from '../../src/engine/session.js';
import { openStore, type Store } from '../../src/engine/store.js';
import { summarize } from '../../src/engine/summary.js';
import { flows } from '../support/flows.js';
import { alex, inputId, sam } from '../support/play.js';

const CHANNEL = '300000000000000001';

async function world() {
  const store: Store = await openStore({ url: 'sqlite://:memory:' });
  let t = Date.UTC(2026, 10, 27, 12);
  const service = new SessionService({ store, flows, now: () => (t += 1000) });
  await service.start({ channelId: CHANNEL, flowId: 'tolerance-questions', starter: alex, partner: sam });
  const stored = async () => JSON.stringify(await store.get(sessionKey(CHANNEL)));
  const act = async (userId: string, action: 'answer' | 'revise' | 'add', value: unknown, key?: string) => {
    const view = await service.view(CHANNEL);
    const step = key ?? view?.prompt?.key ?? 'none';
    return service.apply(CHANNEL, {
      id: inputId(),
      userId,
      action,
      step,
      ...(action === 'add' ? { text: value } : { value }),
    });
  };
  return { store, service, stored, act };
}

/** Both ready, Alex names first (agreed): the list is Alex's to write. */
async function toList(w: Awaited<ReturnType<typeof world>>) {
  await w.act(alex.id, 'answer', { choice: 'ready' });
  await w.act(sam.id, 'answer', { choice: 'ready' });
  await w.act(alex.id, 'answer', { choice: 'me' });
  await w.act(sam.id, 'answer', { choice: 'yes' });
}

describe('changing an answer', () => {
  it('the author changes their words before the other has answered after them; what changed is reported', async () => {
    const w = await world();
    await toList(w);
    const listKey = (await w.service.view(CHANNEL))?.prompt?.key ?? '';
    await w.act(alex.id, 'answer', { items: ['Late replies'] });
    const changed = await w.act(alex.id, 'revise', { items: ['Replies a day late'] }, listKey);
    expect(changed.ok).toBe(true);
    if (!changed.ok) return;
    expect(changed.changed?.value.items).toEqual(['Replies a day late']);
    expect(changed.view.prompt?.quotes.map((q) => q.text)).toEqual(['Replies a day late']);
  });

  it('refuses a change once the other has answered after it, and a change by the other partner; nothing is written', async () => {
    const w = await world();
    await toList(w);
    const listKey = (await w.service.view(CHANNEL))?.prompt?.key ?? '';
    await w.act(alex.id, 'answer', { items: ['Late replies'] });
    const bySam = await w.act(sam.id, 'revise', { items: ['Not yours'] }, listKey);
    expect(bySam.ok ? 'applied' : bySam.rejection.code).toBe('no-such-answer');
    await w.act(sam.id, 'answer', { text: 'You feel put aside when I answer late.' });
    const before = await w.stored();
    const late = await w.act(alex.id, 'revise', { items: ['Too late now'] }, listKey);
    expect(late.ok ? 'applied' : late.rejection.code).toBe('already-read');
    expect(await w.stored()).toBe(before);
  });

  it('adds to an answer the other has read, and refuses an addition before then; the summary shows it', async () => {
    const w = await world();
    await toList(w);
    const listKey = (await w.service.view(CHANNEL))?.prompt?.key ?? '';
    await w.act(alex.id, 'answer', { items: ['Late replies'] });
    const early = await w.act(alex.id, 'add', 'Mostly at weekends.', listKey);
    expect(early.ok ? 'applied' : early.rejection.code).toBe('not-read-yet');
    await w.act(sam.id, 'answer', { text: 'You feel put aside when I answer late.' });
    const invisible = await w.act(alex.id, 'add', '\u200B\u200D', listKey);
    expect(invisible.ok ? 'applied' : invisible.rejection.code).toBe('invalid-answer');
    const added = await w.act(alex.id, 'add', 'Mostly at weekends.', listKey);
    expect(added.ok).toBe(true);
    const view = await w.service.view(CHANNEL);
    if (!view) throw new Error('no session');
    const summary = summarize({
      flow: view.flow,
      context: view.context,
      status: view.status,
      nameOf: view.nameOf,
      at: 0,
    });
    const list = summary.steps.find((s) => s.step === 'list');
    expect(list?.entries[0]?.additions).toEqual(['Mostly at weekends.']);
  });

  it('a sealed answer still waiting may change its choice, and counts as if given first: “not now” declines at once', async () => {
    const w = await world();
    const readyKey = (await w.service.view(CHANNEL))?.prompt?.key ?? '';
    await w.act(alex.id, 'answer', { choice: 'ready' });
    const again = await w.act(alex.id, 'revise', { choice: 'notNow' }, readyKey);
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(again.changed).toBeUndefined();
    expect(again.view.status).toBe('declined');
    expect(again.view.context.end).toMatchObject({ by: 'a', reason: 'declined' });
  });

  it('a sealed answer still waiting changes its words and stays waiting, hidden', async () => {
    const w = await world();
    await toList(w);
    // Skip to the swap at the end of the round: a sealed choice.
    await w.act(alex.id, 'answer', { items: ['Late replies'] });
    await w.act(sam.id, 'answer', { text: 'You feel put aside when I answer late.' });
    await w.act(alex.id, 'answer', { choice: 'yes' });
    await w.act(sam.id, 'answer', { text: 'It makes sense.' });
    await w.act(sam.id, 'answer', { choice: 'yes', note: 'I will answer the same day.' });
    const swapKey = (await w.service.view(CHANNEL))?.prompt?.key ?? '';
    expect(swapKey.startsWith('swap@')).toBe(true);
    await w.act(alex.id, 'answer', { choice: 'swap' });
    const changed = await w.act(alex.id, 'revise', { choice: 'finish' }, swapKey);
    expect(changed.ok && changed.view.context.pending.a).toEqual({ choice: 'finish' });
    expect(changed.ok && changed.view.prompt?.awaiting).toEqual(['b']);
  });
});
