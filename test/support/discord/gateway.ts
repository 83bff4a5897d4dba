import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayIntentBits, GatewayOpcodes } from 'discord.js';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { newSessionId, shardOfGuild } from './ids.js';
import { isRecord } from './json.js';
import type { Recorder } from './recorder.js';
import type { DiscordState } from './state.js';

interface SentDispatch {
  op: GatewayOpcodes.Dispatch;
  t: string;
  s: number;
  d: unknown;
}

interface GatewaySession {
  id: string;
  /** The shard this session identified as (`[0, 1]` when the bot does not shard). */
  shard: number;
  intents: number;
  sequence: number;
  socket: WebSocket | null;
  /** Sent dispatches, replayed after a RESUME, as Discord does for a dropped connection. */
  sent: SentDispatch[];
}

export interface GatewayOptions {
  state: DiscordState;
  recorder: Recorder;
  botToken: string;
  heartbeatIntervalMs: number;
  /** How many shards Discord expects (what GET /gateway/bot recommends); each guild belongs to one. */
  shardCount: number;
  /** ws://host:port/gateway, also the resume_gateway_url. */
  url: () => string;
}

const REPLAY_BUFFER = 1000;
const CloseCodes = {
  UnknownError: 4000,
  UnknownOpcode: 4001,
  DecodeError: 4002,
  NotAuthenticated: 4003,
  AuthenticationFailed: 4004,
  AlreadyAuthenticated: 4005,
  InvalidShard: 4010,
  ShardingRequired: 4011,
  InvalidApiVersion: 4012,
} as const;

/**
 * The gateway: HELLO, IDENTIFY → READY + one GUILD_CREATE per guild, heartbeats, RESUME with replay, and
 * dispatches filtered by the intents the bot identified with. Uncompressed JSON only, like discord.js uses
 * when zlib-sync is not installed.
 *
 * Shards, as Discord runs them: each IDENTIFY names its shard (`shard: [id, count]`, `[0, 1]` when left
 * out), and a session gets only its own guilds (in READY and GUILD_CREATE) and their events, a guild
 * belonging to shard `(guild_id >> 22) % count`. Several bot processes may each hold some of the shards.
 * A count other than the one Discord expects is refused (4011 when too few, 4010 otherwise); an id outside
 * the count is 4010.
 */
export class Gateway {
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  /** One session per shard id. */
  private readonly sessions = new Map<number, GatewaySession>();
  private readonly readyListeners = new Set<() => void>();

  constructor(private readonly options: GatewayOptions) {
    this.server.on('connection', (socket: WebSocket, request: IncomingMessage) => this.accept(socket, request));
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer) {
    this.server.handleUpgrade(request, socket, head, (ws) => this.server.emit('connection', ws, request));
  }

  /** True while every shard has an identified (or resumed) open connection. */
  get connected(): boolean {
    return this.shardIds().every((shard) => this.shardConnected(shard));
  }

  /** True while this shard has an identified (or resumed) open connection. */
  shardConnected(shard: number): boolean {
    return this.sessions.get(shard)?.socket?.readyState === WebSocket.OPEN;
  }

  /** True once the bot has identified, even if its connection is dropped right now (events are then buffered). */
  get hasSession(): boolean {
    return this.sessions.size > 0;
  }

  /** True once the shard that owns this guild has identified (its events are buffered while it is down). */
  hasSessionFor(guildId: string | null | undefined): boolean {
    return this.sessions.has(this.shardOf(guildId));
  }

  intents(): number {
    return this.sessions.get(0)?.intents ?? [...this.sessions.values()][0]?.intents ?? 0;
  }

  /** The shard that receives a guild's events (events outside any guild go to shard 0, as DMs do). */
  shardOf(guildId: string | null | undefined): number {
    return guildId ? shardOfGuild(guildId, this.options.shardCount) : 0;
  }

