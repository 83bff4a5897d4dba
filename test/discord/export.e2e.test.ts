/**
 * /export end to end through the local Discord: the person who asks receives, privately, a Markdown
 * record and the complete JSON of what Mend keeps about the two of them that they may see — every
 * answer they have seen, none of another couple's, none of their partner's still sealed — and the
 * filter is per reader: the partner's own export holds that sealed answer. Split within Discord's
 * limits when the files are large.
 */
import { describe, expect } from 'vitest';
import { coupleKey, parseCouple } from '../../src/engine/couples.js';
import { escapeMarkdown } from '../../src/engine/export-markdown.js';
import type { ExportDocument } from '../../src/engine/export-types.js';
import { filesSentIn, type SentFile } from '../support/files.js';
import { expectedAnswers } from '../support/flow-walk.js';
import { flowNamed } from '../support/flows.js';
import { test } from '../support/mend-test.js';
import type { MendWorld } from '../support/mend-world.js';
import { completionScript } from '../support/play.js';

const OTHER_CHANNEL = 'another-couples-channel';
const OTHER_COUPLES_WORDS = 'Robin guesses lanternfish';
const SAMS_SEALED_GUESS = 'Sam guesses Alex needs harbourlight';

/** Robin and the server's owner: another couple, with an answer of their own, in their own channel. */
async function anotherCouple(world: MendWorld) {
  const { robin, owner } = world.couple;
  const started = await world.sessions.start({
    channelId: OTHER_CHANNEL,
    guildId: world.discord.guildId(),
    flowId: 'needs-discovery',
    starter: { id: robin.id, name: 'Robin' },
    partner: { id: owner.id, name: 'Owner' },
  });
  if (!started.ok || !started.view.prompt) throw new Error('the other couple could not start');
  const answered = await world.sessions.apply(OTHER_CHANNEL, {
    id: 'robin-guess',
    userId: robin.id,
    action: 'answer',
    step: started.view.prompt.key,
    value: { text: OTHER_COUPLES_WORDS },
  });
  expect(answered.ok).toBe(true);
}

const markdownOf = (files: SentFile[]) =>
  files
    .filter((f) => f.name.endsWith('.md'))
    .map((f) => f.text)
    .join('\n');
const jsonOf = (files: SentFile[]) =>
  files.filter((f) => f.name.endsWith('.json')).map((f) => JSON.parse(f.text) as ExportDocument);
const inJson = (text: string) => JSON.stringify(text).slice(1, -1);

