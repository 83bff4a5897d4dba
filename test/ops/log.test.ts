import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, type Logger, REDACTED, scrubUrlTokens, startInteraction } from '../../src/log.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.bot-token-secret';
const ANSWER = 'I read your messages while you were asleep';
const NOTE = 'the note only my partner should see';
const ITEM = 'spending our savings without asking';

/** A logger whose output is captured as text. */
const capture = (pretty: boolean): { log: Logger; output: () => string } => {
  let text = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  const log = createLogger({ logLevel: 'trace', logPretty: pretty }, sink);
  return { log, output: () => text };
};

/** Everything a careless call site might log. */
const logEverything = (log: Logger) => {
  log.info({ token: TOKEN }, 'login');
  log.info({ config: { discordToken: TOKEN, storeEncryptionKey: 'a2V5LWJ5dGVz' } }, 'config');
  log.info({ req: { headers: { authorization: `Bot ${TOKEN}` } } }, 'request');
  log.info({ headers: { authorization: `Bot ${TOKEN}` } }, 'headers');
  log.info({ text: ANSWER }, 'top-level text');
  log.info({ event: { type: 'ANSWER', by: 'a', step: 'admission', value: { text: ANSWER, note: NOTE } } }, 'event');
  log.info({ value: { items: [ITEM] } }, 'value');
  log.info({ session: { id: 's1', context: { answers: [{ value: { text: ANSWER } }] } } }, 'context');
  log.info({ record: { answers: [{ step: 'admission', value: { text: ANSWER } }] } }, 'answers');
  log.info({ turn: { answer: { note: NOTE, items: [ITEM] } } }, 'answer');
  log.info({ message: { content: ANSWER, embeds: [{ description: ANSWER, fields: [{ value: ITEM }] }] } }, 'post');
  log.info({ a: { b: { c: { text: ANSWER } } } }, 'deep');
  log.info({ interaction: { data: { components: [{ components: [{ value: ANSWER }] }] } } }, 'modal');
  const error = Object.assign(new Error(`POST /interactions/123/${'tok'}en-xyz/callback failed`), {
    url: 'https://discord.com/api/v10/webhooks/111/interaction-token-abc/messages/@original',
    requestBody: { json: { content: ANSWER, embeds: [{ description: NOTE }] } },
  });
  log.error({ err: error }, 'discord said no');
};

describe('log: redaction', () => {
  for (const pretty of [false, true]) {
    it(`keeps the token, keys, auth headers and every answer out (${pretty ? 'pretty' : 'JSON'})`, () => {
      const { log, output } = capture(pretty);
      logEverything(log);
      log.flush();
      const text = output();
      for (const secret of [TOKEN, 'a2V5LWJ5dGVz', ANSWER, NOTE, ITEM, 'token-xyz', 'interaction-token-abc']) {
        expect(text).not.toContain(secret);
      }
      expect(text).toContain(REDACTED);
      // The lines are still there, with what is safe to know.
      for (const msg of ['login', 'config', 'event', 'post', 'deep', 'discord said no']) expect(text).toContain(msg);
      expect(text).toContain('admission');
    });
  }

  it('JSON output is one object per line', () => {
    const { log, output } = capture(false);
    logEverything(log);
    const lines = output().trimEnd().split('\n');
    expect(lines).toHaveLength(14);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('scrubs interaction and webhook tokens from URLs', () => {
    expect(scrubUrlTokens('/api/v10/interactions/1234/aW50ZXJhY3Rpb24:abc/callback?with_response=false')).toBe(
      `/api/v10/interactions/1234/${REDACTED}/callback?with_response=false`,
    );
    expect(scrubUrlTokens('/webhooks/99/tok.en-1/messages/@original')).toBe(
      `/webhooks/99/${REDACTED}/messages/@original`,
    );
  });
});

describe('log: one line per interaction', () => {
  it('carries session, flow, step, outcome and duration — not the answer', () => {
    const { log, output } = capture(false);
    let clock = 1000;
    const turn = startInteraction(log, { kind: 'modal', interactionId: '42' }, () => clock);
    turn.annotate({ sessionId: 'sess-1', flow: 'admit-mistake', step: 'admission' });
    turn.log.debug({ value: { text: ANSWER } }, 'validating');
    clock += 12.34;
    expect(turn.finish('ok')).toBe(12.3);
    expect(turn.finish('error')).toBe(12.3);
    const lines = output()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({
      level: 30,
      msg: 'interaction',
      interactionId: '42',
      kind: 'modal',
      sessionId: 'sess-1',
      flow: 'admit-mistake',
      step: 'admission',
      outcome: 'ok',
      durationMs: 12.3,
    });
    expect(output()).not.toContain(ANSWER);
  });

  it('logs a failure at error with the error', () => {
    const { log, output } = capture(false);
    startInteraction(log, { kind: 'button' }).finish('error', { err: new Error('boom') });
    const line = JSON.parse(output()) as { level: number; msg: string; err: { message: string } };
    expect(line.level).toBe(50);
    expect(line.msg).toBe('interaction failed');
    expect(line.err.message).toBe('boom');
  });
});
