/**
 * The export builder, per reader: everything of their own, of their partner's exactly what both can
 * read — checked against the independent oracle of what must be readable at every step of every flow
 * — and the couple record without the partner's safety check.
 */

import { describe, expect, it } from 'vitest';
import type { CoupleRecords } from '../../src/engine/couple-records.js';
import { type CoupleRecord, keptAfterErasure, parseCouple } from '../../src/engine/couples.js';
import { buildExport, isEmptyExport } from '../../src/engine/export.js';
import { escapeMarkdown, markdownBlocks } from '../../src/engine/export-markdown.js';
import type { ExportDocument } from '../../src/engine/export-types.js';
import type { FlowDefinition } from '../../src/engine/flow-kit.js';
import type { FlowContext, FlowEvent, PartnerId } from '../../src/engine/flow-types.js';
import type { OutboxEntry } from '../../src/engine/outbox.js';
import type { SessionRecord } from '../../src/engine/session-record.js';
import { summarize } from '../../src/engine/summary.js';
import { textsOf } from '../support/flow-walk.js';
import { flowNamed, flows } from '../support/flows.js';
import { alex, completionScript, sam } from '../support/play.js';
import { playWithOracle } from '../support/readable-oracle.js';
import { storedSessionAfter, T0, TEST_GUILD } from '../support/stored-sessions.js';

const GUILD = TEST_GUILD;

type Answer = Extract<FlowEvent, { type: 'ANSWER' }>;
const says = (by: PartnerId, step: string, value: Answer['value']): Answer => ({ type: 'ANSWER', by, step, value });

const sessionAfter = (flow: FlowDefinition, events: readonly FlowEvent[], id = 'session-1') =>
  storedSessionAfter(flow, events, { id });

function recordsOf(sessions: SessionRecord[], extra: Partial<CoupleRecords> = {}): CoupleRecords {
  return {
    guildId: GUILD,
    partnerIds: [alex.id, sam.id],
    sessions: sessions.map((record) => ({ key: `session:${record.channelId}`, record })),
    summaries: [],
    ...extra,
  };
}

const exportFor = (reader: PartnerId, records: CoupleRecords): ExportDocument => {
  const [requester, partner] = reader === 'a' ? [alex, sam] : [sam, alex];
  return buildExport({ records, flows, requester, partner, now: T0 + 3_600_000 });
};

/** Both files' text: the JSON as sent, the Markdown as sent. */
const filesOf = (doc: ExportDocument) => ({ json: JSON.stringify(doc), markdown: markdownBlocks(doc).join('\n') });

const inJson = (text: string) => JSON.stringify(text).slice(1, -1);

describe('what each reader may see, at every step of every flow', () => {
  for (const flow of flows.values()) {
    it(`${flow.id}: the reader's own answers, and of the partner's exactly what both can read`, () => {
      const script = completionScript(flow);
      const run = playWithOracle(flow, script);
      run.steps.forEach((moment, i) => {
        const record = sessionAfter(flow, script.slice(0, i + 1));
        for (const reader of ['a', 'b'] as const) {
          const { json, markdown } = filesOf(exportFor(reader, recordsOf([record])));
          const readable = moment.mustBeReadable.flatMap((g) => textsOf(g.value));
          const ownHidden = moment.hidden.filter((g) => g.by === reader).flatMap((g) => textsOf(g.value));
          for (const text of [...readable, ...ownHidden]) {
            expect(json, `${reader} after ${i + 1} events`).toContain(inJson(text));
            expect(markdown, `${reader} after ${i + 1} events`).toContain(escapeMarkdown(text));
          }
          // Everything the partner typed so far that both cannot read (sealed, held back, drafts, words
          // taken back): not a trace, not even its tag.
          const shown = new Set(readable);
          const partnerTexts = script
            .slice(0, i + 1)
            .filter((e) => e.by !== reader)
            .flatMap((e) => textsOf(e.value));
          for (const text of partnerTexts.filter((t) => !shown.has(t))) {
            const tag = text.slice(0, text.indexOf('›') + 1);
            expect(json, `${reader} after ${i + 1} events`).not.toContain(tag);
            expect(markdown, `${reader} after ${i + 1} events`).not.toContain(escapeMarkdown(tag));
          }
        }
      });
    });
  }
});

