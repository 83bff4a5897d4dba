/**
 * The couple record in an export, as one partner may see it: the channels, when each of them agreed
 * to what Mend keeps (consent is not secret), when they themselves answered the safety check, and a
 * hold only if they raised it. Never the other's safety check: neither whether or when they answered
 * it, nor a hold they raised — and nothing that moves with it (the record's last change, a
 * conversation waiting on the check, which a hold clears; nor the record itself when a hold is all
 * that is left of it after an erasure).
 */
import { parseCouple } from './couples.js';

export interface ExportCouple {
  /** The channel their conversations run in (the latest). */
  channelId?: string;
  /** Every channel a conversation of theirs has run in. */
  channelIds: string[];
  /** User id → when they agreed to what Mend keeps. */
  consent: Record<string, string>;
  /** When the reader answered the safety check (theirs only). */
  yourSafetyCheck?: string;
  /** A hold on joint conversations the reader raised (only they can lift it). */
  yourHold?: { at: string };
  /** When the couple was told what Mend is and is not. */
  introducedAt?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * What `reader` may see of the stored couple record of `reader` and `partner`: undefined when it
 * cannot be read, or when none of it is theirs to see.
 */
export function coupleAsSeenBy(raw: unknown, reader: string, partner: string): ExportCouple | undefined {
  const record = parseCouple(raw);
  if (!record) return undefined;
  const couple: ExportCouple = { channelIds: record.channelIds, consent: {} };
  if (record.channelId) couple.channelId = record.channelId;
  for (const id of [reader, partner]) {
    const at = record.consent[id];
    if (at !== undefined) couple.consent[id] = iso(at);
  }
  const checked = record.checked[reader];
  if (checked !== undefined) couple.yourSafetyCheck = iso(checked);
  if (record.hold?.raisedBy === reader) couple.yourHold = { at: iso(record.hold.at) };
  if (record.introducedAt !== undefined) couple.introducedAt = iso(record.introducedAt);
  const { channelIds, consent, ...rest } = couple;
  const seen = channelIds.length > 0 || Object.keys(consent).length > 0 || Object.keys(rest).length > 0;
  return seen ? couple : undefined;
}
