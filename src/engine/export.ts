/**
 * A couple's stored records → what one of them may take away (`/export`), as structure. Pure: the
 * records come from couple-records.ts, and surfaces render and send the result.
 *
 * Complete for the reader, never beyond: every answer of their own (drafts, sealed answers still
 * waiting, words taken back to rewrite, each saying why their partner cannot read it yet); of their
 * partner's, exactly what both can read (visibility.ts) — so a sealed answer still waiting, a draft
 * under private review and anything held back do not appear at all, neither words nor length; every
 * summary (built from what both had read, and posted for both); the couple record through
 * export-couple.ts, which leaves out the partner's safety check. Mend's own bookkeeping (input ids,
 * reminder marks, loop counters, the machine's state) is not about them and is left out; so are
 * positions that could tell how often a partner rewrote something privately.
 */

import { answerText } from './answers.js';
import type { CoupleRecords } from './couple-records.js';
import { coupleAsSeenBy } from './export-couple.js';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportAnswer,
  type ExportConversation,
  type ExportDocument,
  type ExportPerson,
  type ExportPromise,
  type ExportSummary,
} from './export-types.js';
import type { FlowDefinition } from './flow-kit.js';
import type { FlowRegistry } from './flow-registry.js';
import type { AnswerRecord, FlowContext, PartnerId } from './flow-types.js';
import { emptyContext } from './flow-types.js';
import { CHECK_IN_LABELS, NEXT_LABELS } from './follow-through-words.js';
import type { OutboxEntry } from './outbox.js';
import type { PromiseEntry } from './promises.js';
import { fillNames } from './prompt.js';
import { partnerOf } from './session.js';
import { checkedSnapshot, flowContextSchema, type SessionRecord } from './session-record.js';
import { entryOf, headedGroups, type SummaryInput } from './summary.js';
import { type NotShownYet, readableBy } from './visibility.js';

export interface ExportInput {
  records: CoupleRecords;
  flows: FlowRegistry;
  /** Who asked: the reader. */
  requester: ExportPerson;
  partner: ExportPerson;
  now: number;
}

/** Said in every export alike, so whether something was left out cannot be read from it. */
export const NOT_INCLUDED = [
  'Answers your partner has not shown you yet: a sealed answer still waiting for yours, words still under their private review, anything held back to be shown later.',
  'Anything of your partner’s safety check, and any conversation waiting on it.',
  'Discord messages themselves, beyond the summaries Mend posted.',
  'Mend’s own bookkeeping (input ids, reminder marks, loop counters).',
];

const iso = (ms: number) => new Date(ms).toISOString();

export function buildExport(input: ExportInput): ExportDocument {
  const { records, requester } = input;
  const summaries = new Map(records.summaries.map(({ entry }) => [entry.sessionId, entry]));
  const conversations: ExportConversation[] = [];
  const promises: ExportPromise[] = [];
  for (const { record } of records.sessions) {
    const built = fromSession(input, record, summaries.get(record.id));
    summaries.delete(record.id);
    conversations.push(built.conversation);
    promises.push(...built.promises);
  }
  // Summaries whose session is gone already: the summary is all that is left of the conversation.
  for (const entry of summaries.values()) {
    const built = fromSummary(input, entry);
    conversations.push(built.conversation);
    promises.push(...built.promises);
  }
  const startOf = (c: ExportConversation) => c.startedAt ?? c.summary?.at ?? '';
  conversations.sort((x, y) => startOf(x).localeCompare(startOf(y)));
  // The ledger is where a finished conversation's promises live (with their check-ins, after the
  // conversation itself is gone); one still under way has its promises only in its answers.
  const ledger = records.ledger?.ledger;
  const inLedger = new Set(ledger?.promises.map((p) => p.sessionId));
  const fromLedger = ledger ? ledger.promises.map((p) => ledgerPromise(input, p)) : [];
  const stillInAnswers = promises.filter((p) => !inLedger.has(p.conversation));
  const raw = records.couple?.value;
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: iso(input.now),
    guildId: records.guildId,
    requester,
    partner: input.partner,
    notIncluded: NOT_INCLUDED,
    couple: (raw !== undefined && coupleAsSeenBy(raw, requester.id, input.partner.id)) || null,
    promises: [...fromLedger, ...stillInAnswers],
    history: (records.history?.history.entries ?? []).map((e) => ({
      conversation: e.sessionId,
      flow: e.flowId,
      title: input.flows.get(e.flowId)?.title ?? e.flowId,
      startedAt: iso(e.startedAt),
      endedAt: iso(e.endedAt),
      ending: e.ending,
      channelId: e.channelId,
      ...(e.summaryMessageId !== undefined ? { summaryMessageId: e.summaryMessageId } : {}),
    })),
    conversations,
  };
}

