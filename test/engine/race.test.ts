/**
 * Two processes, one session (issue 10, "no lost update"): every input of a whole session is
 * delivered to two SessionServices at once — each with its own store connection, as two bot
 * processes during a deploy would have — and each of them twice (a retried interaction), both
 * partners' answers to a question for both at the same moment. The session must end holding exactly
 * the answers given, each once, with one summary, on every store.
 *
 * To see this test fail, run it with MEND_RACE_WITHOUT_CAS=1: the stores then write without
 * comparing (as keyv's plain set does), and answers are lost or doubled.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/engine/outbox.js';
import { type SessionInput, SessionService } from '../../src/engine/session.js';
import type { Store } from '../../src/engine/store.js';
import { expectedAnswers, textsOf } from '../support/flow-walk.js';
import { flowNamed, flows } from '../support/flows.js';
import { alex, completionScript, partners, sam } from '../support/play.js';
import { allStoreCases, announceSkips, type StoreCase } from '../support/stores.js';

const cases = allStoreCases();
announceSkips(cases);
afterAll(async () => {
  for (const storeCase of cases) await storeCase.cleanup();
});

/** A store that writes without comparing: what Mend did before (to show the test can fail). */
const withoutCompareAndSet = (store: Store): Store =>
  Object.assign(Object.create(store) as Store, {
    async writeIf(key: string, value: unknown, _stamp: string | undefined, wakes = []) {
      await store.due.schedule(wakes);
      await store.set(key, value);
      return (await store.read(key))?.stamp;
    },
  });

const FLOWS = ['needs-discovery', 'ground-rules'];

describe.each(cases)('two processes on $name', (storeCase: StoreCase) => {
  it.skipIf(storeCase.skip).each(FLOWS)('%s: every answer lands exactly once', async (flowId) => {
    const open = async () => {
      const store = await storeCase.open();
      return process.env.MEND_RACE_WITHOUT_CAS ? withoutCompareAndSet(store) : store;
    };
    const stores = [await open(), await open()];
    const [one, two] = stores.map((store) => new SessionService({ store, flows })) as [SessionService, SessionService];
    const channel = `race-${flowId}`;
    try {
      const script = completionScript(flowNamed(flowId));
      // The start is retried too, on both.
      const started = await Promise.all(
        [one, two, one, two].map((s) =>
          s.start({ channelId: channel, guildId: 'g', flowId, starter: alex, partner: sam, id: `session-${flowId}` }),
        ),
      );
      expect(started.filter((s) => s.ok)).toHaveLength(1);

      let next = 0;
      let rounds = 0;
      while (next < script.length) {
        if (++rounds > script.length + 5) throw new Error('the session stopped moving');
        const view = await one.view(channel);
        const prompt = view?.prompt;
        if (!prompt) throw new Error(`no prompt with ${script.length - next} answers to go`);
        // Every scripted answer to this prompt, from whoever it waits on: sent together.
        const inputs: SessionInput[] = [];
        while (next < script.length) {
          const event = script[next];
          if (!event || event.step !== prompt.step || !prompt.awaiting.includes(event.by)) break;
          if (inputs.some((i) => i.userId === partners[event.by].id)) break;
          inputs.push({
            id: `${channel}-${next}`,
            userId: partners[event.by].id,
            action: 'answer',
            step: prompt.key,
            value: event.value,
          });
          next++;
        }
        if (inputs.length === 0) throw new Error(`the script does not answer ${prompt.step}`);
        // Each input to both processes, twice each, all at once.
        const outcomes = await Promise.all(
          inputs.flatMap((input) => [one, two, one, two].map((s) => s.apply(channel, input))),
        );
        for (const outcome of outcomes) expect(outcome.ok, JSON.stringify(!outcome.ok && outcome.rejection)).toBe(true);
        // Of the four deliveries of an input, one applied it; the others saw it applied.
        expect(outcomes.filter((o) => o.ok && !o.duplicate)).toHaveLength(inputs.length);
      }

      const final = await two.view(channel);
      expect(final?.status).toBe('completed');
      const given = (final?.context.answers ?? [])
        .filter((a) => !a.draft)
        .map((a) => ({ by: a.by, step: a.step, texts: textsOf(a.value) }));
      expect(given).toEqual(expectedAnswers(script));
      const summary = await new Outbox(stores[0] as Store).get(`session-${flowId}`);
      expect(summary?.sessionId).toBe(`session-${flowId}`);
      // The race was real: some writes lost to the other process and were run again.
      expect(one.conflicts + two.conflicts).toBeGreaterThan(0);
    } finally {
      for (const store of stores) await store.close();
    }
  });
});
