/**
 * A record both stand behind, end to end through the local Discord: when a conversation finishes, its
 * summary waits while each partner looks over its at-a-glance part privately and finds it fair or adds a
 * note. It is posted once both have — carrying the note under its author's name, and every answer as it was
 * typed — or, after SUMMARY_APPROVAL_HOURS, as it stands. /history then links to it. A note that speaks of
 * harm, or one that is empty, is refused kindly and not kept.
 */
import { describe, expect } from 'vitest';
import { messageText, normalise } from '../support/conversation.js';
import { expectedAnswers } from '../support/flow-walk.js';
import { flowNamed } from '../support/flows.js';
import { test } from '../support/mend-test.js';
import type { MendWorld } from '../support/mend-world.js';
import { completionScript } from '../support/play.js';
import { foundOnDisk } from '../support/sqlite-disk.js';

const HOUR = 3_600_000;
const SAMS_NOTE = 'The rules read right to me. The talk itself felt rushed at the end, from my side.';
const HARMFUL_NOTE = 'Honestly I am scared, he HIT me last week and I feel unsafe';

/** Ground rules, played to the end by both. */
async function finishGroundRules(world: MendWorld) {
  const script = completionScript(flowNamed('ground-rules'));
  await world.couple.alex.starts('ground-rules');
  await world.plays(script);
  return script;
}

/** The summary's opening message, when one is posted. */
const summaryHeads = (world: MendWorld) =>
  world.couple.channel.messages().filter((m) => m.embeds?.[0]?.title?.startsWith('Summary · '));

describe('the look-over before a summary is posted', () => {
  test.override({ mendOptions: { summaryApprovalHours: 24 } });

  test('one finds it fair, the other adds a note: posted once both have, the note under its author’s name, every answer as typed; /history links to it', async ({
    world,
    couple: { alex, sam, robin, owner, channel },
  }) => {
    const script = await finishGroundRules(world);
    await channel.shows('Before your summary is posted');
    expect(summaryHeads(world)).toEqual([]);

    // Someone else who can see the channel (the server's owner) cannot look it over.
    await owner.clicks('Look it over');
    await owner.wasToldPrivately('This summary is for the two people in this conversation');

    const looked = channel.mark();
    await alex.looksOverTheRecord();
    // Alex saw its at-a-glance part privately, and the channel is told only that Alex looked it over.
    await alex.wasToldPrivately('Before your summary is posted');
    await alex.wasToldPrivately('Rules you both agreed to');
    await alex.wasToldPrivately('Thank you for looking it over');
    await channel.shows('Alex has looked over the summary. It is posted once Sam has too.');
    await channel.doesNotShow('fair record', looked);
    expect(summaryHeads(world)).toEqual([]);
    // One answer each.
    await alex.clicks('That’s a fair record');
    await alex.wasToldPrivately('You have already answered for this summary');

    await sam.looksOverTheRecord(SAMS_NOTE);
    await sam.wasToldPrivately('Your note is kept');
    const summary = await channel.summary();
    expect(summaryHeads(world)).toHaveLength(1);
    expect(summary).toContain('How each of you sees this record');
    expect(summary).toContain('**Alex**: that’s a fair record.');
    expect(summary).toContain(`**Sam** added a note: > ${normalise(SAMS_NOTE)}`);
    // Nobody's words changed: every answer is there as it was typed, under its author's name.
    for (const given of expectedAnswers(script)) {
      for (const text of given.texts) expect(summary).toContain(normalise(text));
    }
    const note = summary.indexOf(normalise(SAMS_NOTE));
    expect(summary.indexOf(normalise(SAMS_NOTE), note + 1)).toBe(-1);

    // /history: privately, the conversation, how it ended, and a link to the summary's first message.
    const reply = await alex.types('history', { partner: sam });
    expect(reply.ephemeral).toBe(true);
    const listed = reply.message ? messageText(reply.message) : '';
    expect(listed).toContain('Ground rules for a hard talk');
    expect(listed).toContain('finished');
    const link = /https:\/\/discord\.com\/channels\/(\d+)\/(\d+)\/(\d+)/.exec(listed);
    expect(link?.slice(1)).toEqual([world.discord.guildId(), channel.id, summaryHeads(world)[0]?.id]);
    // Only the two of them: Robin's /history about Alex shows nothing of theirs.
    const robins = await robin.types('history', { partner: alex }, { in: 'general' });
    expect(robins.message ? messageText(robins.message) : '').toContain('no finished conversations');
    expect(world.discord.violations()).toEqual([]);
  });

  test('after SUMMARY_APPROVAL_HOURS it is posted as it stands, once, saying who did not look it over', async ({
    world,
    clock,
    couple: { alex, channel },
  }) => {
    await finishGroundRules(world);
    await alex.looksOverTheRecord();
    clock.advance(23 * HOUR);
    await world.sweep();
    expect(summaryHeads(world)).toEqual([]);

    clock.advance(2 * HOUR);
    const mark = channel.mark();
    await world.sweep();
    await channel.shows('It has been 24 hours since this conversation finished', mark);
    const summary = await channel.summary();
    expect(summary).toContain('**Alex**: that’s a fair record.');
    expect(summary).toContain('**Sam** didn’t look it over in time, so it is posted as it stood.');
    await world.sweep();
    await world.sweep();
    expect(summaryHeads(world)).toHaveLength(1);
  });

  test('a note that speaks of harm is not kept and gets help privately; an empty one is refused kindly; neither changes anything', async ({
    world,
    couple: { alex, sam, channel },
  }) => {
    await finishGroundRules(world);
    const sessionId = (await world.session())?.record.id ?? '';
    const before = JSON.stringify(await world.sessions.outbox.get(sessionId));

    await alex.looksOverTheRecord(HARMFUL_NOTE);
    await alex.wasToldPrivately('Your note has not been saved or shared with anyone');
    expect(sam.privateText()).not.toContain('has not been saved');
    expect(JSON.stringify(await world.sessions.outbox.get(sessionId))).toBe(before);
    expect(foundOnDisk(world.file, ['HIT me last week'])).toEqual([]);

    // Only spaces and zero-width characters.
    await alex.looksOverTheRecord(' \u200b \u200b ');
    await alex.wasToldPrivately('Your note looks empty');
    expect(JSON.stringify(await world.sessions.outbox.get(sessionId))).toBe(before);
    await channel.doesNotShow('Alex has looked over the summary');

    // They may still answer as they like.
    await alex.looksOverTheRecord();
    await sam.looksOverTheRecord();
    const summary = await channel.summary();
    expect(summary).toContain('**Alex**: that’s a fair record.');
    expect(summary).toContain('**Sam**: that’s a fair record.');
    expect(summary).not.toContain('HIT me');
  });
});