describe('sealed answers', () => {
  const flow = flowNamed('needs-discovery');
  const guess = (by: PartnerId, text: string) => says(by, 'guess', { text });

  it('a partner’s sealed answer still waiting is left out; the reader’s own is in, marked as sealed', () => {
    const record = sessionAfter(flow, [guess('b', 'SAMS SEALED GUESS quietrain')]);
    const forAlex = filesOf(exportFor('a', recordsOf([record])));
    expect(forAlex.json).not.toContain('quietrain');
    expect(forAlex.markdown).not.toContain('quietrain');
    const forSam = exportFor('b', recordsOf([record]));
    expect(forSam.conversations[0]?.answers).toEqual([
      expect.objectContaining({ step: 'guess', by: sam, text: 'SAMS SEALED GUESS quietrain', notShownYet: 'sealed' }),
    ]);
    expect(markdownBlocks(forSam).join('\n')).toContain('sealed until Alex has answered too');
  });

  it('a guess held back to be shown beside a later answer: each sees their own only, until the later pair is in', () => {
    const both = [guess('a', 'ALEX GUESS amberfox'), guess('b', 'SAM GUESS bluecrow')];
    const held = sessionAfter(flow, both);
    const forAlex = exportFor('a', recordsOf([held]));
    expect(forAlex.conversations[0]?.answers).toEqual([
      expect.objectContaining({ by: alex, text: 'ALEX GUESS amberfox', notShownYet: 'held-back' }),
    ]);
    expect(JSON.stringify(forAlex)).not.toContain('bluecrow');

    const toWants = completionScript(flow);
    const upToWants = toWants.slice(0, toWants.findLastIndex((e) => e.step === 'wants') + 1);
    const revealed = sessionAfter(flow, [...both, ...upToWants.filter((e) => e.step !== 'guess')]);
    const guesses = exportFor('a', recordsOf([revealed])).conversations[0]?.answers?.filter((a) => a.step === 'guess');
    expect(guesses?.map((a) => [a.text, a.notShownYet])).toEqual([
      ['ALEX GUESS amberfox', undefined],
      ['SAM GUESS bluecrow', undefined],
    ]);
  });
});

describe('drafts under private review', () => {
  const flow = flowNamed('admit-mistake');
  const start = [
    says('a', 'roles.propose', { choice: 'me' }),
    says('b', 'roles.confirm', { choice: 'yes' }),
    says('a', 'ready', { choice: 'ready' }),
    says('b', 'ready', { choice: 'ready' }),
  ];
  const hedged = says('a', 'admission', { text: 'I read your messages but you left them open hazelnut' });

  it('the author sees their draft, marked; the other sees no trace of it', () => {
    const record = sessionAfter(flow, [...start, hedged]);
    expect(exportFor('a', recordsOf([record])).conversations[0]?.answers?.at(-1)).toMatchObject({
      step: 'admission',
      notShownYet: 'draft',
    });
    const forSam = filesOf(exportFor('b', recordsOf([record])));
    expect(forSam.json).not.toContain('hazelnut');
    expect(forSam.markdown).not.toContain('hazelnut');
  });

  it('words taken back to rewrite stay the author’s alone; the kept rewrite is read by both', () => {
    const rewriting = sessionAfter(flow, [...start, hedged, says('a', 'review', { choice: 'rewrite' })]);
    expect(exportFor('a', recordsOf([rewriting])).conversations[0]?.answers?.at(-1)).toMatchObject({
      step: 'admission',
      text: 'I read your messages but you left them open hazelnut',
      notShownYet: 'rewriting',
    });
    expect(JSON.stringify(exportFor('b', recordsOf([rewriting])))).not.toContain('hazelnut');

    const kept = sessionAfter(flow, [
      ...start,
      hedged,
      says('a', 'review', { choice: 'rewrite' }),
      says('a', 'admission', { text: 'I read your private messages without asking walnut' }),
    ]);
    const forSam = JSON.stringify(exportFor('b', recordsOf([kept])));
    expect(forSam).toContain('walnut');
    expect(forSam).not.toContain('hazelnut');
  });
});

describe('promises', () => {
  it('lists the promise steps both can read, from the session, or from the summary once only it is left', () => {
    const flow = flowNamed('admit-mistake');
    const script = completionScript(flow);
    const record = sessionAfter(flow, script);
    const promised = script.filter((e) => e.step === 'promise').at(-1)?.value.text ?? '';
    const fromSession = exportFor('b', recordsOf([record]));
    expect(fromSession.promises).toEqual([
      expect.objectContaining({ by: expect.objectContaining({ id: expect.any(String) }), text: promised }),
    ]);
    const entry: OutboxEntry = {
      sessionId: record.id,
      channelId: record.channelId,
      guildId: GUILD,
      partnerIds: [alex.id, sam.id],
      summary: summarize({
        flow,
        context: (record.snapshot as { context: FlowContext }).context,
        status: 'completed',
        nameOf: (p) => (p === 'a' ? alex.name : sam.name),
        at: T0,
      }),
      sent: 3,
      attempts: 1,
      nextAttemptAt: T0,
      deliveredAt: T0 + 1000,
    };
    const summaryOnly = exportFor('b', recordsOf([], { summaries: [{ key: 'outbox:session-1', entry }] }));
    expect(summaryOnly.promises.map((p) => p.text)).toEqual([promised]);
    expect(summaryOnly.conversations[0]).toMatchObject({ id: 'session-1', summary: { postedAt: expect.any(String) } });
    expect(summaryOnly.conversations[0]?.answers).toBeUndefined();
    expect(markdownBlocks(summaryOnly).join('\n')).toContain('## Promises');
  });
});