describe('/export', () => {
  const finished = completionScript(flowNamed('admit-mistake'));

  test('gives the one who asks, privately, both files: all they have seen, nothing of another couple, nothing still sealed', async ({
    world,
    couple: { alex, sam, robin, owner, channel },
  }) => {
    await anotherCouple(world);
    // Alex and Sam: one conversation finished (only its summary is kept once the next one starts in the
    // same channel), and one under way, where Sam has given a sealed answer that Alex has not seen yet.
    await alex.starts('admit-mistake');
    await world.plays(finished);
    await channel.summary();
    await alex.starts('needs-discovery');
    await sam.writes(SAMS_SEALED_GUESS);
    await channel.doesNotShow('harbourlight');

    const reply = await alex.types('export', { partner: sam });
    expect(reply.kind).toBe('deferred-message');
    expect(reply.ephemeral).toBe(true);
    await alex.wasToldPrivately('These files are for you alone');
    await alex.wasToldPrivately('Answers Sam hasn’t shown you yet are not included');
    const files = filesSentIn(world.discord, reply);
    expect(files.map((f) => f.name)).toEqual(['mend-export.md', 'mend-export.json']);

    // Both parse; the Markdown reads as a record, with a heading per conversation.
    const markdown = markdownOf(files);
    const [doc] = jsonOf(files);
    expect(doc).toMatchObject({
      format: 'mend-export',
      version: 1,
      requester: { id: alex.id, name: alex.name },
      partner: { id: sam.id, name: sam.name },
    });
    expect(doc?.conversations.map((c) => [c.flow, c.status])).toEqual([
      ['admit-mistake', 'completed'],
      ['needs-discovery', 'active'],
    ]);
    expect(markdown).toMatch(/^# Mend: a copy for Alex\n/);
    expect(markdown).toContain('\n## 1. Admitting a mistake — went through every step\n');
    expect(markdown).toContain('\n## 2. Needs discovery — in progress\n');

    // Every answer of theirs Alex has seen, in both files.
    const seen = expectedAnswers(finished).flatMap((g) => g.texts);
    expect(seen.length).toBeGreaterThan(5);
    const json = files.find((f) => f.name.endsWith('.json'))?.text ?? '';
    for (const text of seen) {
      expect(json).toContain(inJson(text));
      expect(markdown).toContain(escapeMarkdown(text));
    }
    // Nothing of the other couple, and nothing of Sam's still sealed: not the words, not a trace.
    for (const file of files) {
      for (const absent of ['lanternfish', robin.id, owner.id, 'harbourlight']) expect(file.text).not.toContain(absent);
    }
    // The files went to Alex alone, and no log line holds what is in them.
    expect(world.discord.ephemeralsFor('sam').flatMap((m) => m.attachments)).toEqual([]);
    expect(world.logs.join('')).not.toMatch(/harbourlight|lanternfish/);

    // The couple record: both consents, Alex's own safety check, never Sam's.
    const stored = parseCouple(await world.store.get(coupleKey(world.discord.guildId(), alex.id, sam.id)));
    const samsCheck = new Date(stored?.checked[sam.id] ?? Number.NaN).toISOString();
    expect(doc?.couple).toMatchObject({
      consent: { [alex.id]: expect.any(String), [sam.id]: expect.any(String) },
      yourSafetyCheck: new Date(stored?.checked[alex.id] ?? Number.NaN).toISOString(),
    });
    for (const file of files) expect(file.text).not.toContain(samsCheck);

    // The filter is per reader: Sam's own copy holds Sam's sealed answer, said to be Sam's alone so far.
    const samsReply = await sam.types('export', { partner: alex });
    const samsFiles = filesSentIn(world.discord, samsReply);
    const [samsDoc] = jsonOf(samsFiles);
    expect(samsDoc?.conversations[1]?.answers).toEqual([
      expect.objectContaining({
        by: { id: sam.id, name: sam.name },
        text: expect.stringContaining(SAMS_SEALED_GUESS),
        notShownYet: 'sealed',
      }),
    ]);
    expect(markdownOf(samsFiles)).toContain(escapeMarkdown(SAMS_SEALED_GUESS));
    expect(samsDoc?.couple?.yourSafetyCheck).toBe(samsCheck);
    for (const file of samsFiles) expect(file.text).not.toContain('lanternfish');
    expect(world.discord.violations()).toEqual([]);
  });

  test('names nobody’s records to someone who is not their partner, and says so kindly', async ({
    world,
    couple: { alex, sam, robin },
  }) => {
    await alex.starts('needs-discovery');
    await sam.writes(SAMS_SEALED_GUESS);
    const reply = await robin.types('export', { partner: alex }, { in: 'general' });
    expect(reply.ephemeral).toBe(true);
    await robin.wasToldPrivately('Mend keeps nothing about you and Alex together, so there is nothing to export');
    expect(filesSentIn(world.discord, reply)).toEqual([]);
    await alex.types('export', { partner: alex });
    await alex.wasToldPrivately('Please name your partner');
    expect(world.discord.commands('home').map((c) => c.name)).toEqual([
      'talk',
      'forget',
      'safety',
      'export',
      'promises',
      'history',
    ]);
    expect(world.discord.violations()).toEqual([]);
  });

  describe('when the files are larger than Discord takes', () => {
    /** A small limit per file stands in for Discord's 10 MiB. */
    const LIMIT = 2500;
    test.override({ mendOptions: { attachmentSizeLimit: LIMIT } });

    test('splits them into parts within the limit, ten to a message, each JSON part parsing on its own', async ({
      world,
      couple: { alex, sam, channel },
    }) => {
      await alex.starts('admit-mistake');
      await world.plays(finished);
      await channel.summary();
      const reply = await sam.types('export', { partner: alex });
      const files = filesSentIn(world.discord, reply);
      expect(files.length).toBeGreaterThan(10);
      await sam.wasToldPrivately(`It is large, so it comes in ${files.length} files over`);
      for (const file of files) expect(file.bytes).toBeLessThanOrEqual(LIMIT);
      const perMessage = new Map<string, number>();
      for (const file of files) perMessage.set(file.message.id, (perMessage.get(file.message.id) ?? 0) + 1);
      expect(Math.max(...perMessage.values())).toBeLessThanOrEqual(10);
      expect(reply.followUps.every((m) => world.discord.ephemeralsFor('sam').some((e) => e.id === m.id))).toBe(true);

      const parts = jsonOf(files);
      expect(parts.map((p) => p.part)).toEqual(parts.map((_, i) => ({ number: i + 1, of: parts.length })));
      const json = parts.map((p) => JSON.stringify(p)).join('\n');
      const markdown = markdownOf(files);
      for (const text of expectedAnswers(finished).flatMap((g) => g.texts)) {
        expect(json).toContain(inJson(text));
        expect(markdown).toContain(escapeMarkdown(text));
      }
      expect(world.discord.violations()).toEqual([]);
    });
  });
});
