/**
 * The playground's routes over one SessionService: the start page, one page per partner (opened
 * by its token, and only by it), the live part of that page and its event stream, and the forms
 * a partner posts (an answer, a break, picking it up again, ending, skipping a set-aside question,
 * erasing). Each form posts, the engine decides, and the page is shown again: a refusal with the
 * engine's kind words and what they typed; an accepted input with a redirect (so a reload never
 * sends it twice), while the other partner's page hears of it live.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Context, Hono } from 'hono';
import { BREAKS } from '../engine/break-lengths.js';
import { eraseCouple } from '../engine/erase.js';
import { type FlowRegistry, listedFlows, startableFlow } from '../engine/flow-registry.js';
import type { AnswerValue, PartnerId } from '../engine/flow-types.js';
import type { SessionInput, SessionService, SessionView } from '../engine/session.js';
import type { Store } from '../engine/store.js';
import { changeStream } from './change-stream.js';
import { answerFromForm, type FormBody, field } from './form-values.js';
import type { Html } from './html.js';
import { LiveUpdates } from './live.js';
import { messagePage } from './pages/layout.js';
import { partnerPage } from './pages/partner-page.js';
import { partnerView } from './pages/partner-view.js';
import { linksPage, NAME_MAX, startPage } from './pages/start-page.js';
import { refusalText } from './refusals.js';
import { forgetRoom, newRoom, PLAYGROUND_GUILD, type Seat, seatOf } from './seats.js';

export interface PlaygroundOptions {
  store: Store;
  flows: FlowRegistry;
  sessions: SessionService;
  /** The store's file, as the pages name it to the people using them. */
  file: string;
  safetyResources: string;
  now?: () => number;
}

export interface Playground {
  app: Hono;
  live: LiveUpdates;
  /** Ends every open event stream (before the server closes). */
  closeStreams(): void;
}

const MINUTE = 60_000;
const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');

/** A CSP with no inline script or style: only the playground's own two files run or apply. */
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

const NOT_FOUND_TITLE = 'This link doesn’t open a conversation';
const NOT_FOUND_TEXT =
  'It may have been typed or copied incompletely, or the conversation was deleted. Each partner’s link is the whole address you were given; a new conversation can be started from the first page.';

interface Seated {
  seat: Seat;
  token: string;
  base: string;
  view: SessionView;
  userId: string;
}

/** A note for one partner alone, shown on their next page load and then forgotten (never stored). */
type PrivateNote = { title: string; lines: string[] };