describe('the look-over and the history', () => {
  const flow = flowNamed('ground-rules');
  const script = completionScript(flow);
  const record = sessionAfter(flow, script);
  const ALEX_NOTE = 'I remember the start of it differently.';
  const SAM_NOTE = 'The end felt rushed to me.';
  const waiting = (deliveredAt?: number): OutboxEntry => ({
    sessionId: record.id,
    channelId: record.channelId,
    guildId: GUILD,
    partnerIds: [alex.id, sam.id],
    summary: summarize({
      flow,
      context: (record.snapshot as { context: FlowContext }).context,
      status: 'completed',
      nameOf: (p) => (p === 'a' ? alex.name : sam.name),
      at: T0,
    }),
    sent: deliveredAt === undefined ? 0 : 2,
    attempts: 0,
    nextAttemptAt: T0,
    ...(deliveredAt === undefined ? {} : { deliveredAt }),
    approval: {
      deadline: T0 + 24 * 3_600_000,
      answers: [
        { userId: alex.id, kind: 'note', note: ALEX_NOTE, at: T0 + 10 },
        { userId: sam.id, kind: 'note', note: SAM_NOTE, at: T0 + 20 },
      ],
      ...(deliveredAt === undefined ? {} : { closedAt: T0 + 20, closedBy: 'both' as const }),
    },
  });
  const summaries = (entry: OutboxEntry) => [{ key: `outbox:${entry.sessionId}`, entry }];

  it('each reader’s own note while it waits; the partner’s only once the summary carries it', () => {
    const pending = recordsOf([record], { summaries: summaries(waiting()) });
    const forAlex = filesOf(exportFor('a', pending));
    expect(forAlex.json).toContain(ALEX_NOTE);
    expect(forAlex.markdown).toContain(escapeMarkdown(ALEX_NOTE));
    expect(forAlex.json).not.toContain(SAM_NOTE);
    expect(forAlex.markdown).not.toContain(escapeMarkdown(SAM_NOTE));
    const forSam = filesOf(exportFor('b', pending));
    expect(forSam.json).toContain(SAM_NOTE);
    expect(forSam.json).not.toContain(ALEX_NOTE);

    const posted = exportFor('b', recordsOf([record], { summaries: summaries(waiting(T0 + 30)) }));
    expect(posted.conversations[0]?.summary?.lookOver?.map((w) => [w.by.name, w.note])).toEqual([
      ['Alex', ALEX_NOTE],
      ['Sam', SAM_NOTE],
    ]);
  });

  it('carries the history: which conversation, when, how it ended, and its summary’s message — never words', () => {
    const history = {
      key: 'history:x',
      history: {
        guildId: GUILD,
        partnerIds: [alex.id, sam.id] as [string, string],
        entries: [
          {
            sessionId: 'gone-1',
            flowId: 'ground-rules',
            channelId: 'couple-channel',
            startedAt: T0,
            endedAt: T0 + 60_000,
            ending: 'finished' as const,
            summaryMessageId: '123456789012345678',
            postedAt: T0 + 61_000,
          },
        ],
      },
    };
    const doc = exportFor('a', recordsOf([], { history }));
    expect(isEmptyExport(doc)).toBe(false);
    expect(doc.history).toEqual([
      {
        conversation: 'gone-1',
        flow: 'ground-rules',
        title: flow.title,
        startedAt: new Date(T0).toISOString(),
        endedAt: new Date(T0 + 60_000).toISOString(),
        ending: 'finished',
        channelId: 'couple-channel',
        summaryMessageId: '123456789012345678',
      },
    ]);
    expect(markdownBlocks(doc).join('\n')).toContain(
      `https://discord.com/channels/${GUILD}/couple-channel/123456789012345678`,
    );
  });
});