  /**
   * Sends an event to the shard that owns `guildId` (shard 0 without one). Returns false when that session's
   * intents exclude it. While its connection is down the event is kept and replayed on RESUME.
   */
  dispatch(event: string, data: unknown, requiredIntent?: GatewayIntentBits, guildId?: string | null): boolean {
    const session = this.sessions.get(this.shardOf(guildId ?? guildIdIn(data)));
    if (!session) {
      throw new Error(
        `The bot has not logged in to the local Discord yet on shard ${this.shardOf(guildId ?? guildIdIn(data))} (no IDENTIFY received)`,
      );
    }
    if (requiredIntent !== undefined && (session.intents & requiredIntent) === 0) return false;
    session.sequence += 1;
    const payload: SentDispatch = { op: GatewayOpcodes.Dispatch, t: event, s: session.sequence, d: data };
    session.sent.push(payload);
    if (session.sent.length > REPLAY_BUFFER) session.sent.shift();
    if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(JSON.stringify(payload));
    return true;
  }

  /** Closes the bot's connections (or one shard's) as a network drop would; discord.js reconnects and resumes. */
  dropConnection(code: number = CloseCodes.UnknownError, shard?: number) {
    for (const session of this.sessions.values()) {
      if (shard === undefined || session.shard === shard)
        session.socket?.close(code, 'local-discord: simulated disconnect');
    }
  }

