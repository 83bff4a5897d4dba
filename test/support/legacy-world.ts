/**
 * THE OLD WAY, kept only while the end-to-end tests move to conversation.ts and mend-world.ts; it goes when
 * the last of them has moved.
 *
 * Mend running for real against the local Discord: the actual bot (src/discord/bot.ts) with a
 * SQLite store in a temporary folder, logged in with the real discord.js client. Tests act as the
 * partners through the emulator's users — clicking what the bot posted, filling in the forms it
 * opened — so an end-to-end test reads like the conversation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { APIMessage } from 'discord.js';
import { type Bot, startBot } from '../../src/discord/bot.js';
import { decodeCustomId } from '../../src/discord/custom-ids.js';
import type { FlowEvent } from '../../src/engine/flow-kit.js';
import { type FlowRegistry, loadFlows } from '../../src/engine/flow-registry.js';
import { SessionService } from '../../src/engine/session.js';
import { type Codec, openStore, type Store } from '../../src/engine/store.js';
import { createLogger } from '../../src/log.js';
import { type BotResponse, coupleScenario, type DiscordUser, LocalDiscord } from './discord/index.js';

export interface MendWorld {
  discord: LocalDiscord;
  bot: Bot;
  store: Store;
  sessions: SessionService;
  flows: FlowRegistry;
  /** The SQLite file behind the store. */
  file: string;
  /** Every log line the bot wrote, as text. */
  logs: string[];
  alex: DiscordUser;
  sam: DiscordUser;
  robin: DiscordUser;
  stop(): Promise<void>;
}

export interface WorldOptions {
  discord?: LocalDiscord;
  file?: string;
  botPermissions?: Parameters<typeof coupleScenario>[0];
  /** Encrypts the store (STORE_ENCRYPTION_KEY). */
  codec?: Codec;
  /** A fake clock for reminders, breaks, expiry and retention. */
  now?: () => number;
  time?: { reminderMs: number; expiryMs: number; retentionMs: number };
}

