/**
 * A summary as Discord messages: the header, what matters most at a glance, then every answer in
 * full, attributed and grouped by step, then a gentle next step. Split across as many embeds and
 * messages as it takes — never cut. Nothing in it can ping anyone.
 */
import type { APIEmbed } from 'discord.js';
import type { SummarySection } from '../engine/flow-kit.js';
import type { Summary } from '../engine/summary.js';
import { COLOR, type MessagePayload, safeText } from './note.js';
import { type EmbedBlock, packMessages, sectionBlocks } from './split.js';

const sectionText = (section: SummarySection): string => {
  const lines = (section.lines ?? []).map((line) => safeText(line));
  if (section.table) {
    const { columns, rows } = section.table;
    for (const row of rows) {
      // Discord has no tables: one line per row, each cell named by its column.
      lines.push(
        row
          .map((cell, i) => (i === 0 ? `**${safeText(cell)}**` : `${safeText(columns[i] ?? '')}: ${safeText(cell)}`))
          .join(' · '),
      );
    }
  }
  return lines.length > 0 ? lines.join('\n') : '—';
};

export function summaryBlocks(summary: Summary): EmbedBlock[] {
  const blocks: EmbedBlock[] = [];
  const [a, b] = summary.partners;
  blocks.push(
    ...sectionBlocks(
      `Summary · ${summary.flowTitle}`,
      [`**${safeText(a)}** and **${safeText(b)}** · ${summary.date}`, safeText(summary.outcome)].join('\n'),
      COLOR.calm,
    ),
  );
  for (const section of summary.highlights)
    blocks.push(...sectionBlocks(section.title, sectionText(section), COLOR.calm));
  for (const step of summary.steps) {
    const text = step.entries
      .map((e) => {
        const about = e.about ? ` — ${safeText(e.about)}` : '';
        return `**${safeText(e.by)}**${about}\n${safeText(e.text)}`;
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

export function summaryMessages(summary: Summary): MessagePayload[] {
  return packMessages(summaryBlocks(summary)).map((embeds) => ({
    content: '',
    embeds: embeds.map((block): APIEmbed => {
      const embed: APIEmbed = { description: block.description };
      if (block.title) embed.title = block.title;
      if (block.color !== undefined) embed.color = block.color;
      return embed;
    }),
    allowedMentions: { parse: [] },
  }));
}
