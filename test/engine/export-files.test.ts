/**
 * Splitting an export into files within a size limit (a small limit stands in for Discord's 10 MiB):
 * Markdown cut between conversations, JSON in parts that each parse on their own, nothing lost.
 */

import { describe, expect, it } from 'vitest';
import { buildExport } from '../../src/engine/export.js';
import { exportFiles, jsonFiles, markdownFiles } from '../../src/engine/export-files.js';
import { markdownBlocks } from '../../src/engine/export-markdown.js';
import type { ExportConversation, ExportDocument } from '../../src/engine/export-types.js';
import type { FlowContext } from '../../src/engine/flow-types.js';
import type { OutboxEntry } from '../../src/engine/outbox.js';
import type { SessionRecord } from '../../src/engine/session-record.js';
import { summarize } from '../../src/engine/summary.js';
import { flows } from '../support/flows.js';
import { alex, completionScript, sam } from '../support/play.js';
import { storedSessionAfter, T0, TEST_GUILD } from '../support/stored-sessions.js';

const GUILD = TEST_GUILD;

/** Alex and Sam went through every flow; each session still stored, with its summary posted. */
function everyFlowCompleted(): ExportDocument {
  const sessions: { key: string; record: SessionRecord }[] = [];
  const summaries: { key: string; entry: OutboxEntry }[] = [];
  [...flows.values()].forEach((flow, i) => {
    const id = `session-${i + 1}`;
    const record: SessionRecord = {
      ...storedSessionAfter(flow, completionScript(flow), {
        id,
        startedAt: T0 + i * 60_000,
        updatedAt: T0 + i * 60_000 + 30_000,
      }),
      status: 'completed',
    };
    const { context } = record.snapshot as { context: FlowContext };
    const summary = summarize({
      flow,
      context,
      status: 'completed',
      nameOf: (p) => (p === 'a' ? alex.name : sam.name),
      at: record.updatedAt,
    });
    sessions.push({ key: `session:${id}`, record });
    summaries.push({
      key: `outbox:${id}`,
      entry: {
        sessionId: id,
        channelId: record.channelId,
        guildId: GUILD,
        partnerIds: [alex.id, sam.id],
        summary,
        sent: 1,
        attempts: 1,
        nextAttemptAt: 0,
        deliveredAt: record.updatedAt,
      },
    });
  });
  return buildExport({
    records: { guildId: GUILD, partnerIds: [alex.id, sam.id], sessions, summaries },
    flows,
    requester: alex,
    partner: sam,
    now: T0 + 3_600_000,
  });
}

const doc = everyFlowCompleted();
const text = (data: Buffer) => data.toString('utf8');
/** The conversations of a split JSON export put back together: pieces of one conversation concatenated. */
function conversationsOf(parts: ExportDocument[]): ExportConversation[] {
  const merged: ExportConversation[] = [];
  for (const { piece, ...conversation } of parts.flatMap((p) => p.conversations)) {
    const previous = merged.at(-1);
    if (!piece || piece.number === 1 || previous?.id !== conversation.id) {
      merged.push(structuredClone(conversation));
      continue;
    }
    if (conversation.answers) previous.answers = [...(previous.answers ?? []), ...conversation.answers];
    if (conversation.summary) {
      if (!previous.summary) previous.summary = conversation.summary;
      else {
        previous.summary.highlights.push(...conversation.summary.highlights);
        previous.summary.steps.push(...conversation.summary.steps);
      }
    }
  }
  return merged;
}

describe('an export within the limit', () => {
  it('is one Markdown file and one JSON file, the JSON the whole document', () => {
    const files = exportFiles(doc, 10 * 1024 * 1024);
    expect(files.map((f) => f.name)).toEqual(['mend-export.md', 'mend-export.json']);
    expect(JSON.parse(text(files[1]?.data ?? Buffer.alloc(0)))).toEqual(doc);
    expect(text(files[0]?.data ?? Buffer.alloc(0))).toBe(`${markdownBlocks(doc).join('\n\n')}\n`);
  });
});

describe('an export over the limit', () => {
  const blocks = markdownBlocks(doc);
  const largestBlock = Math.max(...blocks.map((b) => Buffer.byteLength(b) + 1));

  it('splits the Markdown between conversations, every part within the limit, nothing lost', () => {
    const files = markdownFiles(doc, largestBlock);
    expect(files.length).toBeGreaterThan(2);
    expect(files.map((f) => f.name)).toEqual(files.map((_, i) => `mend-export-part-${i + 1}.md`));
    for (const file of files) expect(file.data.length).toBeLessThanOrEqual(largestBlock);
    const parts = files.map((f) => text(f.data));
    // Each conversation whole in one part, and each part after the first opens on a heading.
    for (const block of blocks) expect(parts.filter((p) => p.includes(block))).toHaveLength(1);
    for (const part of parts.slice(1)) expect(part).toMatch(/^## /);
    expect(parts.join('\n')).toBe(`${blocks.join('\n\n')}\n`);
  });

  it('cuts a conversation larger than a whole file between its lines', () => {
    const limit = 700;
    expect(largestBlock).toBeGreaterThan(limit);
    const files = markdownFiles(doc, limit);
    for (const file of files) expect(file.data.length).toBeLessThanOrEqual(limit);
    const lines = files.flatMap((f) => text(f.data).split('\n'));
    for (const line of blocks.join('\n\n').split('\n')) if (line.length > 0) expect(lines).toContain(line);
  });

  it('splits the JSON into parts that each parse on their own and together hold the whole document', () => {
    const whole = Buffer.byteLength(JSON.stringify(doc, null, 2));
    const limit = Math.ceil(whole / 3);
    const files = jsonFiles(doc, limit);
    expect(files.length).toBeGreaterThan(2);
    const parts = files.map((f) => JSON.parse(text(f.data)) as ExportDocument);
    parts.forEach((part, i) => {
      expect(files[i]?.name).toBe(`mend-export-part-${i + 1}.json`);
      expect(files[i]?.data.length).toBeLessThanOrEqual(limit);
      expect(part).toMatchObject({
        format: 'mend-export',
        version: 1,
        requester: alex,
        partner: sam,
        exportedAt: doc.exportedAt,
        part: { number: i + 1, of: parts.length },
      });
    });
    expect(parts[0]).toMatchObject({ couple: doc.couple, promises: doc.promises });
    for (const part of parts.slice(1)) expect(part).not.toHaveProperty('promises');
    expect(conversationsOf(parts)).toEqual(doc.conversations);
  });

  it('gives a conversation too large for one file in numbered pieces, its answers and summary spread over them', () => {
    const largest = Math.max(...doc.conversations.map((c) => Buffer.byteLength(JSON.stringify(c, null, 2))));
    const limit = Math.ceil(largest / 4);
    const files = jsonFiles(doc, limit);
    for (const file of files) expect(file.data.length).toBeLessThanOrEqual(limit);
    const parts = files.map((f) => JSON.parse(text(f.data)) as ExportDocument);
    const pieces = parts.flatMap((p) => p.conversations).filter((c) => c.piece);
    expect(pieces.length).toBeGreaterThan(4);
    expect(pieces.filter((p) => p.summary).length).toBeGreaterThan(1);
    expect(conversationsOf(parts)).toEqual(doc.conversations);
  });
});
