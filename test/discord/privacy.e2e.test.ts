/**
 * Privacy, safety and time, end to end through the local Discord: an encrypted store holds no answer in its
 * file; the safety pause names no one, shows help only to the writer and needs both to resume; reminders reach
 * only whose turn it is. (/forget and retention, down to the bytes on disk: erasure.e2e.test.ts.)
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
    expect((await world.session())?.status).toBe('paused');
    await sam.clicks('I am ready to continue');
    expect((await world.session())?.status).toBe('paused');
    await alex.clicks('I am ready to continue');
    expect((await world.session())?.status).toBe('active');

    // End it and read the summary: the disclosure is nowhere.
    await alex.clicks('End');
    await alex.clicks('Yes, end it');
    await channel.summary();
    await channel.doesNotShow('HIT me');
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
