/**
 * Erasure that erases: after /forget, and after retention deletes a delivered session, nothing of what was
 * erased is left in the store's bytes, and another couple's conversation is untouched.
 *
 * - SQLite: the database file, its WAL and its shm are read byte for byte twice — while the bot still runs
 *   (what a crash at that moment would leave on disk) and after a clean stop — for every answer the erased
 *   couple wrote (each carries a marker made for this test), their names and their ids. With
 *   STORE_ENCRYPTION_KEY the words are never on disk in plain text, so the scan looks for what is: the erased
 *   records' own ciphertext and keys.
 * - Redis and PostgreSQL (when TEST_REDIS_URL / TEST_POSTGRES_URL are set): every key and value in the
 *   store's namespace or table, read around Mend; for PostgreSQL also that the table was rewritten, and, where
 *   the server lets us read its files, that no dead row's bytes are left in them.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect } from 'vitest';
import { createEncryptionCodec } from '../../src/engine/encryption.js';
import type { Person as Partner } from '../../src/engine/session-record.js';
import { foundIn, missingFrom } from '../support/byte-search.js';
import type { Couple } from '../support/conversation.js';
import { flowNamed } from '../support/flows.js';
import { markAnswers } from '../support/markers.js';
import { test } from '../support/mend-test.js';
import type { MendWorld } from '../support/mend-world.js';
import { answer, completionScript } from '../support/play.js';
import { canReadServerFiles, fileNode, serverFiles, tableFiles } from '../support/postgres-files.js';
import { foundOnDisk, missingFromDisk, type RawRow, rawRows } from '../support/sqlite-disk.js';
import { announceSkips, postgresCase, postgresClient, redisCase } from '../support/stores.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const OTHER_CHANNEL = 'another-couples-channel';

interface OtherCouple {
  people: { a: Partner; b: Partner };
  /** The markers of the answers they gave. */
  markers: string[];
}

/**
 * Robin and the server owner: another couple in the same server, with an open session of their own in their
 * own channel, and answers in it (given through the engine: their channel is not one the local Discord has).
 */
async function anotherCouple(world: MendWorld): Promise<OtherCouple> {
  const { robin, owner } = world.couple;
  const people = { a: { id: robin.id, name: 'Robin' }, b: { id: owner.id, name: 'Owner' } };
  const started = await world.sessions.start({
    channelId: OTHER_CHANNEL,
    guildId: world.discord.guildId(),
    flowId: 'ground-rules',
    starter: people.a,
    partner: people.b,
  });
  expect(started.ok).toBe(true);
  // Both ready, then the first two rules, each agreed to with a note.
  const { script, markers } = markAnswers(completionScript(flowNamed('ground-rules')).slice(0, 6), 'kept');
  for (const event of script) expect((await answer(world.sessions, OTHER_CHANNEL, event, people)).ok).toBe(true);
  expect(markers.length).toBeGreaterThanOrEqual(4);
  return { people, markers };
}

/** Their session is as they left it: it loads, it is open, and every answer they gave is in it. */
async function expectIntact(world: MendWorld, other: OtherCouple): Promise<void> {
  const view = await world.sessions.view(OTHER_CHANNEL);
  expect(view?.status).toBe('active');
  expect(view?.record.partners.a.id).toBe(other.people.a.id);
  const context = JSON.stringify(view?.context);
  for (const marker of other.markers) expect(context).toContain(marker);
}

/**
 * Alex and Sam, through Discord: a whole tolerance-questions, to its summary (which marks it delivered) —
 * after `lookOver`, where the world asks them to look the summary over first.
 */
async function alexAndSamFinish(
  world: MendWorld,
  { alex, channel }: Couple,
  lookOver: () => Promise<void> = async () => undefined,
): Promise<string[]> {
  const { script, markers } = markAnswers(completionScript(flowNamed('tolerance-questions')), 'erased');
  await alex.starts('tolerance-questions');
  await world.plays(script);
  await lookOver();
  await channel.summary();
  return markers;
}

