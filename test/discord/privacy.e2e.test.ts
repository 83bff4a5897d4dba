/**
 * Privacy, safety and time, end to end through the local Discord: /forget erases a couple and
 * nobody else; an encrypted store holds no answer in its file; the safety pause names no one,
 * shows help only to the writer and needs both to resume; reminders reach only whose turn it is.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sqlite3 from 'sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createEncryptionCodec } from '../../src/engine/encryption.js';
import { loadFlows } from '../../src/engine/flow-registry.js';
import { expectedAnswers } from '../support/flow-walk.js';
import {
  answerMessage,
  answerThroughDiscord,
  channelText,
  type MendWorld,
  normalise,
  playThroughDiscord,
  startMend,
  summaryStart,
  waitFor,
  wholeSummary,
} from '../support/legacy-world.js';
import { completionScript } from '../support/play.js';

const flows = await loadFlows();
let world: MendWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

/** Every key and value in the SQLite file, read straight from the file. */
async function rawRows(file: string): Promise<{ key: string; value: string }[]> {
  const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
  const rows = await new Promise<{ key: string; value: string }[]>((resolve, reject) =>
    db.all('SELECT key, value FROM keyv', (error, result) => (error ? reject(error) : resolve(result as never))),
  );
  await new Promise<void>((resolve) => db.close(() => resolve()));
  return rows;
}

async function playUntil(w: MendWorld, flowId: string, stopAfter = Number.POSITIVE_INFINITY) {
  const flow = flows.get(flowId);
  if (!flow) throw new Error('missing flow');
  const script = completionScript(flow);
  await w.alex.slash('talk', { flow: flowId, partner: w.sam.id }, { channel: 'couple' });
  await waitFor(() => answerMessage(w, 'couple') !== undefined, 'the first prompt');
  await playThroughDiscord(w, 'couple', script.slice(0, stopAfter));
  return script;
}

describe('/forget', () => {
  it('erases everything about that couple, and nothing about another', async () => {
    world = await startMend();
    const w = world;
    // Another couple's open session (Robin and the server owner, in their own channel).
    const owner = w.discord.user('owner');
    const other = await w.sessions.start({
      channelId: 'another-couples-channel',
      guildId: w.discord.guildId(),
      flowId: 'ground-rules',
      starter: { id: w.robin.id, name: 'Robin' },
      partner: { id: owner.id, name: 'Owner' },
    });
    expect(other.ok).toBe(true);
    // Alex and Sam: one finished session (summary delivered) and one open.
    await playUntil(w, 'tolerance-questions');
    await waitFor(() => summaryStart(w, 'couple') >= 0, 'the summary');
    await w.alex.slash('talk', { flow: 'needs-discovery', partner: w.sam.id }, { channel: 'couple' });
    await waitFor(() => answerMessage(w, 'couple') !== undefined, 'a new prompt');

    const theirs = (row: { key: string; value: string }) =>
      [w.alex.id, w.sam.id].some((id) => row.key.includes(id) || row.value.includes(id)) ||
      row.value.includes('"Alex"') ||
      row.value.includes('"Sam"');
    expect((await rawRows(w.file)).filter(theirs).length).toBeGreaterThan(0);

    const asked = await w.sam.slash('forget', { partner: w.alex.id }, { channel: 'couple' });
    expect(asked.ephemeral).toBe(true);
    expect(normalise(JSON.stringify(asked.message?.embeds))).toContain('cannot erase');
    const done = await w.sam.click(asked, 'Yes, erase it all');
    expect(normalise(JSON.stringify(done.message?.embeds))).toContain('no longer keeps anything');

    const rows = await rawRows(w.file);
    expect(rows.filter(theirs)).toEqual([]);
    expect(rows.some((row) => row.value.includes(w.robin.id))).toBe(true);
    expect((await w.sessions.view('another-couples-channel'))?.status).toBe('active');
    expect(w.discord.violations()).toEqual([]);
  }, 60_000);
});

describe('encryption at rest', () => {
  it('with a key, the SQLite file holds none of the answers, and the session completes', async () => {
    world = await startMend({ codec: createEncryptionCodec(randomBytes(32)) });
    const w = world;
    const script = await playUntil(w, 'admit-mistake');
    await wholeSummary(w, 'couple');
    const texts = expectedAnswers(script).flatMap((g) => g.texts);
    expect(texts.length).toBeGreaterThan(5);
    for (const text of texts) expect(channelText(w, 'couple')).toContain(normalise(text));
    // Everything on disk: the database and its write-ahead log.
    const disk = [w.file, `${w.file}-wal`].map((f) => {
      try {
        return readFileSync(f).toString('latin1');
      } catch {
        return '';
      }
    });
    for (const text of texts) {
      const distinctive = text.slice(0, 18);
      for (const bytes of disk) expect(bytes).not.toContain(distinctive);
    }
    for (const bytes of disk) expect(bytes).not.toContain('"Alex"');
  }, 60_000);
});

