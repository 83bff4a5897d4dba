/**
 * Privacy, safety and time, end to end through the local Discord: an encrypted store holds no answer in its
 * file; the safety pause names no one, shows help only to the writer and needs both to resume, then offers to
 * skip that question (a choice: to answer it again) or end; reminders reach only whose turn it is. (/forget and
 * retention, down to the bytes on disk: erasure.e2e.test.ts.)
 */
import { randomBytes } from 'node:crypto';
import { describe, expect } from 'vitest';
import { createEncryptionCodec } from '../../src/engine/encryption.js';
import { normalise } from '../support/conversation.js';
import { expectedAnswers } from '../support/flow-walk.js';
import { flowNamed } from '../support/flows.js';
import { test } from '../support/mend-test.js';
import { completionScript } from '../support/play.js';
import { foundOnDisk } from '../support/sqlite-disk.js';

const HOUR = 3_600_000;

describe('encryption at rest', () => {
  test.override({ mendOptions: { codec: createEncryptionCodec(randomBytes(32)) } });

  test('with a key, the SQLite file holds none of the answers, and the session completes', async ({
    world,
    couple: { alex, channel },
  }) => {
    const script = completionScript(flowNamed('admit-mistake'));
    await alex.starts('admit-mistake');
    await world.plays(script);
    const summary = await channel.summary();
    const texts = expectedAnswers(script).flatMap((g) => g.texts);
    expect(texts.length).toBeGreaterThan(5);
    for (const text of texts) expect(summary).toContain(normalise(text));
    // Everything on disk: the database, its write-ahead log and its shm.
    expect(foundOnDisk(world.file, [...texts.map((text) => text.slice(0, 18)), '"Alex"'])).toEqual([]);
  });
});

