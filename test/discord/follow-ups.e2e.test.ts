/**
 * What follows a click or a form goes out through that interaction (its callback and its webhook's
 * follow-ups), which Discord does not count against the bot's global rate limit; the bot token only
 * where no interaction is at hand, or once the interaction's 15 minutes are up.
 */
import { describe, expect } from 'vitest';
import { normalise } from '../support/conversation.js';
import { expectedAnswers } from '../support/flow-walk.js';
import { flowNamed } from '../support/flows.js';
import { test } from '../support/mend-test.js';
import { completionScript } from '../support/play.js';

const BOT_TOKEN_POST = 'POST /channels/:channel_id/messages';
const FOLLOW_UP = 'POST /webhooks/:application_id/:interaction_token';

describe('prompts through the interaction', () => {
  test('a whole conversation and its summary go out without the bot token', async ({
    world,
    couple: { alex, channel },
  }) => {
    const script = completionScript(flowNamed('tolerance-questions'));
    await alex.starts('tolerance-questions');
    const botPostsBefore = world.discord.requests({ route: BOT_TOKEN_POST }).length;
    const followUpsBefore = world.discord.requests({ route: FOLLOW_UP }).length;
    await world.plays(script);
    const summary = await channel.summary();
    for (const given of expectedAnswers(script)) {
      for (const text of given.texts) expect(summary).toContain(normalise(text));
    }
    expect(world.discord.requests({ route: BOT_TOKEN_POST }).length - botPostsBefore).toBe(0);
    const followUps = world.discord.requests({ route: FOLLOW_UP }).slice(followUpsBefore);
    expect(followUps.length).toBeGreaterThan(0);
    expect(followUps.every((r) => r.status === 200)).toBe(true);
    // They read as the bot's messages in the channel, as the people see them.
    expect(channel.countShowing('Summary · The two tolerance questions')).toBe(1);
    expect(world.discord.violations()).toEqual([]);
  });

  test('past the 15 minutes of an interaction token, the bot token carries what follows', async ({
    world,
    clock,
    couple: { alex, channel },
  }) => {
    const script = completionScript(flowNamed('tolerance-questions'));
    await alex.starts('tolerance-questions');
    await world.plays(script.slice(0, -1));
    const botPostsBefore = world.discord.requests({ route: BOT_TOKEN_POST }).length;
    const followUpsBefore = world.discord.requests({ route: FOLLOW_UP }).length;
    // As the bot sees it, the last click is 15 minutes old by the time it posts (a slow store, a long queue).
    clock.advance(15 * 60_000);
    await world.plays(script.slice(-1));
    const summary = await channel.summary();
    for (const given of expectedAnswers(script)) {
      for (const text of given.texts) expect(summary).toContain(normalise(text));
    }
    expect(world.discord.requests({ route: BOT_TOKEN_POST }).length - botPostsBefore).toBeGreaterThan(0);
    expect(world.discord.requests({ route: FOLLOW_UP }).length - followUpsBefore).toBe(0);
    expect(channel.countShowing('Summary · The two tolerance questions')).toBe(1);
    expect(world.discord.violations()).toEqual([]);
  });
});