describe('the safety pause', () => {
  it('pauses for both without naming anyone, helps only the writer, keeps the answer out, and needs both to resume', async () => {
    world = await startMend();
    const w = world;
    const flow = flows.get('needs-discovery');
    if (!flow) throw new Error('missing flow');
    const script = completionScript(flow);
    const firstText = script.findIndex((e) => e.value.text !== undefined);
    await playUntil(w, 'needs-discovery', firstText);
    const disclosure = 'Honestly I am scared, he HIT me last week and I feel unsafe';
    const before = w.discord.channelMessages('couple').length;
    const reply = await answerThroughDiscord(w, 'couple', w.alex, { text: disclosure });
    expect(reply.ephemeral).toBe(true);
    const privateNote = normalise(JSON.stringify(reply.message?.embeds));
    expect(privateNote).toContain('emergency');
    expect(privateNote).toContain(disclosure);

    await waitFor(() => w.discord.channelMessages('couple').length > before, 'the neutral pause message');
    const posted = channelText(w, 'couple', before);
    expect(posted).toContain('paused');
    expect(posted).not.toContain('Alex');
    expect(posted).not.toContain('Sam');
    expect(posted).not.toContain('HIT');
    expect(w.discord.ephemeralsFor(w.sam.id)).toEqual([]);
    const view = await w.sessions.view(w.discord.channelId('couple'));
    expect(view?.status).toBe('paused');
    expect(JSON.stringify(view?.context)).not.toContain('HIT me');

    // One partner alone cannot resume.
    const pauseMessage = w.discord.channelMessages('couple').at(-1);
    if (!pauseMessage) throw new Error('no pause message');
    await w.sam.click(pauseMessage, 'I am ready to continue');
    expect((await w.sessions.view(w.discord.channelId('couple')))?.status).toBe('paused');
    await w.sam.click(pauseMessage, 'I am ready to continue');
    expect((await w.sessions.view(w.discord.channelId('couple')))?.status).toBe('paused');
    await w.alex.click(pauseMessage, 'I am ready to continue');
    expect((await w.sessions.view(w.discord.channelId('couple')))?.status).toBe('active');

    // End it and read the summary: the disclosure is nowhere.
    const prompt = answerMessage(w, 'couple');
    if (!prompt) throw new Error('no prompt after resuming');
    const confirm = await w.alex.click(prompt, 'End');
    await w.alex.click(confirm, 'Yes, end it');
    await wholeSummary(w, 'couple');
    expect(channelText(w, 'couple')).not.toContain('HIT me');
    expect(w.discord.violations()).toEqual([]);
  }, 60_000);

  it('ordinary hurt language does not pause anything', async () => {
    world = await startMend();
    const w = world;
    const flow = flows.get('needs-discovery');
    if (!flow) throw new Error('missing flow');
    const script = completionScript(flow);
    const firstText = script.findIndex((e) => e.value.text !== undefined);
    await playUntil(w, 'needs-discovery', firstText);
    const reply = await answerThroughDiscord(w, 'couple', w.alex, {
      text: 'I felt crushed, and honestly you killed the mood that night.',
    });
    expect(reply.kind).toBe('update');
    expect((await w.sessions.view(w.discord.channelId('couple')))?.status).toBe('active');
  }, 60_000);
});

describe('reminders in Discord', () => {
  it('reminds only the partner whose turn it is, once', async () => {
    let t = Date.UTC(2026, 10, 27, 9, 0, 0);
    world = await startMend({
      now: () => t,
      time: { reminderMs: 12 * 3_600_000, expiryMs: 14 * 86_400_000, retentionMs: 86_400_000 },
    });
    const w = world;
    await w.alex.slash('talk', { flow: 'admit-mistake', partner: w.sam.id }, { channel: 'couple' });
    await waitFor(() => answerMessage(w, 'couple') !== undefined, 'the first prompt');
    const before = w.discord.channelMessages('couple').length;
    t += 13 * 3_600_000;
    await w.bot.sweep();
    await w.bot.sweep();
    const reminders = w.discord.channelMessages('couple').slice(before);
    expect(reminders).toHaveLength(1);
    const pings = w.discord.pingsFrom(reminders[0] as never);
    expect(pings.users).toEqual([w.alex.id]);
    expect(pings.everyone).toBe(false);
    expect(w.discord.violations()).toEqual([]);
  });
});