describe('the safety pause', () => {
  const script = completionScript(flowNamed('needs-discovery'));
  /** Both said they are ready; the first written step is open. */
  const toFirstText = script.slice(
    0,
    script.findIndex((e) => e.value.text !== undefined),
  );

  /** What the first question of needs discovery asks: after a safety pause it is not asked again. */
  const GUESS_QUESTION = 'What do you guess your partner needs from you most right now?';
  const BOTH_MUST_CHOOSE = 'It continues only when you both choose to';

  test('pauses for both without naming anyone, helps only the writer, keeps the answer out, and needs both to resume', async ({
    world,
    couple: { alex, sam, channel },
  }) => {
    await alex.starts('needs-discovery');
    await world.plays(toFirstText);
    const samToldBefore = sam.privateMessages().length;
    const disclosure = 'Honestly I am scared, he HIT me last week and I feel unsafe';
    const mark = channel.mark();
    const reply = await alex.writes(disclosure);
    expect(reply.ephemeral).toBe(true);
    await alex.wasToldPrivately('emergency');
    // What they wrote is given back to them, so nothing is lost.
    await alex.wasToldPrivately(disclosure);

    // The channel hears only that it is paused.
    await channel.shows('paused', mark);
    for (const word of ['Alex', 'Sam', 'HIT']) await channel.doesNotShow(word, mark);
    expect(sam.privateMessages().slice(samToldBefore)).toEqual([]);
    const view = await world.session();
    expect(view?.status).toBe('paused');
    expect(JSON.stringify(view?.context)).not.toContain('HIT me');

    // One partner alone cannot resume, however often they ask.
    await sam.clicks('I am ready to continue');
    await sam.wasToldPrivately('continues once your partner confirms too');
    expect((await world.session())?.status).toBe('paused');
    await sam.clicks('I am ready to continue');
    expect((await world.session())?.status).toBe('paused');
    const resumed = channel.mark();
    await alex.clicks('I am ready to continue');
    expect((await world.session())?.status).toBe('active');

    // Both chose to go on: the question is not asked again; they may skip it or end, and nobody is named.
    await channel.shows('Before you go on', resumed);
    await channel.shows('The answer that paused this conversation was not kept', resumed);
    await channel.doesNotShow(GUESS_QUESTION, resumed);
    for (const word of ['Alex', 'Sam', 'HIT']) await channel.doesNotShow(word, resumed);
    expect(channel.buttons()).toEqual(['Skip that question', 'End here']);

    // "End here" ends kindly, and the summary holds nothing of the disclosure.
    await alex.clicks('End here');
    await alex.clicks('Yes, end it');
    await channel.shows('Thank you both. Your summary follows');
    await channel.summary();
    await channel.doesNotShow('HIT me');
    expect(world.discord.violations()).toEqual([]);
  });

  test('while it holds, nothing says one of them could pick it up alone', async ({ world, couple: { alex, sam } }) => {
    await alex.starts('needs-discovery');
    await world.plays(toFirstText);
    await alex.writes('he hit me last week');
    const before = await world.storedSession();

    // Answering, pausing, or /talk: each says truthfully that it goes on only when both choose to.
    await sam.clicks('Write your answer');
    await sam.wasToldPrivately(BOTH_MUST_CHOOSE);
    await sam.clicks('Pause');
    expect(sam.privateMessages().at(-1)?.embeds?.[0]?.description).toContain(BOTH_MUST_CHOOSE);
    await alex.types('talk');
    await alex.wasToldPrivately(`${BOTH_MUST_CHOOSE}: each of you presses “I am ready to continue”`);
    for (const person of [alex, sam]) {
      expect(person.privateText()).not.toMatch(/pick it up|Pick it up again/);
    }
    expect(await world.storedSession()).toBe(before);
    expect(world.discord.violations()).toEqual([]);
  });

  test('after both choose to go on, skipping the question goes on to the next, and the summary shows it skipped', async ({
    world,
    couple: { alex, sam, channel },
  }) => {
    await alex.starts('needs-discovery');
    await world.plays(toFirstText);
    // Sam's guess is in (sealed) before Alex's answer pauses it.
    await sam.writes('Time together, without phones.');
    await alex.writes('I feel like I want to die most days');
    await sam.clicks('I am ready to continue');
    const resumed = channel.mark();
    await alex.clicks('I am ready to continue');
    await channel.shows('If you skip it, the answer already given to it is kept and shown as usual.', resumed);
    await channel.doesNotShow(GUESS_QUESTION, resumed);

    // "Show where we are" (from /talk) is the offer again, not the question.
    await sam.types('talk');
    const shown = channel.mark();
    await sam.clicks('Show where we are');
    await channel.shows('Before you go on', shown);
    await channel.doesNotShow(GUESS_QUESTION, shown);

    // Either may skip it; it is skipped once, and the next question follows.
    // (The offer clicked becomes a plain note in place; what follows comes after it.)
    const skipped = channel.mark();
    await sam.clicks('Skip that question');
    await channel.shows('That question was skipped.', shown);
    await channel.doesNotShow('Skip that question', shown);
    await channel.shows('What are you drawn to these days', skipped);
    expect((await world.session())?.prompt?.step).toBe('interests');
    // The first offer still has its button: a second skip (by either) is the same skip, applied once.
    await alex.clicks('Skip that question');
    await alex.wasToldPrivately('That question has been skipped already.');
    expect((await world.session())?.prompt?.step).toBe('interests');

    await alex.clicks('End');
    await alex.clicks('Yes, end it');
    const summary = await channel.summary();
    expect(summary).toMatch(
      /Each one’s guess at what the other needs — Alex and Sam \*\*Alex\*\* \(skipped after a pause\)/,
    );
    // Sam's guess is kept: held back, as guesses are, until it can be shown beside Alex's own answer.
    expect(summary).toContain('Sam answered “Your guess first”; it stays private.');
    expect(summary).not.toContain('want to die');
    expect(world.discord.violations()).toEqual([]);
  });

  test('a choice whose note spoke of harm cannot be skipped: it is answered again, or ended', async ({
    couple: { alex, sam, channel },
  }) => {
    await alex.starts('ground-rules');
    await alex.answers({ choice: 'ready' }, 'ready');
    await sam.answers({ choice: 'ready' }, 'ready');
    await alex.answers({ choice: 'cannot', note: 'he slapped me when I raised my voice' }, 'rules.noShouting');
    await alex.wasToldPrivately('You don’t have to carry this alone');
    await alex.clicks('I am ready to continue');
    const resumed = channel.mark();
    await sam.clicks('I am ready to continue');
    await channel.shows('This question is a choice', resumed);
    await channel.doesNotShow('Rule 1 of 4', resumed);
    expect(channel.buttons()).toEqual(['Answer it again', 'End here']);

    const again = channel.mark();
    await sam.clicks('Answer it again');
    await sam.wasToldPrivately('Here is the question again.');
    await channel.shows('Rule 1 of 4', again);
    await alex.answers({ choice: 'agree' }, 'rules.noShouting');
    await sam.answers({ choice: 'agree' }, 'rules.noShouting');
    await channel.shows('Rule 2 of 4', again);
    await channel.doesNotShow('slapped', 0);
  });

  test('words that speak of harm in a change to an answer pause it too, and reach nobody', async ({
    world,
    couple: { alex, channel },
  }) => {
    await alex.starts('needs-discovery');
    await world.plays(toFirstText);
    await alex.writes('Time together, I think.');
    const mark = channel.mark();
    await alex.clicks('Change my answer');
    await alex.fills({ 'Your guess': 'he hit me again last night' });
    await alex.wasToldPrivately('You don’t have to carry this alone');
    await channel.shows('paused', mark);
    await channel.doesNotShow('hit me');
    const view = await world.session();
    expect(view?.status).toBe('paused');
    expect(view?.context.pending.a).toEqual({ text: 'Time together, I think.' });
    expect(world.discord.violations()).toEqual([]);
  });

  test('ordinary hurt language does not pause anything', async ({ world, couple: { alex } }) => {
    await alex.starts('needs-discovery');
    await world.plays(toFirstText);
    const reply = await alex.writes('I felt crushed, and honestly you killed the mood that night.');
    expect(reply.kind).toBe('update');
    expect((await world.session())?.status).toBe('active');
  });
});

describe('reminders in Discord', () => {
  test('remind only the partner whose turn it is, once', async ({ world, clock, couple: { alex, channel } }) => {
    await alex.starts('admit-mistake');
    const mark = channel.mark();
    // Past the reminder time (12 hours by default): two sweeps, one reminder.
    clock.advance(13 * HOUR);
    await world.sweep();
    await world.sweep();
    const reminders = channel.since(mark);
    expect(reminders).toHaveLength(1);
    const pings = world.discord.pingsFrom(reminders[0] as never);
    expect(pings.users).toEqual([alex.id]);
    expect(pings.everyone).toBe(false);
    expect(world.discord.violations()).toEqual([]);
  });
});