/**
 * Robin and the owner finish a whole admitting-a-mistake in their own channel (through the engine), so they
 * have promises in their ledger and a line in their history.
 */
async function anotherCoupleFinishes(world: MendWorld): Promise<OtherCouple> {
  const { robin, owner } = world.couple;
  const people = { a: { id: robin.id, name: 'Robin' }, b: { id: owner.id, name: 'Owner' } };
  const started = await world.sessions.start({
    channelId: OTHER_CHANNEL,
    guildId: world.discord.guildId(),
    flowId: 'admit-mistake',
    starter: people.a,
    partner: people.b,
  });
  expect(started.ok).toBe(true);
  const { script, markers } = markAnswers(completionScript(flowNamed('admit-mistake')), 'kept');
  for (const event of script) expect((await answer(world.sessions, OTHER_CHANNEL, event, people)).ok).toBe(true);
  expect((await world.sessions.view(OTHER_CHANNEL))?.status).toBe('completed');
  return { people, markers };
}

/** …then the first answers of a needs-discovery they leave open. */
async function alexAndSamBegin(world: MendWorld, { alex, channel }: Couple): Promise<string[]> {
  const { script, markers } = markAnswers(completionScript(flowNamed('needs-discovery')).slice(0, 4), 'erased');
  await alex.starts('needs-discovery');
  await channel.shows('Needs discovery');
  await world.plays(script);
  return markers;
}

/**
 * The usual scene before a /forget: the other couple mid-conversation, and Alex and Sam with a finished session
 * and an open one. Returns the other couple and every marker Alex and Sam typed.
 */
async function bothCouplesTalk(world: MendWorld, couple: Couple): Promise<{ other: OtherCouple; markers: string[] }> {
  const other = await anotherCouple(world);
  const markers = [...(await alexAndSamFinish(world, couple)), ...(await alexAndSamBegin(world, couple))];
  return { other, markers };
}

/** Sam asks to forget the two of them, and confirms. */
async function samForgets({ alex, sam }: Couple): Promise<void> {
  const asked = await sam.types('forget', { partner: alex });
  expect(asked.ephemeral).toBe(true);
  await sam.wasToldPrivately('cannot erase');
  await sam.clicks('Yes, erase it all');
  await sam.wasToldPrivately('has erased what it kept');
}

/** Alex's, Sam's and their channel's ids: in every record about them, and in no record of the other couple's. */
const idsOf = ({ alex, sam, channel }: Couple) => [alex.id, sam.id, channel.id];

/** Their display names as stored (JSON strings); the other couple is Robin and Owner. */
const NAMES = ['"Alex"', '"Sam"'];

const mentionsAny = (row: RawRow, needles: readonly string[]) =>
  needles.some((n) => row.key.includes(n) || row.value.includes(n));

