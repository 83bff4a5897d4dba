import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIApplicationCommand, APIChannel, APIMessage } from 'discord.js';
import { Activity } from './activity.js';
import type { EmulatorCore } from './context.js';
import { FaultPlan } from './faults.js';
import { Gateway } from './gateway.js';
import { createHttpServer, routeKeys } from './http.js';
import { SnowflakeFactory } from './ids.js';
import { InteractionRegistry, type InteractionTiming } from './interactions.js';
import { LIMITS } from './limits.js';
import type { Pings } from './mentions.js';
import { MessageStore, type StoredMessage, type TimelineEntry } from './messages.js';
import { type RecordedRequest, Recorder, type Violation } from './recorder.js';
import { applicationRoutes } from './rest-application.js';
import { channelRoutes } from './rest-channels.js';
import { guildRoutes } from './rest-guilds.js';
import { interactionRoutes } from './rest-interactions.js';
import { coupleScenario, type Scenario } from './scenario.js';
import { type SettledOptions, settle } from './settling.js';
import { DiscordState } from './state.js';
import { DiscordUser } from './users.js';
import { waitForMessages } from './waiting.js';

export interface LocalDiscordOptions {
  /** The world the bot logs in to. Default: `coupleScenario()`. */
  scenario?: Scenario;
  /** How long the bot has for its first response to an interaction. Default 3000 (Discord's rule). */
  firstResponseDeadlineMs?: number;
  /** How long an interaction token works for follow-ups and edits. Default 15 minutes (Discord's rule). */
  interactionTokenLifetimeMs?: number;
  /** The heartbeat interval announced in HELLO. Default 41250 ms, as Discord. */
  heartbeatIntervalMs?: number;
  /**
   * How many shards this Discord runs (GET /gateway/bot recommends it; IDENTIFY must use it). Each guild's
   * events go to its shard, `(guild_id >> 22) % shardCount`; the scenario's guilds are spread over the shards
   * in turn unless they name one. Default 1.
   */
  shardCount?: number;
  /** The bot token the emulator accepts. Default: a fixed fake token. */
  botToken?: string;
  /**
   * Bytes per attachment the server allows (and tells the bot in each interaction's `attachment_size_limit`).
   * Default 10 MiB, Discord's limit without boosts; a test of splitting files sets a small one.
   */
  attachmentSizeLimit?: number;
}

export interface FailNextOptions {
  /** Default 500. */
  status?: number;
  /** How many requests in a row fail. Default 1. */
  times?: number;
}

const ROUTES = [...applicationRoutes, ...guildRoutes, ...channelRoutes, ...interactionRoutes];
const DEFAULT_TOKEN = 'local-discord.bot-token.not-a-secret';
const DEFAULT_WAIT_MS = 2000;

/**
 * A local Discord for end-to-end tests: REST + gateway on 127.0.0.1 that the real discord.js client logs in to
 * (`rest: { api: discord.apiUrl }`). It keeps guilds, channels and messages in memory, validates every request
 * against Discord's published schema and documented limits, enforces the interaction rules, and lets tests act
 * as users (`discord.user('alex').slash(...)`).
 */
export class LocalDiscord {
  private constructor(
    private readonly core: EmulatorCore,
    private readonly server: Server,
    private readonly baseUrl: string,
  ) {}

  static async start(options: LocalDiscordOptions = {}): Promise<LocalDiscord> {
    const ids = new SnowflakeFactory();
    const recorder = new Recorder();
    const shardCount = options.shardCount ?? 1;
    if (!Number.isInteger(shardCount) || shardCount < 1) throw new Error(`shardCount must be 1 or more: ${shardCount}`);
    const state = new DiscordState(options.scenario ?? coupleScenario(), ids, shardCount);
    const botToken = options.botToken ?? DEFAULT_TOKEN;
    let gatewayUrl = '';
    const gateway = new Gateway({
      state,
      recorder,
      botToken,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      shardCount,
      url: () => gatewayUrl,
    });
    const core: EmulatorCore = {
      state,
      ids,
      recorder,
      gateway,
      botToken,
      attachmentSizeLimit: options.attachmentSizeLimit ?? LIMITS.attachmentBytes,
      messages: new MessageStore(state, ids),
      faults: new FaultPlan(),
      activity: new Activity(),
      interactions: new InteractionRegistry(
        {
          firstResponseDeadlineMs: options.firstResponseDeadlineMs ?? 3000,
          tokenLifetimeMs: options.interactionTokenLifetimeMs ?? 15 * 60 * 1000,
        },
        recorder,
      ),
      gatewayUrl: () => gatewayUrl,
    };
    const server = createHttpServer(core, ROUTES, (request, socket, head) =>
      gateway.handleUpgrade(request, socket, head),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    gatewayUrl = `ws://127.0.0.1:${port}/gateway`;
    return new LocalDiscord(core, server, `http://127.0.0.1:${port}`);
  }

  // ---- connecting the bot --------------------------------------------------------------------------------

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return this.baseUrl;
  }