export async function startMend(options: WorldOptions = {}): Promise<MendWorld> {
  const discord = options.discord ?? (await LocalDiscord.start({ scenario: coupleScenario(options.botPermissions) }));
  const dir = options.file ? undefined : mkdtempSync(join(tmpdir(), 'mend-e2e-'));
  const file = options.file ?? join(dir ?? '', 'mend.sqlite');
  const store = await openStore({ url: `sqlite://${file}`, ...(options.codec ? { codec: options.codec } : {}) });
  const flows = await loadFlows();
  const now = options.now ?? Date.now;
  const sessions = new SessionService({ store, flows, now });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const log = createLogger({ logLevel: 'debug', logPretty: false }, sink);
  const bot = await startBot({
    token: discord.botToken,
    apiUrl: discord.apiUrl,
    guildId: discord.guildId(),
    sessions,
    flows,
    store,
    log,
    sweepEveryMs: 100,
    retryBaseMs: 100,
    now,
    ...(options.time ? { time: options.time } : {}),
  });
  return {
    discord,
    bot,
    store,
    sessions,
    flows,
    file,
    logs,
    alex: discord.user('alex'),
    sam: discord.user('sam'),
    robin: discord.user('robin'),
    async stop() {
      await bot.stop();
      await store.close();
      if (!options.discord) await discord.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The latest message (channel, or a user's private ones) that answers the current prompt. */
export function answerMessage(
  world: Pick<MendWorld, 'discord'>,
  channel: string,
  user?: DiscordUser,
): APIMessage | undefined {
  const own = user ? [...world.discord.ephemeralsFor(user.id)].reverse().find(isAnswerable) : undefined;
  if (own) return own;
  return [...world.discord.channelMessages(channel)].reverse().find(isAnswerable);
}

/**
 * One partner answers the current prompt through Discord, as a person would: a choice button,
 * or the "write" button and then the form it opens.
 */
export async function answerThroughDiscord(
  world: Pick<MendWorld, 'discord'>,
  channel: string,
  user: DiscordUser,
  value: Extract<FlowEvent, { type: 'ANSWER' }>['value'],
): Promise<BotResponse> {
  // The bot posts the next prompt after acknowledging the last answer: give it a moment.
  await waitFor(
    () => answerMessage(world, channel, user) !== undefined,
    `a prompt for ${user.key} in #${channel}`,
    3000,
  ).catch(() => undefined);
  const message = answerMessage(world, channel, user);
  if (!message) throw new Error(`${user.key}: no prompt to answer in #${channel}`);
  if (value.choice !== undefined && value.note === undefined) {
    const direct = buttonFor(message, 'choose', value.choice);
    if (direct) return user.click(message, direct);
  }
  const opener = buttonFor(message, 'write', value.choice);
  if (!opener) throw new Error(`${user.key}: no button for ${JSON.stringify(value).slice(0, 80)}`);
  const form = await user.click(message, opener);
  if (form.kind !== 'modal')
    throw new Error(
      `${user.key}: expected a form, got ${form.kind}: ${JSON.stringify(form.message?.embeds?.[0]?.description ?? '')}`,
    );
  const fields: Record<string, string | string[]> = {};
  if (value.text !== undefined) fields.text = value.text;
  if (value.picks) fields.picks = value.picks;
  if (value.items) fields.items = value.items.join('\n');
  if (value.note !== undefined) fields.note = value.note;
  return user.submitModal(form, fields);
}

/** The partners play scripted answers through Discord, one after another (Alex is 'a', Sam 'b'). */
export async function playThroughDiscord(
  world: Pick<MendWorld, 'discord'>,
  channel: string,
  events: readonly Extract<FlowEvent, { type: 'ANSWER' }>[],
): Promise<void> {
  for (const event of events) {
    const user = world.discord.user(event.by === 'a' ? 'alex' : 'sam');
    await answerThroughDiscord(world, channel, user, event.value);
  }
}

/** Waits until the whole summary is posted (its last section is the next step); returns its text. */
export async function wholeSummary(
  world: Pick<MendWorld, 'discord'>,
  channel: string,
  timeoutMs = 10_000,
): Promise<string> {
  await waitFor(() => summaryStart(world, channel) >= 0, 'the summary', timeoutMs);
  await waitFor(
    () => channelText(world, channel, summaryStart(world, channel)).includes('A next step'),
    'the whole summary',
    timeoutMs,
  );
  return channelText(world, channel, summaryStart(world, channel));
}

/** Every description and title the bot posted in a channel, unescaped, whitespace collapsed. */
export function channelText(world: Pick<MendWorld, 'discord'>, channel: string, from = 0): string {
  return normalise(
    world.discord
      .channelMessages(channel)
      .slice(from)
      .flatMap((m) => [m.content ?? '', ...(m.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? ''])])
      .join('\n'),
  );
}

/** Undo Discord markdown escaping and collapse whitespace, to compare text "in full". */
export function normalise(text: string): string {
  return text
    .replace(/\\([\\*_~`|>#\-[\]()<:.!+=])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Index of the message that opens the summary in a channel (or -1). */
export function summaryStart(world: Pick<MendWorld, 'discord'>, channel: string): number {
  return world.discord.channelMessages(channel).findIndex((m) => m.embeds?.[0]?.title?.startsWith('Summary · '));
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const customIdsOf = (message: APIMessage): string[] =>
  (message.components ?? []).flatMap((row) =>
    'components' in row ? row.components.flatMap((c) => ('custom_id' in c && c.custom_id ? [c.custom_id] : [])) : [],
  );

/** A message with a "write" or "choose" button: a prompt someone can answer. */
export const isAnswerable = (message: APIMessage): boolean =>
  customIdsOf(message).some((id) => {
    const parsed = decodeCustomId(id);
    return parsed?.action === 'write' || parsed?.action === 'choose';
  });

/** The prompt key a message's buttons belong to. */
export function promptKeyOf(message: APIMessage): string | undefined {
  for (const id of customIdsOf(message)) {
    const parsed = decodeCustomId(id);
    if (parsed && 'key' in parsed) return parsed.key;
  }
  return undefined;
}

/** The custom_id of a button on a message that does `action` (and, for choices, picks `choice`). */
export function buttonFor(message: APIMessage, action: 'write' | 'choose', choice?: string): string | undefined {
  return customIdsOf(message).find((id) => {
    const parsed = decodeCustomId(id);
    if (!parsed || parsed.action !== action) return false;
    return choice === undefined || ('choice' in parsed && parsed.choice === choice);
  });
}
