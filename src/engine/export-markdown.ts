/**
 * An export as Markdown a counsellor can read: who and when, what is left out, the promises, then each
 * conversation under its own heading — every question, who said what, in full, and the summary. Made
 * of blocks (the opening, the promises, one per conversation), so a file too large to send can be cut
 * between conversations. What people wrote is escaped, so an answer's own markdown cannot change the
 * layout; it is quoted under its author's name.
 */
import type { ExportAnswer, ExportConversation, ExportDocument, ExportSummary } from './export-types.js';
import type { SummarySection } from './flow-types.js';
import type { SessionStatus } from './session-record.js';
import type { NotShownYet } from './visibility.js';

const DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
const when = (isoDate: string) => `${DATE.format(new Date(isoDate))} UTC`;

/** Text as typed, with every character that Markdown would read as layout escaped. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_~[\]<>#|]/g, '\\$&')
    .replace(/^(\s*)([-+=]|\d+[.)])/gm, '$1\\$2')
    .replace(/\r\n?/g, '\n');
}

/**
 * Someone's words as a quote: every line quoted, so a blank line cannot end it, and each line kept a
 * line of its own (two trailing spaces are Markdown's line break).
 */
const quoted = (text: string) =>
  escapeMarkdown(text)
    .split('\n')
    .map((line) => (line.trim() === '' ? '>' : `> ${line}`))
    .join('  \n');

const STATUS: Record<SessionStatus, string> = {
  active: 'in progress',
  paused: 'on a break',
  completed: 'went through every step',
  declined: '“not now”',
  ended: 'ended early',
  closed: 'closed by Mend',
};

export function markdownBlocks(doc: ExportDocument): string[] {
  return [
    opening(doc),
    promisesBlock(doc),
    historyBlock(doc),
    ...doc.conversations.map((c, i) => conversationBlock(doc, c, i + 1)),
  ];
}

function opening(doc: ExportDocument): string {
  const me = escapeMarkdown(doc.requester.name);
  const partner = escapeMarkdown(doc.partner.name);
  const lines = [
    `# Mend: a copy for ${me}`,
    '',
    `${me} and ${partner} · exported ${when(doc.exportedAt)}`,
    '',
    `What Mend keeps about you and ${partner} that you may see: every answer you gave, ${partner}’s answers as ${partner} shared them, the promises, and the summaries. It was sent to you alone.`,
    '',
    'Not included:',
    '',
    ...doc.notIncluded.map((line) => `- ${escapeMarkdown(line)}`),
  ];
  if (doc.couple) {
    const consent = Object.entries(doc.couple.consent).map(([id, at]) => `${nameById(doc, id)} on ${when(at)}`);
    lines.push('');
    if (consent.length > 0) lines.push(`Agreed to what Mend keeps: ${consent.join('; ')}.`);
    if (doc.couple.yourSafetyCheck) lines.push(`You answered the safety check on ${when(doc.couple.yourSafetyCheck)}.`);
    if (doc.couple.yourHold) {
      lines.push(
        `You asked for joint conversations to be held on ${when(doc.couple.yourHold.at)}; only you can lift it.`,
      );
    }
  }
  return lines.join('\n');
}

const nameById = (doc: ExportDocument, id: string) =>
  escapeMarkdown([doc.requester, doc.partner].find((p) => p.id === id)?.name ?? id);

const STANDING = { open: 'Open', settled: 'Settled', 'let-go': 'Let go' } as const;

