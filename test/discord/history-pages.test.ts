/**
 * /history's pages: newest first, ten to a page, each within an embed's limit, each line the flow, the day,
 * how it ended and a link to the summary message (or that it is not posted yet) — and never more than that.
 */
import { describe, expect, it } from 'vitest';
import { historyPages, PER_PAGE } from '../../src/discord/history/history-pages.js';
import { LIMITS } from '../../src/discord/split.js';
import type { History, HistoryEntry } from '../../src/engine/history.js';

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

const history = (n: number): History => ({
  guildId: '900',
  partnerIds: ['1', '2'],
  entries: Array.from(
    { length: n },
    (_, i): HistoryEntry => ({
      sessionId: `s${i}`,
      flowId: i % 2 ? 'ground-rules' : 'admit-mistake',
      channelId: '700',
      startedAt: T0 + i * DAY,
      endedAt: T0 + i * DAY + 3_600_000,
      ending: i === n - 1 ? 'quiet' : 'finished',
      ...(i === 0 ? {} : { summaryMessageId: `80${i}` }),
    }),
  ),
});

describe('historyPages', () => {
  it('pages newest first, within Discord’s limits', () => {
    const pages = historyPages(history(25), (id) => `Title of ${id} *with* markdown`);
    expect(pages).toHaveLength(Math.ceil(25 / PER_PAGE));
    for (const page of pages) expect(page.length).toBeLessThan(LIMITS.embedDescription);
    const [first] = pages;
    expect(first?.split('\n')).toHaveLength(PER_PAGE);
    expect(first?.split('\n')[0]).toContain('closed after a quiet spell');
    expect(first?.split('\n')[0]).toContain('https://discord.com/channels/900/700/8024');
    expect(first).toContain('Title of ground-rules \\*with\\* markdown');
    expect(pages.at(-1)?.split('\n').at(-1)).toContain('summary not posted yet');
  });
});
