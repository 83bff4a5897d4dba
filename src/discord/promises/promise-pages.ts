/**
 * /promises, as pages a person reads privately: each promise with who promised whom, when and in which
 * conversation, its words, where it stands, and every check-in in words — open ones first. Pages are
 * cut by length so each fits one embed; a promise longer than a page is clipped with a note.
 */
import { TimestampStyles, time } from 'discord.js';
import { CHECK_IN_LABELS, NEXT_LABELS } from '../../engine/follow-through-words.js';
import type { Ledger, PromiseEntry } from '../../engine/promises.js';
import { clip, safeText } from '../note.js';
import { LIMITS } from '../split.js';

/** Room left in an embed for one page, under its title and footer. */
const PAGE_BUDGET = LIMITS.embedDescription - 200;

const dateOf = (ms: number) => time(Math.floor(ms / 1000), TimestampStyles.LongDate);

const quote = (text: string) =>
  safeText(text)
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');

const STATUS: Record<PromiseEntry['status'], string> = {
  open: 'Open',
  settled: 'Settled',
  'let-go': 'Let go',
};

function block(promise: PromiseEntry, ledger: Ledger, nameOf: (id: string) => string): string {
  const names = (ids: string[]) => ids.map(nameOf).join(' and ');
  const mutual = promise.by.length > 1;
  const who = mutual ? `${names(promise.by)}, to each other` : `${names(promise.by)} to ${names(promise.to)}`;
  const about = promise.about ? ` · ${safeText(promise.about)}` : '';
  const lines = [`**${safeText(who)}** · ${safeText(promise.flowTitle)} · ${dateOf(promise.madeAt)}${about}`];
  lines.push(quote(promise.words));
  const next = ledger.due.find((d) => d.promiseIds.includes(promise.id) && d.announcedAt === undefined);
  const standing = STATUS[promise.status];
  lines.push(promise.status === 'open' && next ? `${standing} · next check-in ${dateOf(next.dueAt)}` : `*${standing}*`);
  for (const checkIn of promise.checkIns) {
    const said = checkIn.answers.map(
      (a) => `${safeText(nameOf(a.userId))}: ${CHECK_IN_LABELS[a.choice]}${a.note ? ` — “${safeText(a.note)}”` : ''}`,
    );
    const chose = checkIn.next.map((n) => `${safeText(nameOf(n.userId))}: ${NEXT_LABELS[n.choice]}`);
    lines.push(`• Check-in, ${dateOf(checkIn.at)} — ${[...said, ...chose].join('; ') || 'nothing said'}`);
  }
  return lines.join('\n');
}

/** The ledger's promises as pages of text, open ones first, newest first within each. */
export function promisePages(ledger: Ledger, nameOf: (id: string) => string): string[] {
  const ordered = [...ledger.promises].sort(
    (x, y) => Number(x.status !== 'open') - Number(y.status !== 'open') || y.madeAt - x.madeAt,
  );
  const pages: string[] = [];
  let page = '';
  for (const promise of ordered) {
    const text = clip(block(promise, ledger, nameOf), PAGE_BUDGET);
    if (page && page.length + text.length + 2 > PAGE_BUDGET) {
      pages.push(page);
      page = '';
    }
    page = page ? `${page}\n\n${text}` : text;
  }
  if (page) pages.push(page);
  return pages;
}
