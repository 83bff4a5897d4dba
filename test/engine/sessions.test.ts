/**
 * The session engine against every store: full runs rebuilt from the store after every step,
 * refusals that leave the stored session untouched, and a burst of concurrent inputs.
 * SQLite always runs; Redis and PostgreSQL run when TEST_REDIS_URL / TEST_POSTGRES_URL are set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDefinition } from '../../src/engine/flow-kit.js';
import { type FlowRegistry, loadFlows } from '../../src/engine/flow-registry.js';
import type { Prompt } from '../../src/engine/prompt.js';
import { type SessionService as Service, SessionService, sessionKey } from '../../src/engine/session.js';
import type { Store } from '../../src/engine/store.js';
import { summarize } from '../../src/engine/summary.js';
import { flowNamed } from '../support/flows.js';
import { alex, answer, completionScript, inputId, outsider, partners, sam } from '../support/play.js';
import { allStoreCases, announceSkips } from '../support/stores.js';

const cases = allStoreCases();
announceSkips(cases);

let flows: FlowRegistry;
beforeAll(async () => {
  flows = await loadFlows();
});
afterAll(async () => {
  for (const storeCase of cases) await storeCase.cleanup();
});

const clock = () => {
  let t = Date.UTC(2026, 10, 27, 12, 0, 0);
  return () => (t += 1000);
};

/** The fixed time of the refusal tests (pause times are checked against it). */
const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);

const summaryOf = async (service: Service, channelId: string) => {
  const view = await service.view(channelId);
  if (!view) throw new Error('no session');
  return summarize({ flow: view.flow, context: view.context, status: view.status, nameOf: view.nameOf, at: 0 });
};

/**
 * Follows the flow's scripted run from wherever the session is, until the prompt matches;
 * returns that prompt.
 */
async function advanceTo(
  service: Service,
  channelId: string,
  flow: FlowDefinition,
  wanted: (p: Prompt) => boolean,
): Promise<Prompt> {
  const script = completionScript(flow);
  let cursor = 0;
  for (;;) {
    const prompt = (await service.view(channelId))?.prompt;
    if (!prompt) break;
    if (wanted(prompt)) return prompt;
    while (cursor < script.length) {
      const event = script[cursor];
      if (event && event.step === prompt.step && prompt.awaiting.includes(event.by)) break;
      cursor++;
    }
    const event = script[cursor++];
    if (!event) break;
    const outcome = await answer(service, channelId, event);
    if (!outcome.ok) throw new Error(`${flow.id}: scripted answer refused: ${outcome.rejection.message}`);
  }
  throw new Error(`${flow.id}: no such prompt on the scripted path`);
}

