/**
 * The Discord experience around the flows, end to end through the local Discord: people who are not in the
 * conversation, turns, doubled submits, mentions in answers, answers at full length, a summary post that fails
 * and is retried, /talk outside a private channel, breaks and ending early, and sealed answers.
 */
import { describe, expect } from 'vitest';
import { LIMITS } from '../../src/discord/split.js';
import type { AnswerValue } from '../../src/engine/flow-types.js';
import { normalise } from '../support/conversation.js';
import { DEFAULT_BOT_PERMISSIONS } from '../support/discord/index.js';
import { expectedAnswers } from '../support/flow-walk.js';
import { flowNamed, listedFlowIds } from '../support/flows.js';
import { test } from '../support/mend-test.js';
import { completionScript } from '../support/play.js';
import { WRITE_LABELS } from '../support/prompt-buttons.js';

describe('people outside the turn', () => {
  test('a third member who can see the channel (a server owner) gets a private note on every button; nothing changes', async ({
    world,
    couple: { alex, robin, owner, channel },
  }) => {
    expect(robin.canSee('couple')).toBe(false);
    expect(owner.canSee('couple')).toBe(true);
    const flow = flowNamed('tolerance-questions');
    const script = completionScript(flow);
    // Up to the first prompt with a form (the list of points), so the owner can try both kinds of button.
    const toList = script.findIndex((e) => flow.steps.get(e.step)?.input.kind === 'list');
    await alex.starts(flow.id);
    await world.plays(script.slice(0, toList));
    expect(channel.buttons()).toEqual([WRITE_LABELS.list, 'Pause', 'End']);

    const before = await world.storedSession();
    const mark = channel.mark();
    for (const label of [WRITE_LABELS.list, 'Pause', 'End']) {
      const reply = await owner.clicks(label);
      expect(reply.kind, label).toBe('message');
      expect(reply.ephemeral, label).toBe(true);
    }
    await owner.wasToldPrivately('This conversation belongs to two other people, so I kept it as it was.');
    expect(await world.storedSession()).toBe(before);
    expect(channel.since(mark)).toEqual([]);
    expect(world.discord.violations()).toEqual([]);
  });

  test('the partner out of turn gets a private note, and nothing changes', async ({ world, couple: { alex, sam } }) => {
    await alex.starts('admit-mistake');
    const before = await world.storedSession();
    // The first question is Alex's (the one who started chooses the roles); Sam answers it anyway.
    const [first] = completionScript(flowNamed('admit-mistake'));
    if (!first) throw new Error('admit-mistake: an empty script');
    const reply = await sam.answers(first.value, first.step);
    expect(reply.ephemeral).toBe(true);
    await sam.wasToldPrivately("It's your partner's turn");
    expect(await world.storedSession()).toBe(before);
    expect(world.discord.violations()).toEqual([]);
  });

  test('the same form submitted twice is counted once', async ({ world, couple: { alex } }) => {
    const script = completionScript(flowNamed('needs-discovery'));
    // Both say they are ready; the first written step is then open to both (sealed).
    const firstText = script.findIndex((e) => e.value.text !== undefined);
    await alex.starts('needs-discovery');
    await world.plays(script.slice(0, firstText));

    const first = await alex.writes('My guess, once.');
    const second = await alex.sendsTheFormAgain();
    expect(first.kind).toBe('update');
    expect(second.ephemeral).toBe(true);
    await alex.wasToldPrivately('your answer was already saved');
    const view = await world.session();
    expect(view?.context.pending.a?.text).toBe('My guess, once.');
    expect(view?.prompt?.awaiting).toEqual(['b']);
    expect(world.discord.violations()).toEqual([]);
  });
});

