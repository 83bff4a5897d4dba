/**
 * What each partner reads, privately, before agreeing to what Mend keeps (GDPR Art. 9(2)(a) asks
 * for explicit consent to keep data about a relationship and a sex life). Short and plain: what,
 * where, for how long, who else can see the channel, and how to take it back.
 */
const HOUR = 3_600_000;

export interface KeepingTimes {
  /** How long an unfinished conversation is kept. */
  expiryMs: number;
  /** How long what was written is kept once its summary is posted. */
  retentionMs: number;
}

const days = (ms: number) => Math.max(1, Math.round(ms / (24 * HOUR)));
const hours = (ms: number) => Math.round(ms / HOUR);

function afterSummary(retentionMs: number): string {
  if (retentionMs <= 0) return 'once its summary is posted here, what you wrote is deleted straight away';
  const h = hours(retentionMs);
  return `once its summary is posted here, what you wrote is deleted within ${h} hour${h === 1 ? '' : 's'}`;
}

export function consentNote(times: KeepingTimes): string {
  const expiry = days(times.expiryMs);
  return [
    '**What:** what you write and choose in a conversation, the names you go by on this server, and which channel it was in. Never your answers to the private check.',
    '**Where:** only in the database of whoever runs this Mend bot. It never goes into logs.',
    `**For how long:** an unfinished conversation is kept for up to ${expiry} day${expiry === 1 ? '' : 's'}; ${afterSummary(times.retentionMs)}. The summary message stays in this channel until you delete it.`,
    '**Who can see this channel:** the two of you, Mend, and this server’s owner and admins — Discord lets anyone with admin or Manage Channels rights read any channel.',
    '**Taking it back:** `/forget` erases everything Mend keeps about the two of you, this agreement included, at any time. `/export` gives you a copy of it.',
    'Do you agree to Mend keeping this while the two of you use it?',
  ].join('\n\n');
}