/**
 * A promise from the ledger: both of them have read it (it came from answers revealed to both), and so
 * has every check-in on it (a check-in's answers reach the ledger only once both were shown).
 */
function ledgerPromise(input: ExportInput, promise: PromiseEntry): ExportPromise {
  const person = (id: string): ExportPerson =>
    [input.requester, input.partner].find((p) => p.id === id) ?? { id, name: 'someone' };
  const out: ExportPromise = {
    conversation: promise.sessionId,
    flowTitle: promise.flowTitle,
    question: promise.step,
    by:
      promise.by.length === 1
        ? person(promise.by[0] ?? '')
        : { name: promise.by.map((id) => person(id).name).join(' and ') },
    to: promise.to.map(person),
    text: promise.words,
    at: iso(promise.madeAt),
    status: promise.status,
    checkIns: promise.checkIns.map((c) => ({
      at: iso(c.at),
      answers: c.answers.map((a) => ({
        by: person(a.userId),
        said: CHECK_IN_LABELS[a.choice],
        ...(a.note !== undefined ? { note: a.note } : {}),
      })),
      next: c.next.map((n) => ({ by: person(n.userId), chose: NEXT_LABELS[n.choice] })),
    })),
  };
  if (promise.about !== undefined) out.about = promise.about;
  return out;
}

/** Whether an export holds nothing the reader may see (then there is nothing to send). */
export const isEmptyExport = (doc: ExportDocument): boolean =>
  doc.conversations.length === 0 && doc.couple === null && (doc.history ?? []).length === 0;

interface Built {
  conversation: ExportConversation;
  promises: ExportPromise[];
}

/** The context as stored, checked; whatever answers can be read when the snapshot cannot be restored. */
function contextOf(record: SessionRecord): FlowContext {
  const checked = checkedSnapshot(record.snapshot)?.context;
  if (checked) return checked;
  const parsed = flowContextSchema.safeParse((record.snapshot as { context?: unknown } | undefined)?.context);
  return parsed.success ? parsed.data : emptyContext();
}

function fromSession(input: ExportInput, record: SessionRecord, summary: OutboxEntry | undefined): Built {
  const flow = input.flows.get(record.flowId);
  const context = contextOf(record);
  const reader = partnerOf(record, input.requester.id) ?? 'a';
  const person = (p: PartnerId): ExportPerson => ({ id: record.partners[p].id, name: record.partners[p].name });
  const nameOf = (p: PartnerId) => record.partners[p].name;
  const conversation: ExportConversation = {
    id: record.id,
    flow: record.flowId,
    title: flow?.title ?? summary?.summary.flowTitle ?? record.flowId,
    status: record.status,
    channelId: record.channelId,
    partners: [person('a'), person('b')],
    startedAt: iso(record.startedAt),
    updatedAt: iso(record.updatedAt),
    answers: flow ? answersFor(flow, context, record, reader) : ownAnswersOnly(context, reader, person),
  };
  if (context.pause) {
    const { pause } = context;
    conversation.pause = { at: iso(pause.at) };
    if (pause.until !== undefined) conversation.pause.until = iso(pause.until);
    if (pause.by !== 'system') conversation.pause.by = person(pause.by);
  }
  if (context.end) {
    const { end } = context;
    conversation.end = { at: iso(end.at), reason: end.reason };
    if (end.by !== 'system') conversation.end.by = person(end.by);
    const question = end.step === undefined ? undefined : flow?.steps.get(end.step)?.title;
    if (question !== undefined) conversation.end.question = fillNames(question, context.roles, nameOf);
  }
  if (record.closedReason !== undefined) conversation.closedReason = record.closedReason;
  if (summary) conversation.summary = summaryOf(input, summary);
  const promises = (conversation.answers ?? [])
    .filter((a) => a.notShownYet === undefined && flow?.steps.get(a.step)?.promise)
    .map((a): ExportPromise => {
      const promise: ExportPromise = {
        conversation: record.id,
        flowTitle: conversation.title,
        question: a.question,
        by: a.by,
        text: a.text,
        at: iso(record.updatedAt),
      };
      if (a.additions) promise.additions = a.additions;
      return promise;
    });
  return { conversation, promises };
}