describe('on SQLite, what is erased is gone from the database file, its WAL and its shm', () => {
  test('/forget: none of the couple’s answers, names, ids or record keys is in the bytes, running or stopped; the other couple’s session still loads with its answers', async ({
    world,
    couple,
  }) => {
    const { other, markers } = await bothCouplesTalk(world, couple);
    const ids = idsOf(couple);
    const theirRows = (await rawRows(world.file)).filter((row) => mentionsAny(row, ids));
    // Their sessions, the summary queued for the finished one, and the couple record.
    expect(theirRows.length).toBeGreaterThanOrEqual(3);
    const needles = [...markers, ...NAMES, ...ids, ...theirRows.map((row) => row.key)];
    // The scan can see them: before the erasure every one of them is on disk.
    expect(missingFromDisk(world.file, needles)).toEqual([]);

    await samForgets(couple);

    // While the bot still runs: what a crash or power cut right now would leave.
    expect(foundOnDisk(world.file, needles)).toEqual([]);
    expect((await rawRows(world.file)).filter((row) => mentionsAny(row, [...ids, ...markers]))).toEqual([]);
    await expectIntact(world, other);
    expect(missingFromDisk(world.file, other.markers)).toEqual([]);

    await world.stopBot();
    expect(foundOnDisk(world.file, needles)).toEqual([]);
    expect(missingFromDisk(world.file, other.markers)).toEqual([]);
    expect(world.discord.violations()).toEqual([]);
  });

  describe('with the look-over before a summary is posted', () => {
    test.override({ mendOptions: { summaryApprovalHours: 24 } });

    test('/forget erases their history and a summary waiting for its look-over, note and all, from the bytes; another couple’s history and promises are kept', async ({
      world,
      couple,
    }) => {
      const { alex, sam, channel } = couple;
      const guildId = world.discord.guildId();
      const other = await anotherCoupleFinishes(world);
      // A conversation looked over by both and posted (so in their history, with a link)…
      const finished = await alexAndSamFinish(world, couple, async () => {
        await alex.looksOverTheRecord();
        await sam.looksOverTheRecord();
      });
      // …and another finished, with Alex's note on it while it waits for Sam.
      const { script, markers } = markAnswers(completionScript(flowNamed('ground-rules')), 'erased');
      await alex.starts('ground-rules');
      await world.plays(script);
      const NOTE = 'erased-note: I remember the start of it differently.';
      await alex.looksOverTheRecord(NOTE);
      await channel.shows('Alex has looked over the summary');
      const history = await world.sessions.history.find(guildId, alex.id, sam.id);
      expect(history?.entries.map((e) => e.ending)).toEqual(['finished', 'finished']);
      expect(history?.entries[0]?.summaryMessageId).toBeDefined();
      const theirs = (await rawRows(world.file)).filter((row) => mentionsAny(row, idsOf(couple)));
      const keys = theirs.map((row) => row.key);
      expect(keys.filter((key) => key.includes('history:'))).toHaveLength(1);
      const needles = [NOTE, ...finished, ...markers, ...NAMES, ...keys];
      expect(missingFromDisk(world.file, needles)).toEqual([]);

      await samForgets(couple);

      expect(foundOnDisk(world.file, needles)).toEqual([]);
      expect(await world.sessions.history.find(guildId, alex.id, sam.id)).toBeUndefined();
      expect((await rawRows(world.file)).filter((row) => mentionsAny(row, idsOf(couple)))).toEqual([]);
      // The other couple's history and promises are as they were.
      const [a, b] = [other.people.a.id, other.people.b.id];
      expect((await world.sessions.history.find(guildId, a, b))?.entries).toHaveLength(1);
      const ledger = await world.sessions.ledger.find(guildId, a, b);
      expect(ledger?.promises.length).toBeGreaterThan(0);
      // Still with their words: one of their promises is in them.
      expect(other.markers.some((m) => JSON.stringify(ledger).includes(m))).toBe(true);
      await world.stopBot();
      expect(foundOnDisk(world.file, needles)).toEqual([]);
    });
  });

  describe('retention', () => {
    test.override({ mendOptions: { time: { reminderMs: 0, expiryMs: 30 * DAY, retentionMs: HOUR } } });

    test('a delivered session past SESSION_RETENTION_HOURS: none of its answers, names or keys is in the bytes, running or stopped; only the couple record (ids, no words) and the promises still open stay, and the other couple’s session is intact', async ({
      world,
      couple,
      clock,
    }) => {
      const other = await anotherCouple(world);
      const markers = await alexAndSamFinish(world, couple);
      const sessionId = (await world.session())?.record.id;
      if (!sessionId) throw new Error('their finished session is not stored');
      const keys = (await rawRows(world.file)).map((row) => row.key);
      const sessionKeys = keys.filter((key) => key.endsWith(`session:${couple.channel.id}`) || key.endsWith(sessionId));
      // The session itself and its delivered summary.
      expect(sessionKeys).toHaveLength(2);
      // What they promised stays in their ledger until it is settled or let go (then retention counts again).
      const ledger = await world.sessions.ledger.find(world.discord.guildId(), couple.alex.id, couple.sam.id);
      const promised = ledger?.promises.flatMap((p) => [p.words, p.about ?? '']) ?? [];
      expect(promised.length).toBeGreaterThan(0);
      const inPromises = (marker: string) => promised.some((words) => words.includes(marker));
      // (The ledger names the conversation a promise came from by its id: an id, not words.)
      const needles = [...markers.filter((m) => !inPromises(m)), ...NAMES, ...sessionKeys];
      expect(missingFromDisk(world.file, needles)).toEqual([]);

      clock.advance(2 * HOUR);
      await world.sweep();
      expect(await world.session()).toBeUndefined();

      expect(foundOnDisk(world.file, needles)).toEqual([]);
      // What retention keeps about them: where their conversations run, and the promises still open — not
      // the rest of what was said.
      const left = (await rawRows(world.file)).filter((row) => mentionsAny(row, idsOf(couple)));
      expect(left.map((row) => row.key).sort()).toEqual([
        expect.stringMatching(/couple:/),
        expect.stringMatching(/history:/),
        expect.stringMatching(/promises:/),
      ]);
      const kept = left.find((row) => row.key.includes('promises:'))?.value ?? '';
      expect(markers.filter((m) => kept.includes(m) && !inPromises(m))).toEqual([]);
      // Their history outlives the conversation with ids, dates and a link only: none of their words, nor names.
      const history = left.find((row) => row.key.includes('history:'))?.value ?? '';
      expect(history).toContain(sessionId);
      expect([...markers, ...NAMES].filter((m) => history.includes(m))).toEqual([]);
      await expectIntact(world, other);

      await world.stopBot();
      expect(foundOnDisk(world.file, needles)).toEqual([]);
      expect(missingFromDisk(world.file, other.markers)).toEqual([]);
    });
  });

  describe('with STORE_ENCRYPTION_KEY', () => {
    const codec = createEncryptionCodec(randomBytes(32));
    test.override({ mendOptions: { codec } });

    /**
     * A sealed value cut into 24-character pieces: any run of 47 or more characters that survived of it holds
     * one whole piece. (A piece may straddle two pages, so not every piece is found even while the row lives.)
     */
    const piecesOf = (sealed: string) =>
      Array.from({ length: Math.floor(sealed.length / 24) }, (_, i) => sealed.slice(i * 24, i * 24 + 24));

    test('/forget: none of the couple’s ciphertext, record keys or ids is in the bytes, running or stopped; the other couple’s session still decrypts with its answers', async ({
      world,
      couple,
    }) => {
      const { other, markers } = await bothCouplesTalk(world, couple);
      const ids = idsOf(couple);
      // Which rows are theirs is read through the key; on disk they are ciphertext.
      const rows = await rawRows(world.file);
      const theirRows = rows.filter((row) => mentionsAny({ key: row.key, value: codec.decode(row.value) }, ids));
      expect(theirRows.length).toBeGreaterThanOrEqual(3);
      // Their words and names never reach the disk in plain text, so looking for them afterwards could not fail.
      expect(foundOnDisk(world.file, [...markers, ...NAMES])).toEqual([]);
      const pieces = theirRows.flatMap((row) => piecesOf(row.value));
      const needles = [...pieces, ...ids, ...theirRows.map((row) => row.key)];
      // The scan can see them: every key and id, and nearly all of the ciphertext, is on disk before.
      expect(missingFromDisk(world.file, [...ids, ...theirRows.map((row) => row.key)])).toEqual([]);
      expect(missingFromDisk(world.file, pieces).length).toBeLessThan(pieces.length / 10);

      await samForgets(couple);

      expect(foundOnDisk(world.file, needles)).toEqual([]);
      await expectIntact(world, other);
      const otherRow = (await rawRows(world.file)).find((row) => row.key.endsWith(`session:${OTHER_CHANNEL}`));
      expect(otherRow?.value.startsWith('enc1:')).toBe(true);

      await world.stopBot();
      expect(foundOnDisk(world.file, needles)).toEqual([]);
      const otherPieces = piecesOf(otherRow?.value ?? '');
      expect(missingFromDisk(world.file, otherPieces).length).toBeLessThan(otherPieces.length / 10);
    });
  });
});