  /** What to pass as discord.js's `rest.api` (it appends `/v10`). */
  get apiUrl(): string {
    return `${this.baseUrl}/api`;
  }

  get botToken(): string {
    return this.core.botToken;
  }

  get applicationId(): string {
    return this.core.state.applicationId;
  }

  get botUserId(): string {
    return this.core.state.botUser.id;
  }

  get botConnected(): boolean {
    return this.core.gateway.connected;
  }

  /** How many shards this Discord runs. */
  get shardCount(): number {
    return this.core.state.shardCount;
  }

  /** The shard a guild's events go to (by key or id): `(guild_id >> 22) % shardCount`. */
  shardOf(guildKeyOrId: string): number {
    return this.core.gateway.shardOf(this.guildId(guildKeyOrId));
  }

  /** True while this shard has an open, identified connection. */
  shardConnected(shard: number): boolean {
    return this.core.gateway.shardConnected(shard);
  }

  /** Resolves once every shard has identified (or resumed) on the gateway. */
  waitForBot(timeoutMs = 5000): Promise<void> {
    return this.core.gateway.waitForConnection(timeoutMs);
  }

  /** Drops the bot's gateway connection (close code 4000); discord.js resumes and missed events are replayed. */
  disconnectBot(shard?: number) {
    this.core.gateway.dropConnection(undefined, shard);
  }

  // ---- the world -----------------------------------------------------------------------------------------

  /** A person from the scenario, by key ("alex") or id, to act as. */
  user(keyOrId: string): DiscordUser {
    return new DiscordUser(this.core, this.core.state.user(keyOrId));
  }

  guildId(key?: string): string {
    const guild = key ? this.core.state.guild(key) : this.core.state.allGuilds()[0];
    if (!guild) throw new Error('The scenario has no guild');
    return guild.id;
  }

  channelId(keyOrId: string): string {
    return this.core.state.channel(keyOrId).id;
  }

  /** A channel as the API shows it (including channels the bot created). */
  channel(keyOrId: string): APIChannel {
    return this.core.state.apiChannel(this.core.state.channel(keyOrId));
  }

  /** Channels in a guild, in creation order. */
  channels(guildKey?: string): APIChannel[] {
    return this.core.state.guildChannels(this.guildId(guildKey)).map((c) => this.core.state.apiChannel(c));
  }

  /** Commands the bot registered: global with no argument, or for a guild key/id. */
  commands(guildKeyOrId?: string): APIApplicationCommand[] {
    return this.core.state.commands(guildKeyOrId ? this.core.state.guild(guildKeyOrId).id : null);
  }

  // ---- messages ------------------------------------------------------------------------------------------

  /** Non-ephemeral messages in a channel, oldest first, with edits applied. */
  channelMessages(channelKeyOrId: string): APIMessage[] {
    return this.core.messages.inChannel(this.channelId(channelKeyOrId)).map((s) => s.message);
  }

  lastMessage(channelKeyOrId: string): APIMessage | undefined {
    return this.channelMessages(channelKeyOrId).at(-1);
  }

  message(id: string): APIMessage | undefined {
    return this.core.messages.get(id)?.message;
  }