/** Every answer the reader may see, under the headings the summary gives them. */
function answersFor(
  flow: FlowDefinition,
  context: FlowContext,
  record: SessionRecord,
  reader: PartnerId,
): ExportAnswer[] {
  const readable = readableBy(flow, context, reader);
  const why = new Map<AnswerRecord, NotShownYet>();
  for (const r of readable) if (r.notShownYet) why.set(r.answer, r.notShownYet);
  const summaryInput: SummaryInput = {
    flow,
    context,
    status: record.status,
    nameOf: (p) => record.partners[p].name,
    at: record.updatedAt,
  };
  return headedGroups(
    summaryInput,
    readable.map((r) => r.answer),
  ).flatMap((group) =>
    group.answers.map((answer) => {
      const entry = entryOf(summaryInput, answer);
      const out: ExportAnswer = {
        step: answer.step,
        question: group.title,
        by: { id: record.partners[answer.by].id, name: entry.by },
        text: entry.text,
        value: answer.value,
      };
      if (answer.about !== undefined) out.about = answer.about;
      if (answer.additions?.length) out.additions = answer.additions;
      const reason = why.get(answer);
      if (reason) out.notShownYet = reason;
      return out;
    }),
  );
}

/**
 * A session whose flow is no longer in flows/: what is sealed cannot be known without it, so only
 * the reader's own answers are given (their words as stored).
 */
function ownAnswersOnly(
  context: FlowContext,
  reader: PartnerId,
  person: (p: PartnerId) => ExportPerson,
): ExportAnswer[] {
  const pending = context.pending[reader];
  const own = context.answers.filter((a) => a.by === reader);
  if (context.pendingStep !== null && pending)
    own.push({ step: context.pendingStep, seq: context.step, by: reader, value: pending });
  return own.map((a) => ({
    step: a.step,
    question: a.step,
    by: person(reader),
    text: answerText(a.value),
    value: a.value,
    ...(a.additions?.length ? { additions: a.additions } : {}),
  }));
}

function summaryOf(input: ExportInput, entry: OutboxEntry): ExportSummary {
  const summary: ExportSummary = { ...entry.summary, at: iso(entry.summary.at) };
  if (entry.deliveredAt !== undefined) summary.postedAt = iso(entry.deliveredAt);
  const person = (id: string): ExportPerson =>
    [input.requester, input.partner].find((p) => p.id === id) ?? { id, name: 'someone' };
  // The partner's note is theirs alone until the summary carries it.
  const visible = (entry.approval?.answers ?? []).filter(
    (a) => a.userId === input.requester.id || entry.deliveredAt !== undefined,
  );
  if (visible.length > 0) {
    summary.lookOver = visible.map((a) => ({
      by: person(a.userId),
      said: a.kind,
      ...(a.note !== undefined ? { note: a.note } : {}),
      at: iso(a.at),
    }));
  }
  return summary;
}

/** A conversation of which only the summary is left: its answers are the summary's, all read by both. */
function fromSummary(input: ExportInput, entry: OutboxEntry): Built {
  const { summary } = entry;
  const flow = input.flows.get(summary.flowId);
  const conversation: ExportConversation = {
    id: entry.sessionId,
    flow: summary.flowId,
    title: summary.flowTitle,
    status: summary.status,
    channelId: entry.channelId,
    // The summary lists the partners in the order their ids are kept with it.
    partners: entry.partnerIds.map((id, i) => ({ id, name: summary.partners[i] ?? '' })),
    summary: summaryOf(input, entry),
  };
  const promises = summary.steps
    .filter((s) => flow?.steps.get(s.step)?.promise)
    .flatMap((s) =>
      s.entries.map((e): ExportPromise => {
        const promise: ExportPromise = {
          conversation: entry.sessionId,
          flowTitle: summary.flowTitle,
          question: s.title,
          by: { name: e.by },
          text: e.text,
          at: iso(summary.at),
        };
        if (e.additions) promise.additions = e.additions;
        return promise;
      }),
    );
  return { conversation, promises };
}