const serverCases = [redisCase(), postgresCase()];
announceSkips(serverCases);

for (const storeCase of serverCases) {
  const where = storeCase.name === 'redis' ? 'key in the namespace' : 'row in the table';
  describe.skipIf(storeCase.skip !== undefined)(`on ${storeCase.name}`, () => {
    test.override({ mendOptions: { store: storeCase } });

    test(`/forget: no ${where} is theirs, and no key or value mentions their answers, names or ids; the other couple’s stays, with its answers`, async ({
      world,
      couple,
    }) => {
      const { other, markers } = await bothCouplesTalk(world, couple);
      const needles = [...markers, ...NAMES, ...idsOf(couple)];
      const before = await storeCase.rawEntries();
      expect(before.filter((row) => mentionsAny(row, idsOf(couple))).length).toBeGreaterThanOrEqual(3);
      // The read sees them: every answer they gave is in some stored value before.
      expect(markers.filter((marker) => !before.some((row) => row.value.includes(marker)))).toEqual([]);

      await samForgets(couple);

      const after = await storeCase.rawEntries();
      expect(after.filter((row) => mentionsAny(row, needles)).map((row) => row.key)).toEqual([]);
      const kept = after.filter((row) => row.key.endsWith(`session:${OTHER_CHANNEL}`));
      expect(kept).toHaveLength(1);
      for (const marker of other.markers) expect(kept[0]?.value).toContain(marker);
      await expectIntact(world, other);
    });
  });
}

