/**
 * Follow-through, end to end through the local Discord: admitting a mistake ends with a promise and a check-in
 * a week on; a week later Mend asks, both answer sealed and see each other's answers together; /promises shows
 * the promise with its check-in, privately, and /history links to both conversations' summaries. Another couple's
 * promises are never shown. And gratitude, which comes back for itself: the next one starts in their channel at
 * the time they chose, and schedules the one after.
 */
import { describe, expect } from 'vitest';
import type { ExportDocument } from '../../src/engine/export-types.js';
import { normalise } from '../support/conversation.js';
import { filesSentIn } from '../support/files.js';
import { expectedAnswers } from '../support/flow-walk.js';
import { flowNamed } from '../support/flows.js';
import { test } from '../support/mend-test.js';
import { completionScript } from '../support/play.js';

const DAY = 24 * 3_600_000;
const NOTE = 'A few words, if you like';

/** Admitting a mistake played to its end, both choosing `when` to check in. */
function admitScript(when: string) {
  return completionScript(flowNamed('admit-mistake')).map((event) =>
    event.step === 'followUp' ? { ...event, value: { choice: when } } : event,
  );
}

/** The words of the last promise in the script (the one kept, after any rewrite), as a reader sees them. */
const promiseIn = (script: ReturnType<typeof admitScript>) =>
  normalise(script.findLast((e) => e.step === 'promise')?.value.text ?? '');

describe('a promise, and the check-in on it', () => {
  test('a week on, Mend checks in: both answer, sealed, shown together; /promises shows the promise and its check-in', async ({
    world,
    clock,
    couple: { alex, sam, channel },
  }) => {
    await alex.starts('admit-mistake');
    const script = admitScript('1w');
    const promiser = script.find((e) => e.step === 'promise')?.by;
    const PROMISE = promiseIn(script);
    await world.plays(script);
    const summary = await channel.summary();
    const firstSummaryId = channel.summaryMessages()[0]?.id;
    expect(summary).toContain('Mend will check in with you both in a week');
    const ledger = await world.sessions.ledger.find(world.discord.guildId(), alex.id, sam.id);
    expect(ledger?.promises.map((p) => normalise(p.words))).toEqual([PROMISE]);
    const [due] = ledger?.due ?? [];
    expect(due?.dueAt).toBeGreaterThan(clock.now() + 7 * DAY - 60_000);

    // Not before its time.
    clock.advance(6 * DAY);
    const early = channel.mark();
    await world.sweep();
    expect(channel.since(early)).toEqual([]);

    clock.advance(DAY);
    const mark = channel.mark();
    await world.sweep();
    await channel.shows('Checking in', mark);
    await channel.shows(PROMISE, mark);
    // Each of them is pinged once, by the prompt that asks them both.
    const pings = channel.since(mark).flatMap((m) => m.mentions?.map((u) => u.id) ?? []);
    expect(pings.sort()).toEqual([alex.id, sam.id].sort());
    // Exactly once: another sweep (as after a restart) posts nothing more.
    const after = channel.mark();
    await world.sweep();
    expect(channel.since(after)).toEqual([]);

    const [owner, hurt] = promiser === 'a' ? [alex, sam] : [sam, alex];
    await owner.clicks('Partly');
    await owner.fills({ [NOTE]: 'Twice I said it out loud. Once I slipped.' });
    // Sealed: the other's words are not shown until both have answered.
    await channel.doesNotShow('Twice I said it out loud', mark);
    await hurt.clicks('It’s been kept');
    await hurt.fills({ [NOTE]: 'It has felt different, and I notice it.' });
    await channel.shows('Twice I said it out loud. Once I slipped.', mark);
    await channel.shows('It has felt different, and I notice it.', mark);

    await alex.clicks('It’s settled');
    await sam.clicks('It’s settled');
    const checkInSummary = await channel.summary();
    expect(checkInSummary).toContain('You both feel it’s settled.');

    const listed = await sam.types('promises', { partner: alex });
    expect(listed.ephemeral).toBe(true);
    const text = normalise(listed.message?.embeds?.[0]?.description ?? '');
    expect(text).toContain(PROMISE);
    expect(text).toContain('Settled');
    expect(text).toContain('Twice I said it out loud. Once I slipped.');
    expect(text).toContain('It has felt different, and I notice it.');

    // /history: both conversations, newest first, each linking to its summary's first message.
    const history = await sam.types('history', { partner: alex });
    expect(history.ephemeral).toBe(true);
    const lines = (history.message?.embeds?.[0]?.description ?? '').split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('Checking in on a promise');
    expect(lines[1]).toContain('Admitting a mistake');
    const linked = lines.map((line) => /discord\.com\/channels\/(\d+)\/(\d+)\/(\d+)/.exec(line)?.slice(1));
    const guild = world.discord.guildId();
    expect(linked).toEqual([
      [guild, channel.id, channel.summaryMessages()[0]?.id],
      [guild, channel.id, firstSummaryId],
    ]);
    expect(firstSummaryId).not.toBe(channel.summaryMessages()[0]?.id);

    // The copy either of them can take holds the promise with its check-in, in both files.
    const exported = filesSentIn(world.discord, await alex.types('export', { partner: sam }));
    const json = exported.find((f) => f.name.endsWith('.json'));
    const doc = JSON.parse(json?.text ?? '{}') as ExportDocument;
    expect(doc.promises.map((p) => [normalise(p.text), p.status, p.checkIns?.length])).toEqual([
      [PROMISE, 'settled', 1],
    ]);
    expect(exported.find((f) => f.name.endsWith('.md'))?.text).toContain('Twice I said it out loud. Once I slipped.');
    expect(world.discord.violations()).toEqual([]);
  });

  test('“no check-in” from both schedules nothing, and the promise stays open in /promises', async ({
    world,
    clock,
    couple: { alex, sam, channel },
  }) => {
    await alex.starts('admit-mistake');
    await world.plays(admitScript('none'));
    const summary = await channel.summary();
    expect(summary).not.toContain('Your check-in');
    expect((await world.sessions.ledger.find(world.discord.guildId(), alex.id, sam.id))?.due).toEqual([]);
    clock.advance(40 * DAY);
    const mark = channel.mark();
    await world.sweep();
    expect(channel.since(mark)).toEqual([]);
    const listed = await alex.types('promises', { partner: sam });
    expect(normalise(listed.message?.embeds?.[0]?.description ?? '')).toContain('Open');
  });

  test('a check-in nobody answers is reminded once, then left open — never closed, never nagged', async ({
    world,
    clock,
    couple: { alex, channel },
  }) => {
    await alex.starts('admit-mistake');
    await world.plays(admitScript('3d'));
    await channel.summary();
    clock.advance(3 * DAY);
    await world.sweep();
    await channel.shows('Checking in');
    const mark = channel.mark();
    clock.advance(13 * 3_600_000);
    await world.sweep();
    await channel.shows('A gentle reminder', mark);
    expect(channel.countShowing('A gentle reminder')).toBe(1);
    // Past the reminder and past SESSION_EXPIRY_DAYS: nothing more is posted, and it stays open.
    clock.advance(30 * DAY);
    await world.sweep();
    expect(channel.countShowing('A gentle reminder')).toBe(1);
    expect(channel.text(mark)).not.toContain('Closed after a quiet spell');
    expect((await world.session())?.status).toBe('active');
  });

  test('/promises is only for the two of them: someone else naming one of them sees nothing of theirs', async ({
    world,
    couple: { alex, sam, robin, channel },
  }) => {
    await alex.starts('admit-mistake');
    const script = admitScript('1w');
    const PROMISE = promiseIn(script);
    await world.plays(script);
    await channel.summary();
    const asked = await robin.types('promises', { partner: alex }, { in: 'general' });
    expect(asked.ephemeral).toBe(true);
    expect(normalise(asked.message?.embeds?.[0]?.description ?? '')).not.toContain(PROMISE);
    expect(world.discord.channelMessages('general')).toEqual([]);
    // And the two of them see it from either side.
    const fromSam = await sam.types('promises', { partner: alex });
    expect(normalise(fromSam.message?.embeds?.[0]?.description ?? '')).toContain(PROMISE);
  });
});

