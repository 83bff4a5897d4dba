import type { Activity } from './activity.js';
import type { DiscordHttpError } from './errors.js';
import { invalidFormBody } from './errors.js';
import type { FaultPlan } from './faults.js';
import type { Gateway } from './gateway.js';
import type { SnowflakeFactory } from './ids.js';
import type { InteractionRegistry } from './interactions.js';
import type { MessageStore, UploadedFile } from './messages.js';
import type { Recorder } from './recorder.js';
import type { DiscordState } from './state.js';
import { type RequestBodyKind, requestBodyProblems } from './validation.js';

/** The parts of the emulator a route handler works with. */
export interface EmulatorCore {
  state: DiscordState;
  messages: MessageStore;
  interactions: InteractionRegistry;
  gateway: Gateway;
  recorder: Recorder;
  ids: SnowflakeFactory;
  faults: FaultPlan;
  /** REST requests being served now, for `settled()`. */
  activity: Activity;
  botToken: string;
  /** Bytes per file the guilds allow (10 MiB without boosts); interactions carry it as `attachment_size_limit`. */
  attachmentSizeLimit: number;
  gatewayUrl(): string;
}

export interface RouteRequest {
  method: string;
  /** The path after `/api/v10`, decoded segment by segment. */
  path: string;
  /** `METHOD /template/:param`, the name violations and fault plans use. */
  routeKey: string;
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  template: string;
  /** Interaction callbacks and webhook routes are authorized by their token, not the bot's. */
  auth: 'bot' | 'token-in-path';
  handle(request: RouteRequest, core: EmulatorCore): RouteResult | Promise<RouteResult>;
}

/** Records a violation for every problem and refuses the request the way Discord does (400 Invalid Form Body). */
export function refuseIfInvalid(core: EmulatorCore, request: RouteRequest, problems: readonly string[]) {
  if (problems.length === 0) return;
  for (const problem of problems) core.recorder.violation(request.routeKey, problem, request.body);
  throw invalidFormBody(problems).withNote(problems.join('; '));
}

export function validateBody(core: EmulatorCore, request: RouteRequest, kind: RequestBodyKind, body = request.body) {
  refuseIfInvalid(core, request, requestBodyProblems(kind, body));
}

/** A breach of Discord's interaction rules: recorded, then answered with Discord's own error. */
export function interactionRuleBroken(
  core: EmulatorCore,
  request: RouteRequest,
  reason: string,
  error: DiscordHttpError,
): DiscordHttpError {
  core.recorder.violation(request.routeKey, reason, request.body);
  return error.withNote(reason);
}
