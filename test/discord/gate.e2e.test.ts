/**
 * The gate before a couple's first conversation, end to end through the local Discord: each partner agrees,
 * privately, to what Mend keeps, and answers a private safety check. Nothing they write is stored before both
 * have agreed; /forget withdraws the agreement; a concern in the check holds joint conversations, tells the
 * other partner nothing of who or why, brings resources only to the one who answered, and only they can lift it.
 */
import type { APIMessage } from 'discord.js';
import { describe, expect } from 'vitest';
import { HELD_FOR_OTHER } from '../../src/discord/gate/safety-notes.js';
import { gateOf } from '../../src/engine/couples.js';
import { normalise, type Person } from '../support/conversation.js';
import { test } from '../support/mend-test.js';
import type { MendWorld } from '../support/mend-world.js';
import { buttonLabels } from '../support/prompt-buttons.js';
import { foundOnDisk } from '../support/sqlite-disk.js';

async function storedKeys(world: MendWorld): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of world.store.keys()) keys.push(key);
  return keys;
}

const coupleOf = (world: MendWorld, alex: Person, sam: Person) =>
  world.bot.context.couples.find(world.discord.guildId(), alex.id, sam.id);

/** Answers the private check with these labels, one per question. */
async function answersTheCheck(person: Person, labels: readonly string[]): Promise<void> {
  await person.clicks('My private check');
  for (const label of labels) await person.clicks(label);
}

const REASSURED = ['Yes', 'No', 'Yes, my own choice'] as const;
const AFRAID = ['Not always', 'Yes', 'Yes, my own choice'] as const;

describe('agreeing to what Mend keeps', () => {
  test('nothing is stored before both agree; once both are through, the conversation starts', async ({
    world,
    couple: { alex, sam, channel },
  }) => {
    const asked = await alex.starts('ground-rules', { gate: 'leave' });
    expect(asked.ephemeral).toBe(false);
    await channel.shows('Before your first conversation');
    expect(channel.buttons()).toEqual(['What Mend keeps', 'My private check']);

    // Each reads what is kept, privately.
    const read = await alex.clicks('What Mend keeps');
    expect(read.ephemeral).toBe(true);
    await alex.wasToldPrivately('Who can see this channel');
    await alex.wasToldPrivately('/forget');
    await alex.clicks('I agree');
    await answersTheCheck(alex, REASSURED);
    await alex.wasToldPrivately('Your conversation begins once Sam has done both steps too');
    // Sam does the check but has not agreed yet.
    await answersTheCheck(sam, REASSURED);
    await sam.wasToldPrivately('One more step for you');

    // Nothing to answer, so nothing written: no session, and no name or session in the file.
    expect(await world.session()).toBeUndefined();
    expect((await storedKeys(world)).filter((key) => !key.startsWith('couple:'))).toEqual([]);
    await world.bot.context.store.scrub();
    expect(foundOnDisk(world.file, ['Alex', 'Sam', 'session:'])).toEqual([]);
    expect(channel.buttons()).toEqual(['What Mend keeps', 'My private check']);

    await sam.clicks('What Mend keeps');
    await sam.clicks('I agree');
    await sam.wasToldPrivately('your conversation has begun');
    await channel.shows('Alex** and **Sam**, welcome');
    expect((await world.session())?.status).toBe('active');
    const record = await coupleOf(world, alex, sam);
    expect(Object.keys(record?.consent ?? {}).sort()).toEqual([alex.id, sam.id].sort());
    expect(world.discord.violations()).toEqual([]);
  });

  test('"Not now" keeps nothing and starts nothing', async ({ world, couple: { alex, sam, channel } }) => {
    await alex.starts('ground-rules', { gate: 'leave' });
    await alex.passesTheGate();
    await sam.clicks('What Mend keeps');
    await sam.clicks('Not now');
    await sam.wasToldPrivately('Nothing you write is kept');
    await channel.shows('nothing starts');
    // Agreeing later does not start anything by surprise: /talk begins it.
    await answersTheCheck(sam, REASSURED);
    await sam.clicks('What Mend keeps');
    await sam.clicks('I agree');
    await sam.wasToldPrivately('Type /talk whenever you want to begin');
    expect(await world.session()).toBeUndefined();
    await alex.starts('ground-rules', { gate: 'leave' });
    await channel.shows('Alex** and **Sam**, welcome');
  });

  test('/forget withdraws the agreement: the next conversation asks both again', async ({
    world,
    couple: { alex, sam, channel },
  }) => {
    await alex.starts('ground-rules');
    expect(gateOf(await coupleOf(world, alex, sam), [alex.id, sam.id]).kind).toBe('open');
    await alex.clicks('End');
    await alex.clicks('Yes, end it');
    await sam.types('forget', { partner: alex });
    await sam.clicks('Yes, erase it all');
    expect(await coupleOf(world, alex, sam)).toBeUndefined();

    const mark = channel.mark();
    await alex.starts('ground-rules', { gate: 'leave' });
    await channel.shows('Before your first conversation', mark);
    expect(gateOf(await coupleOf(world, alex, sam), [alex.id, sam.id])).toMatchObject({ kind: 'consent' });
  });

  test('someone outside the couple cannot agree for them', async ({ world, couple: { alex, sam, owner } }) => {
    await alex.starts('ground-rules', { gate: 'leave' });
    // The server owner can read every channel, and so click its buttons.
    await owner.clicks('What Mend keeps');
    await owner.wasToldPrivately('belongs to two other people');
    await owner.clicks('My private check');
    expect((await coupleOf(world, alex, sam))?.consent).toEqual({});
    expect(owner.privateText()).not.toContain('I agree');
  });
});

