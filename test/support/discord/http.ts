import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { EmulatorCore, Route, RouteRequest, RouteResult } from './context.js';
import { DiscordHttpError, notFound, unauthorized } from './errors.js';
import type { UploadedFile } from './messages.js';

const API_PREFIX = '/api/v10';

interface CompiledRoute {
  route: Route;
  routeKey: string;
  segments: string[];
}

interface ReadBody {
  body: unknown;
  files: UploadedFile[];
}

/**
 * The REST side: matches `/api/v10/...` against the route table, reads JSON or multipart bodies, applies
 * planned failures and the bot-token check, and records every request with its outcome. WebSocket upgrades on
 * `/gateway` go to the gateway.
 */
export function createHttpServer(
  core: EmulatorCore,
  routes: readonly Route[],
  onUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void,
): Server {
  const compiled = routes.map(
    (route): CompiledRoute => ({
      route,
      routeKey: `${route.method} ${route.template}`,
      segments: route.template.split('/').filter(Boolean),
    }),
  );
  const server = createServer((request, response) => {
    // In flight from the moment it arrives until its answer is written (or the connection drops).
    const done = core.activity.begin(`${request.method ?? 'GET'} ${request.url ?? '/'}`);
    response.once('close', done);
    serve(core, compiled, request, response).catch((error: unknown) => {
      core.recorder.violation('EMULATOR', `internal error: ${String(error)}`);
      send(response, { status: 500, body: { message: '500: Internal Server Error', code: 0 } });
    });
  });
  server.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://local').pathname === '/gateway') onUpgrade(request, socket, head);
    else socket.destroy();
  });
  return server;
}

/** Every route key the emulator serves, so a fault plan for a misspelt route fails loudly. */
export function routeKeys(routes: readonly Route[]): string[] {
  return routes.map((r) => `${r.method} ${r.template}`);
}

async function serve(core: EmulatorCore, routes: CompiledRoute[], request: IncomingMessage, response: ServerResponse) {
  const url = new URL(request.url ?? '/', 'http://local');
  const method = request.method ?? 'GET';
  const { body, files } = await readBody(request);
  const fullPath = url.pathname;
  const record = (route: string | null, result: RouteResult, note: string | null = null) => {
    core.recorder.request({ method, path: fullPath, route, status: result.status, body, note });
    send(response, result);
  };

  if (!fullPath.startsWith(`${API_PREFIX}/`)) {
    core.recorder.violation(`${method} ${fullPath}`, `not under ${API_PREFIX} (check the REST api option)`, body);
    return record(null, { status: 404, body: notFound().body() });
  }
  const segments = fullPath.slice(API_PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
  const match = matchRoute(routes, method, segments);
  if (!match) {
    const path = `/${segments.join('/')}`;
    core.recorder.violation(
      `${method} ${path}`,
      'route not implemented by the local Discord (or not a Discord route)',
      body,
    );
    return record(null, { status: 404, body: notFound().body() });
  }
  const { compiledRoute, params } = match;
  const routeRequest: RouteRequest = {
    method,
    path: `/${segments.join('/')}`,
    routeKey: compiledRoute.routeKey,
    params,
    query: url.searchParams,
    body,
    files,
  };

  const plannedFailure = core.faults.take(compiledRoute.routeKey);
  if (plannedFailure !== null) {
    const failure = { message: `${plannedFailure}: planned failure`, code: 0 };
    return record(compiledRoute.routeKey, { status: plannedFailure, body: failure }, 'planned by failNext');
  }
  if (compiledRoute.route.auth === 'bot' && request.headers.authorization !== `Bot ${core.botToken}`) {
    core.recorder.violation(compiledRoute.routeKey, 'missing or wrong Authorization header (expected "Bot <token>")');
    return record(compiledRoute.routeKey, { status: 401, body: unauthorized().body() });
  }
  try {
    const result = await compiledRoute.route.handle(routeRequest, core);
    return record(compiledRoute.routeKey, result);
  } catch (error) {
    if (error instanceof DiscordHttpError) {
      return record(compiledRoute.routeKey, { status: error.status, body: error.body() }, error.note);
    }
    throw error;
  }
}

function matchRoute(routes: CompiledRoute[], method: string, segments: string[]) {
  for (const compiledRoute of routes) {
    if (compiledRoute.route.method !== method || compiledRoute.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = compiledRoute.segments.every((part, i) => {
      const actual = segments[i] as string;
      if (part.startsWith(':')) {
        params[part.slice(1)] = actual;
        return true;
      }
      return part === actual;
    });
    if (matches) return { compiledRoute, params };
  }
  return null;
}

async function readBody(request: IncomingMessage): Promise<ReadBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return { body: undefined, files: [] };
  const contentType = request.headers['content-type'] ?? '';
  if (contentType.startsWith('multipart/form-data')) return readMultipart(raw, contentType);
  const text = raw.toString('utf8');
  try {
    return { body: JSON.parse(text), files: [] };
  } catch {
    return { body: text, files: [] };
  }
}

/**
 * discord.js sends `payload_json` plus `files[n]` parts when a message has attachments. Each file's bytes
 * are kept, so a test can read what the bot sent (`LocalDiscord.attachment`).
 */
async function readMultipart(raw: Buffer, contentType: string): Promise<ReadBody> {
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const payload = form.get('payload_json');
  const files: UploadedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (field === 'payload_json' || typeof value === 'string') continue;
    files.push({
      name: value.name,
      size: value.size,
      contentType: value.type || 'application/octet-stream',
      data: Buffer.from(await value.arrayBuffer()),
    });
  }
  return { body: typeof payload === 'string' ? JSON.parse(payload) : undefined, files };
}

function send(response: ServerResponse, result: RouteResult) {
  if (result.status === 204 || result.body === undefined) {
    response.writeHead(result.status === 200 ? 204 : result.status).end();
    return;
  }
  const json = JSON.stringify(result.body);
  response.writeHead(result.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
  });
  response.end(json);
}