describe('what people write', () => {
  test('mentions in answers never ping anyone', async ({ world, couple: { alex, sam, robin, channel } }) => {
    const loud = `@everyone @here <@${robin.id}> <@&${world.discord.guildId()}> <@!${sam.id}> look`;
    const shout = (value: AnswerValue): AnswerValue => ({
      ...value,
      ...(value.text !== undefined ? { text: loud } : {}),
      ...(value.note !== undefined ? { note: loud } : {}),
      ...(value.items ? { items: value.items.map(() => loud) } : {}),
    });
    const script = completionScript(flowNamed('ground-rules')).map((e) => ({ ...e, value: shout(e.value) }));
    await alex.starts('ground-rules');
    await world.plays(script);
    await channel.summary();
    await channel.shows('@everyone @here');
    for (const { pings } of world.discord.messagesThatPing()) {
      expect(pings.everyone).toBe(false);
      expect(pings.here).toBe(false);
      expect(pings.roles).toEqual([]);
      expect(pings.users.every((id) => id === alex.id || id === sam.id)).toBe(true);
    }
    expect(world.discord.violations()).toEqual([]);
  });

  test.for([...listedFlowIds])(
    '%s: every field at its maximum length — the summary holds all of it, within limits',
    async (flowId, { world, couple: { alex, channel } }) => {
      const script = completionScript(flowNamed(flowId), 'max');
      await alex.starts(flowId);
      await world.plays(script);
      const summary = await channel.summary();
      for (const given of expectedAnswers(script)) {
        for (const text of given.texts) expect(summary).toContain(normalise(text));
      }
      // Split across messages whenever the words alone are more than one message holds (a short flow
      // such as gratitude fits in one, even at full length); every message within limits either way.
      const written = expectedAnswers(script).reduce((n, given) => n + given.texts.join('').length, 0);
      if (written > LIMITS.charactersPerMessage) expect(channel.summaryMessages().length).toBeGreaterThan(1);
      expect(channel.summaryMessages().length).toBeGreaterThan(0);
      expect(world.discord.violations()).toEqual([]);
    },
  );
});

describe('the summary', () => {
  test('a post that fails is kept and delivered on retry', async ({ world, couple: { alex, channel } }) => {
    const script = completionScript(flowNamed('tolerance-questions'));
    await alex.starts('tolerance-questions');
    await world.plays(script.slice(0, -1));
    // Before the last answer: the next posts fail, more often than discord.js retries by itself — both
    // through the interaction's follow-ups and, on the fallback, with the bot token.
    world.discord.failNext('POST /webhooks/:application_id/:interaction_token', { status: 503, times: 5 });
    world.discord.failNext('POST /channels/:channel_id/messages', { status: 503, times: 5 });
    await world.plays(script.slice(-1));

    const summary = await channel.summary();
    for (const route of ['POST /webhooks/:application_id/:interaction_token', 'POST /channels/:channel_id/messages']) {
      expect(world.discord.requests({ route }).filter((r) => r.status >= 500).length).toBeGreaterThan(0);
    }
    for (const given of expectedAnswers(script)) {
      for (const text of given.texts) expect(summary).toContain(normalise(text));
    }
    // Posted once.
    expect(channel.countShowing('Summary · The two tolerance questions')).toBe(1);
  });
});

describe('/talk’s list', () => {
  test('offers every conversation a couple can choose, gratitude among them, and not the check-in Mend starts', async ({
    world,
    couple: { alex },
  }) => {
    const talk = world.discord.commands('home').find((c) => c.name === 'talk');
    const choices = talk?.options?.find((o) => o.name === 'flow');
    const offered = choices && 'choices' in choices ? (choices.choices ?? []).map((c) => c.value) : [];
    expect(offered).toEqual([...listedFlowIds]);
    expect(offered).toContain('gratitude');
    expect(offered).not.toContain('check-in');
    // Without a flow named, the private answer describes each of them.
    const asked = await alex.types('talk');
    expect(asked.ephemeral).toBe(true);
    for (const id of listedFlowIds) await alex.wasToldPrivately(flowNamed(id).title);
    expect(world.discord.violations()).toEqual([]);
  });
});