const filesCase = postgresCase();
describe.skipIf(filesCase.skip !== undefined)('on postgres, the table’s files', () => {
  test.override({ mendOptions: { store: filesCase } });

  test('/forget rewrites the table (VACUUM FULL): it gets a new file node, the old files are emptied, and none of the couple’s record keys or ids is in the new heap, TOAST or index files (read on the server after a CHECKPOINT, when the test may)', async ({
    world,
    couple,
    onTestFinished,
  }) => {
    const client = await postgresClient(filesCase.url);
    onTestFinished(() => client.end());
    await bothCouplesTalk(world, couple);
    // The values' keys as they are in the heap; the due-index's and key sets' rows hold the ids.
    const { rows } = await client.query<RawRow>(`SELECT key, value FROM ${filesCase.table}`);
    const theirKeys = rows.filter((row) => mentionsAny(row, idsOf(couple))).map((row) => row.key);
    // Short values (keys, the couple record) are stored as written; long ones are compressed, so
    // answers are not looked for here: their rows' keys and ids are.
    const needles = [...theirKeys, ...idsOf(couple)];
    const node = await fileNode(client, filesCase.table);
    const readable = await canReadServerFiles(client);
    // The values' table, and the store's own tables beside it (the due-index, the key sets).
    const tables = [filesCase.table, `${filesCase.table}_due`, `${filesCase.table}_sets`];
    const filesOf = async () => (await Promise.all(tables.map((t) => tableFiles(client, t)))).flat();
    const filesBefore = readable ? await filesOf() : [];
    if (readable) expect(missingFrom(await serverFiles(client, filesBefore), needles)).toEqual([]);
    else console.log('[erasure] not a superuser on TEST_POSTGRES_URL: the table’s files are not read');

    await samForgets(couple);

    expect(await fileNode(client, filesCase.table)).not.toBe(node);
    if (!readable) return;
    const filesAfter = await filesOf();
    expect(filesAfter.filter((path) => filesBefore.includes(path))).toEqual([]);
    const files = await serverFiles(client, [...new Set([...filesBefore, ...filesAfter])]);
    // The old files: emptied at the rewrite's commit, unlinked at the next checkpoint.
    expect(files.filter((f) => filesBefore.includes(f.name) && f.text !== '').map((f) => f.name)).toEqual([]);
    expect(foundIn(files, needles)).toEqual([]);
  });
});
