/**
 * Starting what a follow-up is due for — a check-in on the couple's promises, or the next
 * conversation of a flow — as the session it becomes. Its id is the follow-up's, so a start retried
 * after a crash finds the session it already made instead of making a second one.
 */
import type { CheckInSubject, PartnerId } from './flow-types.js';
import type { FollowUpDue, Ledger } from './promises.js';
import type { SessionService, SessionView } from './session.js';
import { FINISHED } from './session-record.js';

export type FollowUpStart =
  /** Started now (`fresh`), or found started by an earlier try. */
  | { ok: true; view: SessionView; fresh: boolean; subject?: CheckInSubject }
  /** Not now: another conversation is open in their channel (tried again at the next tick). */
  | { ok: false; reason: 'busy' | 'refused' };

export async function startFollowUpSession(
  sessions: SessionService,
  ledger: Ledger,
  due: FollowUpDue,
  names: { starter: string; partner: string },
): Promise<FollowUpStart> {
  const open = await sessions.view(due.channelId);
  if (open?.record.id === due.id) return { ok: true, view: open, fresh: false };
  if (open && !FINISHED.has(open.status)) return { ok: false, reason: 'busy' };
  const [first, second] = ledger.partnerIds;
  const partnerId = due.starterId === first ? second : first;
  const subject = due.kind === 'check-in' ? subjectOf(ledger, due) : undefined;
  const started = await sessions.start({
    channelId: due.channelId,
    guildId: ledger.guildId,
    flowId: due.flowId,
    starter: { id: due.starterId, name: names.starter },
    partner: { id: partnerId, name: names.partner },
    id: due.id,
    ...(subject ? { subject } : {}),
  });
  if (!started.ok) return { ok: false, reason: 'refused' };
  await sessions.ledger.markStarted(ledger.guildId, first, second, due.id);
  return subject
    ? { ok: true, view: started.view, fresh: true, subject }
    : { ok: true, view: started.view, fresh: true };
}

/** The promises a check-in asks after, as they were made, with partners named as in the session (`a` starts). */
export function subjectOf(ledger: Ledger, due: FollowUpDue): CheckInSubject {
  const asked = ledger.promises.filter((p) => due.promiseIds.includes(p.id));
  const as = (id: string): PartnerId => (id === due.starterId ? 'a' : 'b');
  return {
    flowTitle: asked[0]?.flowTitle ?? '',
    madeAt: asked[0]?.madeAt ?? due.dueAt,
    promises: asked.map((p) => {
      const promise: CheckInSubject['promises'][number] = {
        id: p.id,
        by: p.by.map(as),
        to: p.to.map(as),
        words: p.words,
      };
      if (p.about !== undefined) promise.about = p.about;
      return promise;
    }),
  };
}