describe('/talk outside a private channel', () => {
  test('offers a private channel, creates it for the two of them, and starts there', async ({
    world,
    couple: { alex, sam, robin },
  }) => {
    const offer = await alex.starts('ground-rules', { in: 'general' });
    expect(offer.ephemeral).toBe(true);
    expect(world.discord.channelMessages('general')).toEqual([]);
    const made = await alex.clicks('Create a private channel for us');
    expect(made.ephemeral).toBe(true);

    const created = world.discord.channels().find((c) => 'name' in c && c.name?.startsWith('mend-'));
    if (!created) throw new Error('no channel created');
    expect(alex.canSee(created.id)).toBe(true);
    expect(sam.canSee(created.id)).toBe(true);
    expect(robin.canSee(created.id)).toBe(false);
    const room = world.channel(created.id);
    // Their first conversation: the two private steps come first, in the new channel.
    await room.shows('Before your first conversation');
    await alex.passesTheGate();
    await sam.passesTheGate();
    await room.shows('you each answer this one');
    expect(room.buttons()).toContain('Pause');
    expect(world.discord.violations()).toEqual([]);
  });

  describe('without Manage Channels', () => {
    test.override({
      mendOptions: {
        botPermissions: { botPermissions: DEFAULT_BOT_PERMISSIONS.filter((p) => p !== 'ManageChannels') },
      },
    });

    test('says plainly what it lacks', async ({ world, couple: { alex } }) => {
      await alex.starts('ground-rules', { in: 'general' });
      await alex.clicks('Create a private channel for us');
      await alex.wasToldPrivately('Manage Channels');
      expect(world.discord.channels().some((c) => 'name' in c && c.name?.startsWith('mend-'))).toBe(false);
      expect(world.discord.violations()).toEqual([]);
    });
  });
});

describe('pausing and picking up', () => {
  test('Pause asks how long, posts the break for both, and /talk offers to pick it up or end it', async ({
    world,
    couple: { alex, sam, channel },
  }) => {
    await alex.starts('ground-rules');
    const asked = await sam.clicks('Pause');
    expect(asked.ephemeral).toBe(true);
    await sam.wasToldPrivately('How long a break would help?');
    const mark = channel.mark();
    const picked = await sam.picks('An hour');
    expect(picked.kind).toBe('update');
    await channel.shows('Sam asked for a break until', mark);
    expect((await world.session())?.status).toBe('paused');

    // /talk in the channel: pick it up, or end it.
    const offer = await alex.types('talk');
    expect(offer.ephemeral).toBe(true);
    await alex.wasToldPrivately('already open here and on a break');
    const resumed = await alex.clicks('Pick it up again');
    expect(resumed.ephemeral).toBe(true);
    // The question is asked again, with its buttons.
    expect(channel.buttons()).toContain('Pause');
    expect(channel.since(mark).length).toBeGreaterThan(1);
    expect((await world.session())?.status).toBe('active');
    expect(world.discord.violations()).toEqual([]);
  });

  test('End asks to confirm, then ends for both and posts the summary of what was written', async ({
    world,
    couple: { alex, sam, channel },
  }) => {
    await alex.starts('admit-mistake');
    const confirm = await sam.clicks('End');
    expect(confirm.ephemeral).toBe(true);
    await sam.clicks('Yes, end it');
    expect(await channel.summary()).toContain('Sam ended the conversation');
    expect(world.discord.violations()).toEqual([]);
  });
});

describe('sealed answers', () => {
  test('needs discovery: the guesses stay hidden until they can be shown beside the real answers', async ({
    world,
    couple: { alex, channel },
  }) => {
    const script = completionScript(flowNamed('needs-discovery'));
    const guesses = script.filter((e) => e.step === 'guess').map((e) => e.value.text ?? '');
    expect(guesses).toHaveLength(2);
    // The second answer to "what you'd like from them" reveals both, each beside the guess about it.
    const revealed = script.findLastIndex((e) => e.step === 'wants') + 1;
    expect(revealed).toBeGreaterThan(0);

    await alex.starts('needs-discovery');
    for (const event of script.slice(0, revealed)) {
      for (const guess of guesses) await channel.doesNotShow(guess);
      await world.plays([event]);
    }
    // Now, and only now, the guesses appear, together, beside the real answers.
    for (const guess of guesses) await channel.shows(guess);
    await world.plays(script.slice(revealed));
    expect(world.discord.violations()).toEqual([]);
  });
});