describe('the couple record', () => {
  const couple = (value: unknown) => ({ key: 'couple:x', value });
  const stored = {
    guildId: GUILD,
    partnerIds: [alex.id, sam.id],
    channelId: 'couple-channel',
    channelIds: ['couple-channel'],
    updatedAt: T0 + 5000,
    consent: { [alex.id]: T0, [sam.id]: T0 + 1000 },
    checked: { [alex.id]: T0 + 2000, [sam.id]: T0 + 3000 },
    hold: { raisedBy: sam.id, at: T0 + 4000 },
    waiting: { flowId: 'ground-rules', starterId: alex.id, channelId: 'couple-channel', at: T0 + 4500 },
  };

  it('both consent dates, the reader’s own safety check, and a hold only for whoever raised it', () => {
    const forAlex = exportFor('a', recordsOf([], { couple: couple(stored) }));
    expect(forAlex.couple).toEqual({
      channelId: 'couple-channel',
      channelIds: ['couple-channel'],
      consent: { [alex.id]: new Date(T0).toISOString(), [sam.id]: new Date(T0 + 1000).toISOString() },
      yourSafetyCheck: new Date(T0 + 2000).toISOString(),
    });
    // Nothing that moves with Sam's check: not its time, not the hold, not the record's last change.
    const json = JSON.stringify(forAlex);
    for (const at of [T0 + 3000, T0 + 4000, T0 + 4500, T0 + 5000])
      expect(json).not.toContain(new Date(at).toISOString());
    expect(exportFor('b', recordsOf([], { couple: couple(stored) })).couple).toMatchObject({
      yourSafetyCheck: new Date(T0 + 3000).toISOString(),
      yourHold: { at: new Date(T0 + 4000).toISOString() },
    });
  });

  it('reads an older record (no consent, no check) and leaves out one it cannot read', () => {
    const older = { guildId: GUILD, partnerIds: [alex.id, sam.id], channelId: 'c', channelIds: ['c'], updatedAt: T0 };
    expect(exportFor('a', recordsOf([], { couple: couple(older) })).couple).toEqual({
      channelId: 'c',
      channelIds: ['c'],
      consent: {},
    });
    expect(exportFor('a', recordsOf([], { couple: couple('garbage') })).couple).toBeNull();
  });

  it('shows nothing of a record that only the partner’s hold keeps after an erasure: as if there were none', () => {
    const kept = keptAfterErasure(parseCouple(stored) as CoupleRecord, alex.id);
    expect(kept?.hold?.raisedBy).toBe(sam.id);
    const forAlex = exportFor('a', recordsOf([], { couple: couple(kept) }));
    expect(forAlex.couple).toBeNull();
    expect(isEmptyExport(forAlex)).toBe(true);
    expect(forAlex).toEqual(exportFor('a', recordsOf([])));
  });
});

describe('a session whose flow is no longer in flows/', () => {
  it('gives the reader their own words only: what was sealed cannot be known without the flow', () => {
    const flow = flowNamed('needs-discovery');
    const record = {
      ...sessionAfter(flow, [
        says('a', 'guess', { text: 'ALEX OLD pinecone' }),
        says('b', 'guess', { text: 'SAM OLD thistle' }),
      ]),
      flowId: 'a-retired-flow',
    };
    const answers = exportFor('a', recordsOf([record])).conversations[0]?.answers;
    expect(answers?.map((a) => [a.by.id, a.text])).toEqual([[alex.id, 'ALEX OLD pinecone']]);
    expect(JSON.stringify(exportFor('a', recordsOf([record])))).not.toContain('thistle');
  });
});

describe('the document', () => {
  it('is versioned, names both, and says what is left out in the same words whatever there is', () => {
    const empty = exportFor('a', recordsOf([]));
    const flow = flowNamed('needs-discovery');
    const sealed = exportFor('a', recordsOf([sessionAfter(flow, [says('b', 'guess', { text: 'x' })])]));
    expect(empty).toMatchObject({ format: 'mend-export', version: 1, requester: alex, partner: sam, guildId: GUILD });
    expect(sealed.notIncluded).toEqual(empty.notIncluded);
    expect(sealed.conversations[0]).toMatchObject({ flow: 'needs-discovery', status: 'active', answers: [] });
  });

  it('escapes what people wrote, so an answer’s own markdown cannot change the layout', () => {
    const flow = flowNamed('needs-discovery');
    const record = sessionAfter(flow, [says('a', 'guess', { text: '# Not a heading\n- not a list\n> not a quote' })]);
    const markdown = markdownBlocks(exportFor('a', recordsOf([record]))).join('\n');
    expect(markdown).toContain('> \\# Not a heading  \n> \\- not a list  \n> \\> not a quote');
    expect(markdown.split('\n').filter((line) => line.startsWith('#'))).toEqual([
      '# Mend: a copy for Alex',
      '## Promises',
      '## History',
      '## 1. Needs discovery — in progress',
      '### Each one’s guess at what the other needs — Alex and Sam',
    ]);
  });
});
