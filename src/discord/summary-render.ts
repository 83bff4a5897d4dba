/**
 * A summary as Discord messages: the header (with the date as a Discord timestamp, so each reader
 * sees their own time zone), what matters most at a glance, then every answer in full, in the
 * order given, attributed, then a gentle next step. Split across as many embeds and messages as it
 * takes — never cut. Nothing in it can ping anyone. The last message can carry buttons (another
 * conversation with the same partner).
 */
import { TimestampStyles, time } from 'discord.js';
import type { SummarySection } from '../engine/flow-types.js';
import type { Summary } from '../engine/summary.js';
import type { Row } from './components.js';
import { COLOR, embedOf, type MessagePayload, safeText } from './note.js';
import { type EmbedBlock, packMessages, sectionBlocks } from './split.js';

/** Text as a quote block, line by line, so a cell of several lines stays one cell. */
const quoted = (text: string) =>
  safeText(text)
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');

/**
 * Discord has no tables: each row becomes a small block, its first cell in bold and each other
 * cell under its column's name, quoted, so cells of several lines keep their shape.
 */
const sectionText = (section: SummarySection): string => {
  const parts = (section.lines ?? []).map((line) => safeText(line));
  if (section.table) {
    const { columns, rows } = section.table;
    for (const row of rows) {
      const [first, ...rest] = row;
      const cells = rest.map((cell, i) => `*${safeText(columns[i + 1] ?? '')}*\n${quoted(cell)}`);
      parts.push([`**${safeText(first ?? '')}**`, ...cells].join('\n'));
    }
  }
  return parts.length > 0 ? parts.join('\n\n') : '—';
};

/**
 * `besideHighlights`: blocks shown right after the at-a-glance part — each partner's word on it
 * (summary-notes.ts), which is what they looked over.
 */
export function summaryBlocks(summary: Summary, besideHighlights: EmbedBlock[] = []): EmbedBlock[] {
  const blocks: EmbedBlock[] = [];
  const [a, b] = summary.partners;
  const date = time(Math.floor(summary.at / 1000), TimestampStyles.LongDate);
  blocks.push(
    ...sectionBlocks(
      `Summary · ${summary.flowTitle}`,
      [`**${safeText(a)}** and **${safeText(b)}** · ${date}`, safeText(summary.outcome)].join('\n'),
      COLOR.calm,
    ),
  );
  for (const section of summary.highlights) {
    blocks.push(...sectionBlocks(section.title, sectionText(section), COLOR.calm));
  }
  blocks.push(...besideHighlights);
  for (const step of summary.steps) {
    const text = step.entries
      .map((e) => {
        const about = e.about ? ` — ${safeText(e.about)}` : '';
        const added = (e.additions ?? []).map((t) => `\n*Added later:* ${safeText(t)}`).join('');
        return `**${safeText(e.by)}**${about}\n${safeText(e.text)}${added}`;
      })
      .join('\n\n');
    blocks.push(...sectionBlocks(step.title, text, COLOR.answer));
  }
  if (summary.unrevealed.length > 0) {
    blocks.push(...sectionBlocks('Kept private', summary.unrevealed.map(safeText).join('\n'), COLOR.answer));
  }
  blocks.push(...sectionBlocks('A next step', safeText(summary.nextStep), COLOR.calm));
  return blocks;
}

/** The at-a-glance part alone, as blocks (what each partner looks over before it is posted). */
export function highlightBlocks(summary: Summary): EmbedBlock[] {
  const blocks = summary.highlights.flatMap((section) =>
    sectionBlocks(section.title, sectionText(section), COLOR.calm),
  );
  return blocks.length > 0 ? blocks : sectionBlocks('At a glance', safeText(summary.outcome), COLOR.calm);
}

export function summaryMessages(
  summary: Summary,
  closing: Row[] = [],
  besideHighlights: EmbedBlock[] = [],
): MessagePayload[] {
  const messages = packMessages(summaryBlocks(summary, besideHighlights));
  return messages.map((embeds, i) => ({
    content: '',
    embeds: embeds.map(embedOf),
    components: i === messages.length - 1 ? closing : [],
    allowedMentions: { parse: [] },
  }));
}
