/**
 * Heard while it matters, read from the couple's channel itself: every flow is played through the
 * local Discord, and its channel history (every message as it was posted or edited, in order)
 * shows each answer, by name and in full, before the next prompt goes out — a sealed pair when
 * both are in, choice-only answers included. Which answers become readable at which moment comes
 * from the same oracle the model test uses, worked out from the script alone.
 */
import type { APIMessage } from 'discord.js';
import { describe, expect } from 'vitest';
import { answerText } from '../../src/engine/answers.js';
import type { FlowDefinition } from '../../src/engine/flow-kit.js';
import { messageText, normalise } from '../support/conversation.js';
import type { MessageMoment, TimelineEntry } from '../support/discord/index.js';
import { textsOf } from '../support/flow-walk.js';
import { flowNamed, listedFlowIds } from '../support/flows.js';
import { test } from '../support/mend-test.js';
import { completionScript } from '../support/play.js';
import { type Given, playWithOracle } from '../support/readable-oracle.js';

/** Markdown and quote marks aside: the words as a reader takes them in. */
const plain = (text: string) => normalise(text).replace(/[*>]/g, '').replace(/\s+/g, ' ').trim();

/** A new prompt: a message that tells someone it is their turn. */
const isPrompt = (entry: MessageMoment) =>
  entry.change === 'create' &&
  /<@\d+>.*(your turn|each answer this one|still to come)/.test(entry.message.content ?? '');

const inChannel =
  (channelId: string) =>
  (entry: TimelineEntry): entry is MessageMoment =>
    entry.change !== 'action' &&
    entry.change !== 'form' &&
    entry.visibleTo === null &&
    entry.message.channel_id === channelId;

/**
 * Whether an answer is readable in these messages: each of its typed texts, or, for a choice with no
 * words, its label after the author's name in one message (so it is attributed).
 */
function readableIn(flow: FlowDefinition, g: Given, name: string, texts: string[]): boolean {
  const typed = textsOf(g.value).map(plain);
  if (typed.length > 0) return typed.every((t) => texts.some((text) => text.includes(t)));
  const label = plain(answerText(g.value, flow.steps.get(g.step)?.input));
  return texts.some((text) => {
    const at = text.indexOf(name);
    return at >= 0 && text.indexOf(label, at + name.length) > 0;
  });
}

describe('each answer is readable in the channel before the next prompt', () => {
  test.for([...listedFlowIds])('%s', async (flowId, { world, couple: { alex, sam } }) => {
    const flow = flowNamed(flowId);
    const script = completionScript(flow);
    const oracle = playWithOracle(flow, script);
    const names = { a: alex.name, b: sam.name } as const;
    const channelId = world.discord.channelId('couple');

    await alex.starts(flowId);
    const starts: number[] = [];
    for (const event of script) {
      starts.push(world.discord.timeline().length);
      await world.plays([event]);
    }
    const timeline = world.discord.timeline().filter(inChannel(channelId));

    const seen = new Set<string>();
    let checked = 0;
    for (const [i, step] of oracle.steps.entries()) {
      const from = starts[i] ?? 0;
      const fresh = step.mustBeReadable.filter((g) => !seen.has(g.key));
      for (const g of fresh) seen.add(g.key);
      if (fresh.length === 0) continue;
      // The channel from this answer on, up to (not including) the next prompt posted.
      const after = timeline.filter((e) => e.seq >= from);
      const next = after.find(isPrompt);
      const before = after.filter((e) => next === undefined || e.seq < next.seq);
      const texts = before.map((e) => plain(messageText(e.message as APIMessage)));
      for (const g of fresh) {
        expect(
          readableIn(flow, g, names[g.by], texts),
          `${flowId}: ${g.key} (${JSON.stringify(g.value).slice(0, 80)}) was not readable before the next prompt`,
        ).toBe(true);
        checked++;
      }
    }
    // Every answer that stands at the end was checked, at the moment it became readable.
    const standing = oracle.groups.flat().filter((g) => !oracle.steps.at(-1)?.hidden.some((h) => h.key === g.key));
    expect([...seen].sort()).toEqual(standing.map((g) => g.key).sort());
    expect(checked).toBeGreaterThanOrEqual(standing.length);
    expect(world.discord.violations()).toEqual([]);
  });
});
