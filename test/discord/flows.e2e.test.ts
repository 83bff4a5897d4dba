/**
 * Every flow, played end to end by two partners through the local Discord with the real
 * discord.js client: /talk, every prompt answered with the buttons and forms the bot posted, and
 * the summary in the couple's channel holding every answer in full — with no request that breaks
 * Discord's schema or limits, and every interaction acknowledged within 3 seconds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/engine/flow-registry.js';
import { expectedAnswers } from '../support/flow-walk.js';
import {
  answerThroughDiscord,
  type MendWorld,
  normalise,
  startMend,
  waitFor,
  wholeSummary,
} from '../support/legacy-world.js';
import { completionScript } from '../support/play.js';

const flows = await loadFlows();
let world: MendWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

describe('a full session of every flow through Discord', () => {
  it.each([...flows.keys()])(
    '%s',
    async (flowId) => {
      world = await startMend();
      const w = world;
      const flow = flows.get(flowId);
      if (!flow) throw new Error('missing flow');
      const script = completionScript(flow);

      const opened = await w.alex.slash('talk', { flow: flowId, partner: w.sam.id }, { channel: 'couple' });
      expect(opened.ephemeral).toBe(false);
      await waitFor(() => w.discord.channelMessages('couple').length >= 2, 'the first prompt');

      for (const event of script) {
        const user = event.by === 'a' ? w.alex : w.sam;
        const response = await answerThroughDiscord(w, 'couple', user, event.value);
        expect(['update', 'deferred-update', 'message'], JSON.stringify(response.message?.embeds?.[0])).toContain(
          response.kind,
        );
        // Let the bot finish posting the next prompt before the next click.
        await new Promise((r) => setTimeout(r, 15));
      }

      const summary = await wholeSummary(w, 'couple');
      // Every answer given, except a draft its author chose to rewrite, appears in full.
      for (const given of expectedAnswers(script)) {
        for (const text of given.texts) {
          expect(summary, `${flowId}: an answer is missing from the summary`).toContain(normalise(text));
        }
      }
      expect(summary).toContain('Alex');
      expect(summary).toContain('Sam');
      expect(w.discord.violations()).toEqual([]);
      const late = w.discord
        .interactionTimings()
        .filter((t) => t.missedDeadline || (t.latencyMs ?? Number.POSITIVE_INFINITY) > 3000);
      expect(late).toEqual([]);
      // Nobody is ever pinged by anything but their own turn.
      for (const { pings } of w.discord.messagesThatPing()) {
        expect(pings.everyone).toBe(false);
        expect(pings.roles).toEqual([]);
      }
    },
    60_000,
  );
});
