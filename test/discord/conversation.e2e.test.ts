/**
 * The Discord experience around the flows, end to end through the local Discord: people who are
 * not in the conversation, turns, doubled submits, mentions in answers, answers at full length,
 * a summary post that fails and is retried, and /talk outside a private channel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/engine/flow-registry.js';
import { sessionKey } from '../../src/engine/session.js';
import { expectedAnswers } from '../support/flow-walk.js';
import {
  answerMessage,
  answerThroughDiscord,
  buttonFor,
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

const storedSession = async (w: MendWorld, channel: string) =>
  JSON.stringify(await w.store.get(sessionKey(w.discord.channelId(channel))));

async function talk(w: MendWorld, flowId: string) {
  await w.alex.slash('talk', { flow: flowId, partner: w.sam.id }, { channel: 'couple' });
  await waitFor(() => answerMessage(w, 'couple') !== undefined, 'the first prompt');
}

const ephemeralText = (w: MendWorld, user: 'alex' | 'sam' | 'robin' | 'owner') =>
  normalise(
    w.discord
      .ephemeralsFor(w.discord.user(user).id)
      .flatMap((m) => [m.content ?? '', ...(m.embeds ?? []).map((e) => e.description ?? '')])
      .join('\n'),
  );

describe('people outside the turn', () => {
  it('a third member who can see the channel (a server owner) gets a private note on every button; nothing changes', async () => {
    world = await startMend();
    const w = world;
    const owner = w.discord.user('owner');
    expect(w.robin.canSee('couple')).toBe(false);
    expect(owner.canSee('couple')).toBe(true);
    await talk(w, 'tolerance-questions');
    const flow = flows.get('tolerance-questions');
    if (!flow) throw new Error('missing flow');
    // Walk to a prompt with a form (the list of items), so the owner can try both kinds of button.
    for (const event of completionScript(flow)) {
      // The bot posts each prompt just after acknowledging the last answer: wait for it.
      await waitFor(() => answerMessage(w, 'couple') !== undefined, 'the next prompt');
      const prompt = answerMessage(w, 'couple');
      if (prompt && buttonFor(prompt, 'write')) break;
      await answerThroughDiscord(w, 'couple', event.by === 'a' ? w.alex : w.sam, event.value);
      await new Promise((r) => setTimeout(r, 15));
    }
    const before = await storedSession(w, 'couple');
    const messagesBefore = w.discord.channelMessages('couple').length;
    const prompt = answerMessage(w, 'couple');
    if (!prompt) throw new Error('no prompt');
    for (const label of ['Write your points', 'Pause', 'End']) {
      const reply = await owner.click(prompt, label);
      expect(reply.kind, label).toBe('message');
      expect(reply.ephemeral, label).toBe(true);
    }
    expect(ephemeralText(w, 'owner')).toContain('belongs to two other people');
    expect(await storedSession(w, 'couple')).toBe(before);
    expect(w.discord.channelMessages('couple')).toHaveLength(messagesBefore);
    expect(w.discord.violations()).toEqual([]);
  });

  it('the partner out of turn gets a private note, and nothing changes', async () => {
    world = await startMend();
    const w = world;
    await talk(w, 'admit-mistake');
    // First prompt: Alex (the starter) chooses roles. Sam clicks it.
    const prompt = answerMessage(w, 'couple');
    if (!prompt) throw new Error('no prompt');
    const before = await storedSession(w, 'couple');
    const choose = buttonFor(prompt, 'choose');
    if (!choose) throw new Error('no choice button');
    const reply = await w.sam.click(prompt, choose);
    expect(reply.ephemeral).toBe(true);
    expect(ephemeralText(w, 'sam')).toContain("It's your partner's turn");
    expect(await storedSession(w, 'couple')).toBe(before);
    expect(w.discord.violations()).toEqual([]);
  });

  it('the same form submitted twice is counted once', async () => {
    world = await startMend();
    const w = world;
    await talk(w, 'needs-discovery');
    const flow = flows.get('needs-discovery');
    if (!flow) throw new Error('missing flow');
    const script = completionScript(flow);
    // Answer "ready" for both, then reach the first text step (a sealed step for both).
    let i = 0;
    for (; i < script.length; i++) {
      const event = script[i];
      if (!event || event.value.text !== undefined) break;
      await answerThroughDiscord(w, 'couple', event.by === 'a' ? w.alex : w.sam, event.value);
      await new Promise((r) => setTimeout(r, 15));
    }
    await waitFor(() => answerMessage(w, 'couple') !== undefined, 'the first written step');
    const prompt = answerMessage(w, 'couple');
    if (!prompt) throw new Error('no prompt');
    const write = buttonFor(prompt, 'write');
    if (!write) throw new Error('no write button');
    const form = await w.alex.click(prompt, write);
    expect(form.kind).toBe('modal');
    const first = await w.alex.submitModal(form, { text: 'My guess, once.' });
    const second = await w.alex.submitModal(form, { text: 'My guess, once.' });
    expect(first.kind).toBe('update');
    expect(second.ephemeral).toBe(true);
    const view = await w.sessions.view(w.discord.channelId('couple'));
    expect(view?.context.pending.a?.text).toBe('My guess, once.');
    expect(view?.prompt?.awaiting).toEqual(['b']);
    expect(w.discord.violations()).toEqual([]);
  });
});

describe('what people write', () => {
  it('mentions in answers never ping anyone', async () => {
    world = await startMend();
    const w = world;
    const flow = flows.get('ground-rules');
    if (!flow) throw new Error('missing flow');
    await talk(w, 'ground-rules');
    const loud = `@everyone @here <@${w.robin.id}> <@&${w.discord.guildId()}> <@!${w.sam.id}> look`;
    for (const event of completionScript(flow)) {
      const value = { ...event.value };
      if (value.text !== undefined) value.text = loud;
      if (value.note !== undefined) value.note = loud;
      if (value.items) value.items = value.items.map(() => loud);
      await answerThroughDiscord(w, 'couple', event.by === 'a' ? w.alex : w.sam, value);
      await new Promise((r) => setTimeout(r, 15));
    }
    await waitFor(() => summaryStart(w, 'couple') >= 0, 'the summary');
    expect(channelText(w, 'couple')).toContain('@everyone @here');
    for (const { pings } of w.discord.messagesThatPing()) {
      expect(pings.everyone).toBe(false);
      expect(pings.here).toBe(false);
      expect(pings.roles).toEqual([]);
      expect(pings.users.every((id) => id === w.alex.id || id === w.sam.id)).toBe(true);
    }
    expect(w.discord.violations()).toEqual([]);
  }, 60_000);

  it.each([...flows.keys()])(
    '%s: every field at its maximum length — the summary holds all of it, within limits',
    async (flowId) => {
      world = await startMend();
      const w = world;
      const flow = flows.get(flowId);
      if (!flow) throw new Error('missing flow');
      const script = completionScript(flow, 'max');
      await talk(w, flowId);
      await playThroughDiscord(w, 'couple', script);
      const summary = await wholeSummary(w, 'couple');
      for (const given of expectedAnswers(script)) {
        for (const text of given.texts) expect(summary).toContain(normalise(text));
      }
      const summaryMessages = w.discord.channelMessages('couple').slice(summaryStart(w, 'couple'));
      expect(summaryMessages.length).toBeGreaterThan(1);
      expect(w.discord.violations()).toEqual([]);
    },
    90_000,
  );
});

describe('the summary', () => {
  it('a post that fails is kept and delivered on retry', async () => {
    world = await startMend();
    const w = world;
    const flow = flows.get('tolerance-questions');
    if (!flow) throw new Error('missing flow');
    const script = completionScript(flow);
    await talk(w, 'tolerance-questions');
    for (const [i, event] of script.entries()) {
      // Before the last answer, make the next channel posts fail past discord.js's own retries.
      if (i === script.length - 1) w.discord.failNext('POST /channels/:channel_id/messages', { status: 503, times: 5 });
      await answerThroughDiscord(w, 'couple', event.by === 'a' ? w.alex : w.sam, event.value);
      await new Promise((r) => setTimeout(r, 15));
    }
    await wholeSummary(w, 'couple', 10_000);
    const failed = w.discord.requests({ route: 'POST /channels/:channel_id/messages' }).filter((r) => r.status >= 500);
    expect(failed.length).toBeGreaterThan(0);
    const summary = channelText(w, 'couple', summaryStart(w, 'couple'));
    for (const given of expectedAnswers(script))
      for (const text of given.texts) expect(summary).toContain(normalise(text));
    // Posted once: exactly one summary header.
    const headers = w.discord.channelMessages('couple').filter((m) => m.embeds?.[0]?.title?.startsWith('Summary · '));
    expect(headers).toHaveLength(1);
  }, 30_000);
});

describe('/talk outside a private channel', () => {
  it('offers a private channel, creates it for the two of them, and starts there', async () => {
    world = await startMend();
    const w = world;
    const offer = await w.alex.slash('talk', { flow: 'ground-rules', partner: w.sam.id }, { channel: 'general' });
    expect(offer.ephemeral).toBe(true);
    expect(w.discord.channelMessages('general')).toEqual([]);
    const made = await w.alex.click(offer, 'Create a private channel for us');
    expect(made.ephemeral).toBe(true);
    await made.waitForReply();
    const created = w.discord.channels().find((c) => 'name' in c && c.name?.startsWith('mend-'));
    if (!created) throw new Error('no channel created');
    expect(w.alex.canSee(created.id)).toBe(true);
    expect(w.sam.canSee(created.id)).toBe(true);
    expect(w.robin.canSee(created.id)).toBe(false);
    await waitFor(() => answerMessage(w, created.id) !== undefined, 'the first prompt in the new channel');
    expect(w.discord.violations()).toEqual([]);
  });

  it('says plainly when it lacks Manage Channels', async () => {
    const { DEFAULT_BOT_PERMISSIONS } = await import('../support/discord/index.js');
    world = await startMend({
      botPermissions: { botPermissions: DEFAULT_BOT_PERMISSIONS.filter((p) => p !== 'ManageChannels') },
    });
    const w = world;
    const offer = await w.alex.slash('talk', { flow: 'ground-rules', partner: w.sam.id }, { channel: 'general' });
    const made = await w.alex.click(offer, 'Create a private channel for us');
    const reply = await made.waitForReply();
    expect(normalise(JSON.stringify(reply.embeds))).toContain('Manage Channels');
    expect(w.discord.channels().some((c) => 'name' in c && c.name?.startsWith('mend-'))).toBe(false);
    expect(w.discord.violations()).toEqual([]);
  });
});

describe('pausing and picking up', () => {
  it('Pause asks how long, posts the break for both, and /talk offers to pick it up or end it', async () => {
    world = await startMend();
    const w = world;
    await talk(w, 'ground-rules');
    const prompt = answerMessage(w, 'couple');
    if (!prompt) throw new Error('no prompt');
    const asked = await w.sam.click(prompt, 'Pause');
    expect(asked.ephemeral).toBe(true);
    const before = w.discord.channelMessages('couple').length;
    const picked = await w.sam.select(asked, 'mend:break', ['60']);
    expect(picked.kind).toBe('update');
    await waitFor(() => w.discord.channelMessages('couple').length > before, 'the break message');
    const breakMessage = w.discord.channelMessages('couple').at(-1);
    expect(normalise(JSON.stringify(breakMessage?.embeds))).toContain('Sam asked for a break until');
    expect((await w.sessions.view(w.discord.channelId('couple')))?.status).toBe('paused');

    // /talk in the channel: pick it up, or end it.
    const offer = await w.alex.slash('talk', {}, { channel: 'couple' });
    expect(offer.ephemeral).toBe(true);
    expect(normalise(JSON.stringify(offer.message?.embeds))).toContain('already open here and on a break');
    const resumed = await w.alex.click(offer, 'Pick it up again');
    expect(resumed.ephemeral).toBe(true);
    await waitFor(
      () => answerMessage(w, 'couple') !== undefined && (w.discord.channelMessages('couple').length ?? 0) > before + 1,
      'the prompt again',
    );
    expect((await w.sessions.view(w.discord.channelId('couple')))?.status).toBe('active');
    expect(w.discord.violations()).toEqual([]);
  });

  it('End asks to confirm, then ends for both and posts the summary of what was written', async () => {
    world = await startMend();
    const w = world;
    await talk(w, 'admit-mistake');
    const prompt = answerMessage(w, 'couple');
    if (!prompt) throw new Error('no prompt');
    const confirm = await w.sam.click(prompt, 'End');
    expect(confirm.ephemeral).toBe(true);
    await w.sam.click(confirm, 'Yes, end it');
    await wholeSummary(w, 'couple');
    expect(channelText(w, 'couple', summaryStart(w, 'couple'))).toContain('Sam ended the conversation');
    expect(w.discord.violations()).toEqual([]);
  });
});

describe('sealed answers', () => {
  it('needs discovery: the guesses stay hidden until they can be shown beside the real answers', async () => {
    world = await startMend();
    const w = world;
    const flow = flows.get('needs-discovery');
    if (!flow) throw new Error('missing flow');
    const script = completionScript(flow);
    await talk(w, 'needs-discovery');
    const guesses = script.filter((e) => e.step === 'guess').map((e) => normalise(e.value.text ?? ''));
    expect(guesses).toHaveLength(2);
    let sawCompare = false;
    for (const event of script) {
      if (event.step === 'compare' && !sawCompare) {
        sawCompare = true;
        // Now, and only now, the guesses appear: quoted beside the answers.
        await waitFor(() => answerMessage(w, 'couple') !== undefined, 'the compare prompt');
        for (const guess of guesses) expect(channelText(w, 'couple')).toContain(guess);
      }
      if (!sawCompare) for (const guess of guesses) expect(channelText(w, 'couple')).not.toContain(guess);
      await answerThroughDiscord(w, 'couple', event.by === 'a' ? w.alex : w.sam, event.value);
    }
    expect(sawCompare).toBe(true);
    expect(w.discord.violations()).toEqual([]);
  }, 60_000);
});