describe.each(cases)('sessions on $name', (storeCase) => {
  describe.skipIf(Boolean(storeCase.skip))('full sessions', () => {
    it('every flow, rebuilt from the store after every step, ends with the uninterrupted summary', async () => {
      for (const flow of flows.values()) {
        const script = completionScript(flow);

        const steadyStore = await storeCase.open();
        const steady = new SessionService({ store: steadyStore, flows, now: clock(), newId: () => 'steady' });
        const steadyChannel = `steady-${flow.id}`;
        expect(
          (await steady.start({ channelId: steadyChannel, flowId: flow.id, starter: alex, partner: sam })).ok,
        ).toBe(true);
        for (const event of script) expect((await answer(steady, steadyChannel, event)).ok).toBe(true);
        const expected = await summaryOf(steady, steadyChannel);
        expect(expected.status).toBe('completed');
        await steadyStore.close();

        // Nothing survives between steps but what the store holds: a new store connection,
        // a new service, a new clock position read from the same schedule.
        const now = clock();
        const fresh = async () => {
          const store = await storeCase.open();
          return {
            store,
            service: new SessionService({ store, flows: await loadFlows(), now, newId: () => 'steady' }),
          };
        };
        const channel = `rebuilt-${flow.id}`;
        let { store, service } = await fresh();
        expect((await service.start({ channelId: channel, flowId: flow.id, starter: alex, partner: sam })).ok).toBe(
          true,
        );
        await store.close();
        for (const event of script) {
          ({ store, service } = await fresh());
          const outcome = await answer(service, channel, event);
          expect(outcome.ok, outcome.ok ? '' : outcome.rejection.message).toBe(true);
          await store.close();
        }
        ({ store, service } = await fresh());
        const rebuilt = await summaryOf(service, channel);
        await store.close();
        expect(rebuilt).toEqual(expected);
      }
    });
  });

  describe.skipIf(Boolean(storeCase.skip))('refusals change nothing', () => {
    let store: Store;
    let service: Service;
    beforeAll(async () => {
      store = await storeCase.open();
      service = new SessionService({ store, flows, now: () => NOW });
    });
    afterAll(() => store.close());

    const stored = async (channelId: string) => JSON.stringify(await store.get(sessionKey(channelId)));

    const expectRefused = async (
      channelId: string,
      input: Parameters<Service['apply']>[1],
      code: string,
    ): Promise<string> => {
      const before = await stored(channelId);
      const outcome = await service.apply(channelId, input);
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return '';
      expect(outcome.rejection.code).toBe(code);
      expect(outcome.rejection.message.length).toBeGreaterThan(10);
      expect(await stored(channelId)).toBe(before);
      return outcome.rejection.message;
    };

    it('refuses a non-partner, the partner out of turn, a stale step, bad text and an unknown choice', async () => {
      const flow = flowNamed('admit-mistake');
      const channel = 'refusals-admit';
      await service.start({ channelId: channel, flowId: flow.id, starter: alex, partner: sam });
      const text = await advanceTo(service, channel, flow, (p) => p.input.kind === 'text' && !p.both);
      const turn = text.awaiting[0];
      if (!turn) throw new Error('nobody awaited');
      const whose = partners[turn];
      const notWhose = turn === 'a' ? sam : alex;
      const good = { text: 'A plain answer.' };

      await expectRefused(
        channel,
        { id: inputId(), userId: outsider.id, action: 'answer', step: text.key, value: good },
        'not-partner',
      );
      await expectRefused(channel, { id: inputId(), userId: outsider.id, action: 'end' }, 'not-partner');
      await expectRefused(
        channel,
        { id: inputId(), userId: notWhose.id, action: 'answer', step: text.key, value: good },
        'not-your-turn',
      );
      await expectRefused(
        channel,
        { id: inputId(), userId: whose.id, action: 'answer', step: 'ready@1', value: good },
        'stale-step',
      );
      await expectRefused(
        channel,
        { id: inputId(), userId: whose.id, action: 'answer', step: text.key, value: { text: '   ' } },
        'invalid-answer',
      );
      await expectRefused(
        channel,
        {
          id: inputId(),
          userId: whose.id,
          action: 'answer',
          step: text.key,
          value: { text: 'x'.repeat(text.input.kind === 'text' ? text.input.max + 1 : 1) },
        },
        'invalid-answer',
      );
      await expectRefused(
        channel,
        { id: inputId(), userId: whose.id, action: 'answer', step: text.key, value: 'not an object' },
        'invalid-answer',
      );
      await expectRefused(channel, { id: inputId(), userId: whose.id, action: 'resume' }, 'not-paused');
      await expectRefused(
        channel,
        { id: inputId(), userId: whose.id, action: 'pause', until: NOW + 5 * 60_000 },
        'bad-pause-time',
      );

      const choice = await advanceTo(service, channel, flow, (p) => p.input.kind === 'choice' && p.awaiting.length > 0);
      const chooser = partners[choice.awaiting[0] ?? 'a'];
      await expectRefused(
        channel,
        {
          id: inputId(),
          userId: chooser.id,
          action: 'answer',
          step: choice.key,
          value: { choice: 'maybe-later-perhaps' },
        },
        'invalid-answer',
      );
    });

    it('refuses ground rules with fewer than three agreed points', async () => {
      const flow = flowNamed('ground-rules');
      const channel = 'refusals-rules';
      await service.start({ channelId: channel, flowId: flow.id, starter: alex, partner: sam });
      const points = await advanceTo(service, channel, flow, (p) => p.input.kind === 'list' && p.input.min >= 3);
      const writer = partners[points.awaiting[0] ?? 'a'];
      const message = await expectRefused(
        channel,
        {
          id: inputId(),
          userId: writer.id,
          action: 'answer',
          step: points.key,
          value: { items: ['We both care.', 'We want calm.'] },
        },
        'invalid-answer',
      );
      expect(message).toMatch(/at least 3/);
    });

    it('refuses answers while paused and lets either partner resume', async () => {
      const flow = flowNamed('admit-mistake');
      const channel = 'refusals-paused';
      await service.start({ channelId: channel, flowId: flow.id, starter: alex, partner: sam });
      const prompt = (await service.view(channel))?.prompt;
      if (!prompt) throw new Error('no prompt');
      const paused = await service.apply(channel, {
        id: inputId(),
        userId: sam.id,
        action: 'pause',
        until: NOW + 30 * 60_000,
      });
      expect(paused.ok && paused.view.status).toBe('paused');
      await expectRefused(
        channel,
        { id: inputId(), userId: alex.id, action: 'answer', step: prompt.key, value: { choice: 'ready' } },
        'paused',
      );
      const resumed = await service.apply(channel, { id: inputId(), userId: alex.id, action: 'resume' });
      expect(resumed.ok && resumed.view.status).toBe('active');
      expect(resumed.ok && resumed.view.prompt?.step).toBe(prompt.step);
    });

    it('refuses a second /talk in a channel with an open session, and a flow it does not know', async () => {
      const channel = 'refusals-start';
      expect(
        (await service.start({ channelId: channel, flowId: 'admit-mistake', starter: alex, partner: sam })).ok,
      ).toBe(true);
      const before = await stored(channel);
      const again = await service.start({ channelId: channel, flowId: 'ground-rules', starter: sam, partner: alex });
      expect(again.ok ? '' : again.rejection.code).toBe('session-active');
      const unknown = await service.start({ channelId: 'elsewhere', flowId: 'nope', starter: sam, partner: alex });
      expect(unknown.ok ? '' : unknown.rejection.code).toBe('unknown-flow');
      const alone = await service.start({
        channelId: 'elsewhere',
        flowId: 'admit-mistake',
        starter: sam,
        partner: sam,
      });
      expect(alone.ok ? '' : alone.rejection.code).toBe('same-person');
      expect(await stored(channel)).toBe(before);
      expect(await store.get(sessionKey('elsewhere'))).toBeUndefined();
    });
  });

  describe.skipIf(Boolean(storeCase.skip))('concurrency', () => {
    it('100 inputs at once — both partners, half of them retries — leave each answer exactly once', async () => {
      const store = await storeCase.open();
      const service = new SessionService({ store, flows, now: clock() });
      const channel = 'burst';
      await service.start({ channelId: channel, flowId: 'needs-discovery', starter: alex, partner: sam });
      const both = await advanceTo(
        service,
        channel,
        flowNamed('needs-discovery'),
        (p) => p.both && p.input.kind === 'text',
      );
      const before = (await service.view(channel))?.context.answers.length ?? 0;

      // Each partner sends 50: every other one a retry of one input id, the rest fresh double clicks.
      const burstOf = (who: 'a' | 'b') =>
        Array.from({ length: 50 }, (_, i) => ({
          id: i % 2 === 0 ? `retried-${who}` : `${who}-click-${i}`,
          userId: partners[who].id,
          action: 'answer' as const,
          step: both.key,
          value: { text: `${who} answer ${i}` },
        }));
      const fromA = burstOf('a');
      const fromB = burstOf('b');
      // Interleaved, so the burst really mixes the two partners.
      const inputs = fromA.flatMap((input, i) => [input, fromB[i] ?? input]);
      const outcomes = await Promise.all(inputs.map((input) => service.apply(channel, input)));

      const view = await service.view(channel);
      const added = view?.context.answers.slice(before) ?? [];
      const mine = added.filter((a) => a.step === both.step);
      expect(mine.map((a) => a.by).sort()).toEqual(['a', 'b']);
      expect(new Set(mine.map((a) => a.value.text)).size).toBe(2);
      expect(view?.prompt?.key).not.toBe(both.key);
      const applied = outcomes.filter((o) => o.ok && !o.duplicate);
      expect(applied).toHaveLength(2);
      for (const o of outcomes) {
        if (!o.ok) expect(['already-answered', 'stale-step']).toContain(o.rejection.code);
      }
      await store.close();
    });
  });
});