export function playground(options: PlaygroundOptions): Playground {
  const { store, flows, sessions } = options;
  const now = options.now ?? Date.now;
  const live = new LiveUpdates();
  const notes = new Map<string, PrivateNote>();
  const streams = new Set<() => void>();
  const styles = asset('style.css');
  const script = asset('live.js');
  const app = new Hono();

  app.use(async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
  });

  const htmlResponse = (c: Context, body: Html, status: 200 | 404 | 409 | 422 | 500 = 200) => {
    c.header('Cache-Control', 'no-store');
    return c.html(body.value, status);
  };

  app.get('/static/style.css', (c) => c.body(styles, 200, { 'Content-Type': 'text/css; charset=utf-8' }));
  app.get('/static/live.js', (c) => c.body(script, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));

  app.get('/', (c) => htmlResponse(c, startPage(listedFlows(flows), options.file)));

  app.post('/start', async (c) => {
    const body = (await c.req.parseBody()) as FormBody;
    const form = {
      flowId: field(body, 'flow'),
      nameA: field(body, 'nameA')?.trim(),
      nameB: field(body, 'nameB')?.trim(),
    };
    const refuse = (problem: string) =>
      htmlResponse(c, startPage(listedFlows(flows), options.file, { ...stripUndefined(form), problem }), 422);
    const flow = form.flowId === undefined ? undefined : startableFlow(flows, form.flowId);
    if (!flow) return refuse('Please choose one of the conversations on the list.');
    if (!form.nameA || !form.nameB) return refuse('Please type both names, so each page can say whose turn it is.');
    if (form.nameA.length > NAME_MAX || form.nameB.length > NAME_MAX)
      return refuse(`A name can be at most ${NAME_MAX} characters — a first name is enough.`);
    if (form.nameA.toLowerCase() === form.nameB.toLowerCase())
      return refuse('Please give two different names, so each page says clearly who is who.');
    const room = await newRoom(store);
    const started = await sessions.start({
      channelId: room.channelId,
      guildId: PLAYGROUND_GUILD,
      flowId: flow.id,
      starter: { id: room.userIds.a, name: form.nameA },
      partner: { id: room.userIds.b, name: form.nameB },
    });
    if (!started.ok) return refuse(refusalText(started.rejection));
    const origin = new URL(c.req.url).origin;
    return htmlResponse(
      c,
      linksPage({
        flowTitle: flow.title,
        names: { a: form.nameA, b: form.nameB },
        links: { a: `${origin}/p/${room.tokens.a}`, b: `${origin}/p/${room.tokens.b}` },
      }),
    );
  });

  /** The seat and conversation a token opens, or nothing (a wrong, missing or erased link). */
  async function seated(c: Context): Promise<Seated | undefined> {
    const token = c.req.param('token');
    const seat = await seatOf(store, token);
    if (!seat || token === undefined) return undefined;
    const view = await sessions.view(seat.channelId);
    if (!view) return undefined;
    return { seat, token, base: `/p/${token}`, view, userId: view.record.partners[seat.partner].id };
  }

  const notFound = (c: Context) => htmlResponse(c, messagePage(NOT_FOUND_TITLE, NOT_FOUND_TEXT), 404);
  const noteKey = (s: Seated) => `${s.seat.channelId}:${s.seat.partner}`;

  const fullPage = (
    c: Context,
    s: Seated,
    extra: { problem?: string; typed?: AnswerValue } = {},
    status: 200 | 409 | 422 = 200,
  ) => {
    const privateNote = notes.get(noteKey(s));
    notes.delete(noteKey(s));
    return htmlResponse(
      c,
      partnerPage(s.view, s.seat.partner, {
        base: s.base,
        file: options.file,
        safetyResources: options.safetyResources,
        ...stripUndefined(extra),
        ...(privateNote ? { privateNote } : {}),
      }),
      status,
    );
  };

  app.get('/p/:token', async (c) => {
    const s = await seated(c);
    return s ? fullPage(c, s) : notFound(c);
  });

  app.get('/p/:token/live', async (c) => {
    const s = await seated(c);
    return s ? htmlResponse(c, partnerView(s.view, s.seat.partner, { base: s.base })) : notFound(c);
  });

  app.get('/p/:token/events', async (c) => {
    const s = await seated(c);
    if (!s) return notFound(c);
    return changeStream(c, live, s.seat.channelId, streams, now);
  });

  /** Applies one input as this partner; a refusal shows the page again with the reason and their words. */
  async function applyAs(
    c: Context,
    s: Seated,
    input: Omit<SessionInput, 'userId'>,
    typed?: AnswerValue,
  ): Promise<Response> {
    const outcome = await sessions.apply(s.seat.channelId, { ...input, userId: s.userId });
    if (!outcome.ok) {
      const current = outcome.view ?? s.view;
      const status =
        outcome.rejection.code === 'invalid-answer' || outcome.rejection.code === 'bad-pause-time' ? 422 : 409;
      return fullPage(
        c,
        { ...s, view: current },
        { problem: refusalText(outcome.rejection), ...(typed ? { typed } : {}) },
        status,
      );
    }
    if (outcome.safetyHold && typed) {
      // Said to its author alone, as on Discord; the other partner sees only a neutral break.
      notes.set(noteKey(s), {
        title: 'You don’t have to carry this alone',
        lines: [
          'Thank you for telling me. I’ve paused this conversation for both of you, without saying who or why. What you just wrote has not been saved or shared with anyone.',
          options.safetyResources,
          ...typedWords(typed),
        ],
      });
    }
    if (!outcome.duplicate) live.changed(s.seat.channelId);
    return c.redirect(s.base, 303);
  }

  app.post('/p/:token/answer', async (c) => {
    const s = await seated(c);
    if (!s) return notFound(c);
    const body = (await c.req.parseBody({ all: true })) as FormBody;
    const key = field(body, 'key') ?? '';
    const typed = s.view.prompt ? answerFromForm(body, s.view.prompt.input) : undefined;
    return applyAs(
      c,
      s,
      {
        id: `answer:${s.userId}:${key}`,
        action: 'answer',
        step: key,
        valueFor: (prompt) => answerFromForm(body, prompt.input),
      },
      typed,
    );
  });

  app.post('/p/:token/pause', async (c) => {
    const s = await seated(c);
    if (!s) return notFound(c);
    const body = (await c.req.parseBody()) as FormBody;
    const length = BREAKS.find((b) => b.value === field(body, 'minutes'));
    if (!length) return fullPage(c, s, { problem: 'Please choose one of the break lengths on the list.' }, 422);
    const input: Omit<SessionInput, 'userId'> = { id: `pause:${randomUUID()}`, action: 'pause' };
    if (length.minutes > 0) input.until = now() + length.minutes * MINUTE;
    return applyAs(c, s, input);
  });

  for (const action of ['resume', 'end'] as const) {
    app.post(`/p/:token/${action}`, async (c) => {
      const s = await seated(c);
      if (!s) return notFound(c);
      return applyAs(c, s, { id: `${action}:${randomUUID()}`, action });
    });
  }

  app.post('/p/:token/skip', async (c) => {
    const s = await seated(c);
    if (!s) return notFound(c);
    const body = (await c.req.parseBody()) as FormBody;
    const key = field(body, 'key') ?? '';
    return applyAs(c, s, { id: `skip:${s.userId}:${key}`, action: 'skip', step: key });
  });

  app.post('/p/:token/erase', async (c) => {
    const s = await seated(c);
    if (!s) return notFound(c);
    const { a, b } = s.view.record.partners;
    await eraseCouple(store, PLAYGROUND_GUILD, a.id, b.id);
    await forgetRoom(store, s.seat.channelId);
    await store.scrub();
    for (const partner of ['a', 'b'] as PartnerId[]) notes.delete(`${s.seat.channelId}:${partner}`);
    live.changed(s.seat.channelId);
    return htmlResponse(
      c,
      messagePage(
        'Deleted',
        'This conversation is erased from the file, for both of you, and both links no longer open anything.',
      ),
    );
  });

  app.notFound((c) => notFound(c));
  app.onError((_error, c) =>
    // The error itself may hold what someone wrote: it is not shown or logged here.
    htmlResponse(
      c,
      messagePage(
        'Something went wrong',
        'Mend could not do that just now, and nothing was changed. Please go back and try again in a moment.',
      ),
      500,
    ),
  );

  return {
    app,
    live,
    closeStreams() {
      for (const abort of [...streams]) abort();
    },
  };
}

/** Their words, given back to them as they typed them. */
function typedWords(value: AnswerValue): string[] {
  const words = [value.text, value.note, ...(value.items ?? [])].filter((w): w is string => Boolean(w?.trim()));
  return words.length > 0 ? ['What you wrote, so it isn’t lost:', words.join('\n')] : [];
}

function stripUndefined<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