describe('gratitude, again', () => {
  /** Gratitude played to its end, both choosing `when` for the next one. */
  const gratitudeScript = (when: string) =>
    completionScript(flowNamed('gratitude')).map((event) =>
      event.step === 'followUp' ? { ...event, value: { choice: when } } : event,
    );

  test('a week on, Mend starts the next gratitude in their channel, once; played through, it schedules the one after', async ({
    world,
    clock,
    couple: { alex, sam, channel },
  }) => {
    await alex.starts('gratitude');
    await world.plays(gratitudeScript('1w'));
    const summary = await channel.summary();
    expect(summary).toContain('Mend will start your next “Gratitude” in a week.');

    clock.advance(7 * DAY - 60_000);
    const early = channel.mark();
    await world.sweep();
    expect(channel.since(early)).toEqual([]);

    clock.advance(60_000);
    const mark = channel.mark();
    await world.sweep();
    await channel.shows('last time you chose to have another **Gratitude** about now', mark);
    await channel.shows('Three things you appreciated', mark);
    // Each of them pinged once, by the prompt that asks them both.
    const pings = channel.since(mark).flatMap((m) => m.mentions?.map((u) => u.id) ?? []);
    expect(pings.sort()).toEqual([alex.id, sam.id].sort());
    const after = channel.mark();
    await world.sweep();
    expect(channel.since(after)).toEqual([]);
    expect((await world.session())?.flow.id).toBe('gratitude');

    // The one Mend started is a whole gratitude: played through, its summary is posted and the next is due.
    const again = gratitudeScript('2w');
    await world.plays(again);
    const second = await channel.summary();
    expect(second).toContain('Mend will start your next “Gratitude” in two weeks.');
    for (const given of expectedAnswers(again)) {
      for (const text of given.texts) expect(second).toContain(normalise(text));
    }
    const ledger = await world.sessions.ledger.find(world.discord.guildId(), alex.id, sam.id);
    expect(ledger?.due.map((d) => [d.kind, d.flowId, d.announcedAt])).toEqual([['again', 'gratitude', undefined]]);
    expect(ledger?.promises).toEqual([]);
    expect(world.discord.violations()).toEqual([]);
  });
});