function promisesBlock(doc: ExportDocument): string {
  const lines = ['## Promises', ''];
  if (doc.promises.length === 0) lines.push('No promises in these conversations yet.');
  for (const promise of doc.promises) {
    const at = promise.at ? `, ${when(promise.at)}` : '';
    const to = promise.to && promise.by.id ? ` to ${promise.to.map((p) => p.name).join(' and ')}` : '';
    lines.push(...said({ ...promise, name: promise.by.name, where: `${to} in “${promise.flowTitle}”${at}`.trim() }));
    if (promise.status) lines.push('', `_${STANDING[promise.status]}_`);
    for (const checkIn of promise.checkIns ?? []) {
      const words = [
        ...checkIn.answers.map((a) => `${a.by.name}: ${a.said}${a.note ? ` — “${a.note}”` : ''}`),
        ...checkIn.next.map((n) => `${n.by.name}: ${n.chose}`),
      ];
      lines.push('', `- Check-in, ${when(checkIn.at)}: ${escapeMarkdown(words.join('; '))}`);
    }
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}

const ENDED: Record<string, string> = {
  finished: 'finished',
  declined: 'not now',
  ended: 'ended early',
  quiet: 'closed after a quiet spell',
  closed: 'closed after an update',
};

/** What /history lists: which conversation, when and how it ended (never words). */
function historyBlock(doc: ExportDocument): string {
  const lines = ['## History', ''];
  const history = doc.history ?? [];
  if (history.length === 0) lines.push('No finished conversations yet.');
  for (const e of history) {
    const link = e.summaryMessageId
      ? ` · summary: https://discord.com/channels/${doc.guildId}/${e.channelId}/${e.summaryMessageId}`
      : '';
    lines.push(`- ${escapeMarkdown(e.title)} · ${when(e.endedAt)} · ${ENDED[e.ending] ?? e.ending}${link}`);
  }
  return lines.join('\n');
}

function conversationBlock(doc: ExportDocument, conversation: ExportConversation, n: number): string {
  const lines = [`## ${n}. ${escapeMarkdown(conversation.title)} — ${STATUS[conversation.status]}`, ''];
  const facts = [
    conversation.startedAt ? `started ${when(conversation.startedAt)}` : undefined,
    conversation.updatedAt ? `last change ${when(conversation.updatedAt)}` : undefined,
    `channel ${conversation.channelId}`,
  ].filter((fact): fact is string => fact !== undefined);
  lines.push(`${conversation.partners.map((p) => escapeMarkdown(p.name)).join(' and ')} · ${facts.join(' · ')}`);
  if (conversation.pause) {
    const by = conversation.pause.by ? ` by ${escapeMarkdown(conversation.pause.by.name)}` : '';
    const until = conversation.pause.until ? `, until ${when(conversation.pause.until)}` : '';
    lines.push('', `On a break since ${when(conversation.pause.at)}${by}${until}.`);
  }
  if (conversation.answers) {
    if (conversation.answers.length === 0) lines.push('', 'No answers yet.');
    let heading: string | undefined;
    for (const answer of conversation.answers) {
      if (answer.question !== heading) {
        heading = answer.question;
        lines.push('', `### ${escapeMarkdown(heading)}`);
      }
      lines.push('', ...answerLines(doc, answer));
    }
  }
  if (conversation.summary) lines.push('', ...summaryLines(conversation.summary, !conversation.answers));
  return lines.join('\n');
}

function notShownNote(doc: ExportDocument, why: NotShownYet): string {
  const partner = escapeMarkdown(doc.partner.name);
  switch (why) {
    case 'sealed':
      return `only you can read this so far: it is sealed until ${partner} has answered too`;
    case 'held-back':
      return `only you can read this so far: it will be shown beside a later answer`;
    case 'draft':
      return `only you can read this so far: you were still looking it over`;
    case 'rewriting':
      return `only you can read this: words you took back to rewrite`;
  }
}

interface Said {
  name: string;
  about?: string | undefined;
  /** Where it was said, after the name (e.g. which conversation). */
  where?: string;
  /** A note on the words, after the colon (e.g. that only the reader can see them yet). */
  note?: string;
  text: string;
  additions?: string[] | undefined;
}

/** Someone's words in full, under their name, with what they added later. */
function said({ name, about, where, note, text, additions }: Said): string[] {
  const concerning = about ? ` (about “${escapeMarkdown(about)}”)` : '';
  const heading = `**${escapeMarkdown(name)}**${concerning}${where ? ` ${escapeMarkdown(where)}` : ''}:`;
  const lines = [note ? `${heading} _(${note})_` : heading, '', quoted(text)];
  for (const addition of additions ?? []) lines.push('', 'Added later:', '', quoted(addition));
  return lines;
}

function answerLines(doc: ExportDocument, answer: ExportAnswer): string[] {
  const words = { ...answer, name: answer.by.name };
  return said(answer.notShownYet ? { ...words, note: notShownNote(doc, answer.notShownYet) } : words);
}

function sectionLines(section: SummarySection): string[] {
  const lines = [`#### ${escapeMarkdown(section.title)}`];
  if (section.lines?.length)
    lines.push('', ...section.lines.map((line) => `- ${escapeMarkdown(line).replace(/\n/g, ' ')}`));
  if (section.table) {
    const row = (cells: string[]) => `| ${cells.map((c) => escapeMarkdown(c).replace(/\n/g, '<br>')).join(' | ')} |`;
    lines.push('', row(section.table.columns), `|${section.table.columns.map(() => ' --- |').join('')}`);
    for (const cells of section.table.rows) lines.push(row(cells));
  }
  return lines;
}

/** The summary as it was posted; its answers in full only when nothing else of the conversation is left. */
function summaryLines(summary: ExportSummary, withAnswers: boolean): string[] {
  const posted = summary.postedAt ? `posted ${when(summary.postedAt)}` : 'not posted yet';
  const lines = [`### The summary (${posted})`, '', escapeMarkdown(summary.outcome)];
  for (const section of summary.highlights) lines.push('', ...sectionLines(section));
  for (const word of summary.lookOver ?? []) {
    if (word.said === 'note' && word.note !== undefined)
      lines.push('', ...said({ name: word.by.name, where: 'added a note', text: word.note }));
    else lines.push('', `**${escapeMarkdown(word.by.name)}**: that’s a fair record.`);
  }
  if (withAnswers) {
    for (const step of summary.steps) {
      lines.push('', `#### ${escapeMarkdown(step.title)}`);
      for (const entry of step.entries) lines.push('', ...said({ ...entry, name: entry.by }));
    }
  }
  for (const line of summary.unrevealed) lines.push('', `_${escapeMarkdown(line)}_`);
  lines.push('', `A next step: ${escapeMarkdown(summary.nextStep)}`);
  return lines;
}
