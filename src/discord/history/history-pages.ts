/**
 * /history, as pages a person reads privately: each past conversation — its flow, the day it ended,
 * how it ended, and a link to its summary in the couple's channel — newest first. The list holds no
 * words of anyone's, so a line is short and a page is a fixed number of them.
 */
import { TimestampStyles, time } from 'discord.js';
import type { Ending, History, HistoryEntry } from '../../engine/history.js';
import { safeText } from '../note.js';

export const PER_PAGE = 10;

export const ENDING_WORDS: Record<Ending, string> = {
  finished: 'finished',
  declined: 'not now',
  ended: 'ended early',
  quiet: 'closed after a quiet spell',
  closed: 'closed after an update',
};

/** The summary's first message, as Discord links it. */
export const messageLink = (guildId: string, channelId: string, messageId: string) =>
  `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;

function line(history: History, entry: HistoryEntry, titleOf: (flowId: string) => string): string {
  const date = time(Math.floor(entry.endedAt / 1000), TimestampStyles.LongDate);
  const summary = entry.summaryMessageId
    ? `[summary](${messageLink(history.guildId, entry.channelId, entry.summaryMessageId)})`
    : 'summary not posted yet';
  return `**${safeText(titleOf(entry.flowId))}** · ${date} · ${ENDING_WORDS[entry.ending]} · ${summary}`;
}

/** The history as pages of text, newest first. */
export function historyPages(history: History, titleOf: (flowId: string) => string): string[] {
  const lines = [...history.entries].sort((x, y) => y.endedAt - x.endedAt).map((e) => line(history, e, titleOf));
  const pages: string[] = [];
  for (let i = 0; i < lines.length; i += PER_PAGE) pages.push(lines.slice(i, i + PER_PAGE).join('\n'));
  return pages;
}