  /** Resolves with the first message in the channel (already there or arriving, or edited to) that matches. */
  waitForMessage(
    channelKeyOrId: string,
    predicate: (message: APIMessage) => boolean = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<APIMessage> {
    const channelId = this.channelId(channelKeyOrId);
    return waitForMessages(
      this.core.messages,
      () => this.core.messages.inChannel(channelId).find((s) => predicate(s.message))?.message,
      timeoutMs,
      () => `a matching message in #${this.core.state.channel(channelId).name}`,
    );
  }

  /**
   * Every message as it was created, edited or deleted, in order (channels and private notes alike): what
   * each person could read, and when. Transcripts and "read before the next prompt" checks read this.
   */
  timeline(): readonly TimelineEntry[] {
    return this.core.messages.timeline();
  }

  /**
   * The bytes of a file the bot attached to a message, by its file name (the message JSON only links to it,
   * as Discord's does). Throws, naming the files there are, when the message has no such attachment.
   */
  attachment(message: APIMessage | string, filename: string): Buffer {
    const stored = this.stored(message);
    const attachment = stored.message.attachments.find((a) => a.filename === filename);
    const bytes = attachment ? this.core.messages.attachmentBytes(attachment.id) : undefined;
    if (!bytes) {
      const names = stored.message.attachments.map((a) => a.filename).join(', ') || 'none';
      throw new Error(`Message ${stored.message.id} has no attachment "${filename}" (it has: ${names})`);
    }
    return bytes;
  }

  /** Ephemeral messages shown to a user (key or id), oldest first. */
  ephemeralsFor(userKeyOrId: string): APIMessage[] {
    return this.core.messages.ephemeralsFor(this.core.state.user(userKeyOrId).id).map((s) => s.message);
  }

  /**
   * Who a message the bot sent would notify, by Discord's rules (allowed_mentions vs the mentions in its content;
   * embeds never ping), over every version of the message.
   */
  pingsFrom(message: APIMessage | string): Pings {
    return this.core.messages.pingsFrom(this.stored(message));
  }

  /** Every message the bot sent (including ephemeral ones) whose pings are not `NO_PINGS`. */
  messagesThatPing(): { message: APIMessage; pings: Pings }[] {
    return this.core.messages
      .all()
      .map((s) => ({ message: s.message, pings: this.core.messages.pingsFrom(s) }))
      .filter(({ pings }) => pings.users.length + pings.roles.length > 0 || pings.everyone || pings.here);
  }

  // ---- waiting -------------------------------------------------------------------------------------------

  /**
   * Resolves once everything the bot was doing has reached the local Discord: every interaction dispatched has had
   * its first response (or was refused, or missed its deadline), no REST request is being served, and the optional
   * `busy()` probe (an in-process bot's own "handlers or sweeps still running") says false — all of it holding over
   * a short quiet window, so a follow-up the bot posts just after acknowledging is included. Rejects after
   * `timeoutMs` (default 5 s) saying what was still pending.
   */
  settled(options: SettledOptions = {}): Promise<void> {
    return settle(this.core, options);
  }

  /**
   * Resolves with the first non-undefined result of `find`, looked at now and after every message change
   * (created, edited, deleted; ephemeral ones too). For a bot in another process, where `settled()` cannot know
   * that the bot is still working, this waits for what the test expects to see.
   */
  waitUntil<T>(find: () => T | undefined, what: string, timeoutMs = DEFAULT_WAIT_MS): Promise<T> {
    return waitForMessages(this.core.messages, find, timeoutMs, () => what);
  }

  // ---- what was recorded ---------------------------------------------------------------------------------

  /** Everything the bot did that Discord would refuse or punish. A passing end-to-end test expects `[]`. */
  violations(): Violation[] {
    return this.core.recorder.violations();
  }

  /** Every REST request, in order, with the status the emulator answered. */
  requests(filter?: { route?: string; method?: string }): RecordedRequest[] {
    return this.core.recorder
      .requests()
      .filter((r) => (!filter?.route || r.route === filter.route) && (!filter?.method || r.method === filter.method));
  }

  /** First-response latency of each interaction, in dispatch order (what the e2e benchmark reads). */
  interactionTimings(): InteractionTiming[] {
    return this.core.interactions.timings();
  }

  // ---- faults --------------------------------------------------------------------------------------------

  /**
   * Makes the next `times` requests to a route fail with a 5xx, e.g.
   * `failNext('POST /channels/:channel_id/messages', { status: 503 })`. @discordjs/rest retries 5xx itself
   * (3 retries by default), so the bot's code only sees an error after more failures than that.
   */
  failNext(routeKey: string, { status = 500, times = 1 }: FailNextOptions = {}) {
    const known = routeKeys(ROUTES);
    if (!known.includes(routeKey))
      throw new Error(`failNext: unknown route "${routeKey}" (known: ${known.join(', ')})`);
    this.core.faults.failNext(routeKey, status, times);
  }

  /** Route keys the emulator serves (`METHOD /template`), for failNext and request filters. */
  static routes(): string[] {
    return routeKeys(ROUTES);
  }

  // ---- shutdown ------------------------------------------------------------------------------------------

  /** Closes the gateway sockets and the HTTP server. Destroy the discord.js client first to avoid reconnects. */
  async stop(): Promise<void> {
    this.core.interactions.close();
    this.core.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private stored(message: APIMessage | string): StoredMessage {
    const id = typeof message === 'string' ? message : message.id;
    const stored = this.core.messages.get(id);
    if (!stored) throw new Error(`No message ${id} (was it deleted?)`);
    return stored;
  }
}