  /** Resolves once the bot is identified or resumed and connected. */
  waitForConnection(timeoutMs: number): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.readyListeners.delete(done);
        reject(new Error(`The bot did not connect to the local Discord gateway within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.readyListeners.delete(done);
        resolve();
      };
      this.readyListeners.add(done);
    });
  }

  close() {
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
    this.server.close();
  }

  private accept(socket: WebSocket, request: IncomingMessage) {
    this.sockets.add(socket);
    socket.on('close', (code) => this.onClose(socket, code));
    socket.on('error', () => socket.terminate());
    const query = new URL(request.url ?? '/', 'http://local').searchParams;
    if (query.get('v') !== '10' || query.get('encoding') !== 'json') {
      this.options.recorder.violation('GATEWAY', `connected with ${request.url}; expected ?v=10&encoding=json`);
      socket.close(CloseCodes.InvalidApiVersion, 'Invalid API version');
      return;
    }
    if (query.has('compress')) {
      this.options.recorder.violation('GATEWAY', 'transport compression is not supported by the local Discord');
      socket.close(CloseCodes.DecodeError, 'Compression not supported');
      return;
    }
    let identified = false;
    this.send(socket, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs } });
    socket.on('message', (raw: RawData) => {
      const payload = parse(raw);
      if (!payload) {
        socket.close(CloseCodes.DecodeError, 'Decode error');
        return;
      }
      switch (payload.op) {
        case GatewayOpcodes.Heartbeat:
          this.send(socket, { op: GatewayOpcodes.HeartbeatAck, d: null });
          return;
        case GatewayOpcodes.Identify:
          if (identified) socket.close(CloseCodes.AlreadyAuthenticated, 'Already authenticated');
          else identified = this.identify(socket, payload.d);
          return;
        case GatewayOpcodes.Resume:
          identified = this.resume(socket, payload.d);
          return;
        case GatewayOpcodes.PresenceUpdate:
        case GatewayOpcodes.VoiceStateUpdate:
        case GatewayOpcodes.RequestGuildMembers:
          if (!identified) socket.close(CloseCodes.NotAuthenticated, 'Not authenticated');
          return;
        default:
          socket.close(CloseCodes.UnknownOpcode, 'Unknown opcode');
      }
    });
  }

  private identify(socket: WebSocket, data: unknown): boolean {
    const identify = isRecord(data) ? data : {};
    if (identify.token !== this.options.botToken) {
      this.options.recorder.violation('GATEWAY', 'IDENTIFY with a token the local Discord did not issue');
      socket.close(CloseCodes.AuthenticationFailed, 'Authentication failed');
      return false;
    }
    const shardPair = Array.isArray(identify.shard) ? identify.shard : [0, 1];
    const [shard, count] = shardPair.map(Number) as [number, number];
    const expected = this.options.shardCount;
    if (!Number.isInteger(shard) || !Number.isInteger(count) || shard < 0 || shard >= count || count !== expected) {
      const tooFew = Number.isInteger(count) && count < expected;
      this.options.recorder.violation(
        'GATEWAY',
        `IDENTIFY with shard ${JSON.stringify(identify.shard)}; this Discord runs ${expected} shard(s) (ids 0–${expected - 1})`,
      );
      socket.close(
        tooFew ? CloseCodes.ShardingRequired : CloseCodes.InvalidShard,
        tooFew ? 'Sharding required' : 'Invalid shard',
      );
      return false;
    }
    const { state } = this.options;
    const intents = typeof identify.intents === 'number' ? identify.intents : 0;
    const session: GatewaySession = { id: newSessionId(), shard, intents, sequence: 0, socket, sent: [] };
    // A new IDENTIFY for a shard replaces its session: what was buffered for the old one is lost, as on Discord.
    this.sessions.set(shard, session);
    const own = state.allGuilds().filter((g) => this.shardOf(g.id) === shard);
    this.send(socket, {
      op: GatewayOpcodes.Dispatch,
      t: 'READY',
      s: ++session.sequence,
      d: {
        v: 10,
        user: { ...state.apiUser(state.botUser.id), verified: true, mfa_enabled: false },
        guilds: own.map((g) => ({ id: g.id, unavailable: true })),
        session_id: session.id,
        resume_gateway_url: this.options.url(),
        shard: [shard, count],
        application: { id: state.applicationId, flags: 0 },
      },
    });
    const withAllMembers = (intents & GatewayIntentBits.GuildMembers) !== 0;
    for (const guild of own) {
      this.dispatch('GUILD_CREATE', state.apiGuildCreate(guild, withAllMembers), GatewayIntentBits.Guilds, guild.id);
    }
    this.notifyConnected();
    return true;
  }

  private shardIds(): number[] {
    return Array.from({ length: this.options.shardCount }, (_, i) => i);
  }

  private resume(socket: WebSocket, data: unknown): boolean {
    const resume = isRecord(data) ? data : {};
    const session = [...this.sessions.values()].find((s) => s.id === resume.session_id);
    if (!session || resume.token !== this.options.botToken) {
      this.send(socket, { op: GatewayOpcodes.InvalidSession, d: false });
      return false;
    }
    session.socket = socket;
    const lastSeen = typeof resume.seq === 'number' ? resume.seq : 0;
    for (const missed of session.sent.filter((p) => p.s > lastSeen)) socket.send(JSON.stringify(missed));
    this.send(socket, { op: GatewayOpcodes.Dispatch, t: 'RESUMED', s: ++session.sequence, d: null });
    this.notifyConnected();
    return true;
  }

  private onClose(socket: WebSocket, code: number) {
    this.sockets.delete(socket);
    const session = [...this.sessions.values()].find((s) => s.socket === socket);
    if (!session) return;
    session.socket = null;
    // A clean close (1000/1001) ends the session on Discord: the client must IDENTIFY again.
    if (code === 1000 || code === 1001) this.sessions.delete(session.shard);
  }

  private notifyConnected() {
    for (const listener of [...this.readyListeners]) listener();
  }

  private send(socket: WebSocket, payload: { op: GatewayOpcodes; d: unknown; s?: number; t?: string }) {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ s: null, t: null, ...payload }));
  }
}

/** The guild an event belongs to, read off its payload (`guild_id`), when it has one. */
function guildIdIn(data: unknown): string | undefined {
  return isRecord(data) && typeof data.guild_id === 'string' ? data.guild_id : undefined;
}

function parse(raw: RawData): { op: number; d: unknown } | null {
  try {
    const value: unknown = JSON.parse(raw.toString());
    return isRecord(value) && typeof value.op === 'number' ? { op: value.op, d: value.d } : null;
  } catch {
    return null;
  }
}
