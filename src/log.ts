/**
 * Logging: pino, one JSON object per line by default (what log collectors read), readable coloured
 * lines when LOG_PRETTY=1 or when stdout is a terminal (see config.ts).
 *
 * Answers are never logged. What partners write to each other is the most private data Mend holds:
 * it lives in the operator's store (encrypted if they chose), is deleted after the summary, and must
 * not leak into log files, collectors or screenshots of a terminal that nobody thinks of as "data".
 * So redaction is by field name, not by hoping each call site remembers: any field that carries
 * answer text (text, value, note, items, picks, answers, content, embeds, …) is replaced wherever it
 * sits, up to four levels deep, and so are the bot token, the encryption key and authorization
 * headers. Log ids, step names, outcomes and timings: never what someone wrote.
 */
import { performance } from 'node:perf_hooks';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config.js';

export type { Logger } from 'pino';

export const REDACTED = '[redacted]';

/** Credentials: the bot token, interaction tokens, the store key, passwords. */
const SECRET_KEYS = ['token', 'discordToken', 'storeEncryptionKey', 'password', 'authorization', 'cookie'];

/**
 * Fields that carry (or may carry) what a partner wrote: answer values and their parts, answer
 * lists, pending sealed answers, session context and snapshots, summaries, and Discord message
 * bodies (content, embeds, components of a submitted modal).
 */
const ANSWER_KEYS = [
  'text',
  'value',
  'values',
  'note',
  'items',
  'picks',
  'answers',
  'answer',
  'pending',
  'quote',
  'quotes',
  'context',
  'snapshot',
  'summary',
  'content',
  'embeds',
  'components',
  'description',
  'fields',
];

const HEADER_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.headers.authorization',
  '*.*.headers.authorization',
];

/** Every path pino redacts: each key at the top level and up to three levels down. */
export const REDACT_PATHS: readonly string[] = [
  ...HEADER_PATHS,
  ...[...SECRET_KEYS, ...ANSWER_KEYS].flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]),
];

/**
 * Interaction and webhook tokens travel in URL paths (`/interactions/{id}/{token}/callback`,
 * `/webhooks/{appId}/{token}/…`), so discord.js errors carry them in `url`, `message` and `stack`.
 */
export function scrubUrlTokens(text: string): string {
  return text.replace(/\b(interactions|webhooks)\/(\d+)\/[^/?#\s"']+/g, `$1/$2/${REDACTED}`);
}

const serializeError = (error: unknown): unknown => {
  if (!(error instanceof Error)) return error;
  const serialized = pino.stdSerializers.err(error) as unknown as Record<string, unknown>;
  for (const field of ['message', 'stack', 'url']) {
    const value = serialized[field];
    if (typeof value === 'string') serialized[field] = scrubUrlTokens(value);
  }
  return serialized;
};

export interface LoggerSettings {
  logLevel: Config['LOG_LEVEL'];
  logPretty: Config['LOG_PRETTY'];
}

/**
 * The process logger. `destination` is for tests (capture the output); by default JSON goes to
 * stdout, and pretty output is written synchronously in this thread (no worker, so nothing is lost
 * when the process exits right after a fatal line).
 */
export function createLogger(config: LoggerSettings, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: config.logLevel,
    base: { app: 'mend' },
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    serializers: { err: serializeError },
  };
  if (config.logPretty) {
    const stream = pretty({
      colorize: destination === undefined && process.stdout.isTTY === true,
      sync: true,
      singleLine: true,
      ignore: 'pid,hostname,app',
      translateTime: 'SYS:HH:MM:ss.l',
      ...(destination ? { destination } : {}),
    });
    return pino(options, stream);
  }
  return pino(options, destination ?? pino.destination({ fd: 1, sync: false }));
}

/** What one interaction is about; filled in as the handler learns it. */
export interface InteractionFields {
  /** 'command' | 'button' | 'modal' | 'select' | … (also the metrics label). */
  kind: string;
  interactionId?: string;
  sessionId?: string;
  flow?: string;
  step?: string;
}

export interface InteractionLog {
  /** A child logger carrying the interaction's ids, for anything logged while handling it. */
  readonly log: Logger;
  /** Adds what became known mid-way (the session, its flow and step). */
  annotate(fields: Partial<InteractionFields>): void;
  /**
   * Writes the one line for this interaction — ids, outcome, duration in ms — and returns the
   * duration in ms (for metrics). Later calls do nothing and return the first duration.
   */
  finish(outcome: string, extra?: { err?: unknown }): number;
}

/**
 * One line per interaction: `{ kind, sessionId, flow, step, outcome, durationMs }`, at info, or at
 * error when an `err` is passed. Never the answer itself (see the note at the top).
 */
export function startInteraction(
  logger: Logger,
  fields: InteractionFields,
  now: () => number = () => performance.now(),
): InteractionLog {
  const started = now();
  const current: InteractionFields = { ...fields };
  const child = logger.child({ interactionId: fields.interactionId, kind: fields.kind });
  let duration: number | undefined;
  return {
    log: child,
    annotate(more) {
      Object.assign(current, more);
    },
    finish(outcome, extra) {
      if (duration !== undefined) return duration;
      duration = Math.round((now() - started) * 10) / 10;
      const line = {
        sessionId: current.sessionId,
        flow: current.flow,
        step: current.step,
        outcome,
        durationMs: duration,
      };
      if (extra?.err !== undefined) child.error({ ...line, err: extra.err }, 'interaction failed');
      else child.info(line, 'interaction');
      return duration;
    },
  };
}
