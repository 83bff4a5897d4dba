/**
 * The coverage sweep: every flow, played end to end by two partners through the local Discord with the real
 * discord.js client — /talk, every prompt answered with the buttons and forms the bot posted (one complete
 * path from the flow's own graph), and the summary in the couple's channel holding every answer in full — with
 * no request that breaks Discord's schema or limits, every interaction acknowledged within 3 seconds, and no
 * ping but someone's own turn.
 */
import { describe, expect } from 'vitest';
import { normalise } from '../support/conversation.js';
import { expectedAnswers } from '../support/flow-walk.js';
import { flowNamed, listedFlowIds } from '../support/flows.js';
import { test } from '../support/mend-test.js';
import { completionScript } from '../support/play.js';

describe('a full session of every flow through Discord', () => {
  test.for([...listedFlowIds])('%s', async (flowId, { world, couple: { alex, channel } }) => {
    const script = completionScript(flowNamed(flowId));

    const opened = await alex.starts(flowId);
    expect(opened.ephemeral).toBe(false);
    const played = await world.plays(script);
    for (const { event, response } of played) {
      expect(['update', 'deferred-update', 'message', 'modal'], `${event.by} answering ${event.step}`).toContain(
        response.kind,
      );
    }

    const summary = await channel.summary();
    // Every answer given, except a draft its author chose to rewrite, appears in full.
    for (const given of expectedAnswers(script)) {
      for (const text of given.texts) {
        expect(summary, `${flowId}: an answer to ${given.step} is missing from the summary`).toContain(normalise(text));
      }
    }
    expect(summary).toContain('Alex');
    expect(summary).toContain('Sam');
    expect(world.discord.violations()).toEqual([]);
    const late = world.discord
      .interactionTimings()
      .filter((t) => t.missedDeadline || (t.latencyMs ?? Number.POSITIVE_INFINITY) > 3000);
    expect(late).toEqual([]);
    // Nobody is ever pinged by anything but their own turn.
    for (const { pings } of world.discord.messagesThatPing()) {
      expect(pings.everyone).toBe(false);
      expect(pings.roles).toEqual([]);
    }
  });
});