describe('the private safety check', () => {
  test('a concern holds joint conversations; only the one who raised it hears why, and only they can lift it', async ({
    world,
    couple: { alex, sam, channel },
  }) => {
    await alex.starts('needs-discovery', { gate: 'leave' });
    await alex.passesTheGate();
    await sam.clicks('What Mend keeps');
    await sam.clicks('I agree');
    const channelBefore = channel.mark();
    const alexBefore = alex.privateMessages().length;
    await answersTheCheck(sam, AFRAID);

    // Sam, privately: resources and a safety-planning note, and that only Sam can lift it.
    await sam.wasToldPrivately('call your local emergency number');
    await sam.wasToldPrivately('If things feel unsafe at home');
    await sam.wasToldPrivately('only you can lift this pause');
    // Nobody else hears a thing: not the channel, not Alex.
    expect(channel.since(channelBefore)).toEqual([]);
    expect(alex.privateMessages().slice(alexBefore)).toEqual([]);
    expect(await world.session()).toBeUndefined();
    // Only the outcome is kept: no answer, not even as a code.
    const held = await coupleOf(world, alex, sam);
    expect(held?.hold?.raisedBy).toBe(sam.id);
    expect(Object.keys(held ?? {}).sort()).toEqual(
      ['channelId', 'channelIds', 'checked', 'consent', 'guildId', 'hold', 'partnerIds', 'updatedAt'].sort(),
    );
    expect(held?.checked[sam.id]).toBeUndefined();

    // Alex tries to start: a neutral note, for Alex alone, that names no one and gives no reason.
    const refused = await alex.starts('needs-discovery', { gate: 'leave' });
    expect(refused.ephemeral).toBe(true);
    const told = refusalText(refused.message ?? undefined);
    expect(told).toBe(normalise(`${HELD_FOR_OTHER}`));
    for (const word of ['Sam', 'check', 'afraid', 'concern', 'unsafe', 'feel safe']) expect(told).not.toContain(word);
    expect(channel.since(channelBefore)).toEqual([]);

    // Whatever Alex clicks, the hold stays: every button Alex can see, then /forget itself.
    await alex.clicks('What Mend keeps');
    await alex.types('safety');
    const clicked = await clicksEveryButton(alex, world);
    expect(clicked).toEqual(expect.arrayContaining(['What Mend keeps', 'My private check', 'I agree']));
    await alex.types('forget', { partner: sam });
    await alex.clicks('Yes, erase it all');
    expect((await coupleOf(world, alex, sam))?.hold?.raisedBy).toBe(sam.id);
    const still = await alex.starts('ground-rules', { gate: 'leave' });
    expect(refusalText(still.message ?? undefined)).toBe(normalise(HELD_FOR_OTHER));

    // Sam lifts it, after the resources, and is asked once more first.
    await sam.clicks('Lift the pause');
    await sam.wasToldPrivately('Only do this if talking together feels safe to you');
    await sam.clicks('Yes, lift it');
    expect((await coupleOf(world, alex, sam))?.hold).toBeUndefined();
    // Alex's /forget erased their agreements, so the gate opens afresh.
    const mark = channel.mark();
    await alex.starts('ground-rules', { gate: 'leave' });
    await channel.shows('Before your first conversation', mark);
    expect(world.discord.violations()).toEqual([]);
  });

  test('/safety shows the resources privately and leaves nothing in the channel', async ({
    couple: { alex, sam, channel },
  }) => {
    await alex.starts('ground-rules');
    const mark = channel.mark();
    const shown = await sam.types('safety');
    expect(shown.ephemeral).toBe(true);
    await sam.wasToldPrivately('call your local emergency number');
    await sam.wasToldPrivately('If things feel unsafe at home');
    expect(channel.since(mark)).toEqual([]);
    expect(alex.privateText()).not.toContain('emergency');
    // No hold of theirs: nothing to lift.
    expect(shown.message ? buttonLabels(shown.message) : []).toEqual([]);
  });
});

/** The words of a private refusal, normalised. */
function refusalText(message: APIMessage | undefined): string {
  return normalise(message?.embeds?.[0]?.description ?? '');
}

/**
 * Clicks every button a person can see, in the channel and in their private messages, as each message reads
 * at that moment (a click may take a message's buttons away); returns the labels clicked.
 */
async function clicksEveryButton(person: Person, world: MendWorld): Promise<string[]> {
  const clicked: string[] = [];
  const visible = () => [...world.discord.channelMessages('couple'), ...person.privateMessages()];
  for (const { id } of visible()) {
    const done = new Set<string>();
    for (;;) {
      const message = visible().find((m) => m.id === id);
      const label = message && buttonLabels(message).find((l) => !done.has(l));
      if (!message || !label) break;
      done.add(label);
      await person.user.click(message, label);
      await world.settled();
      clicked.push(label);
    }
  }
  return clicked;
}
