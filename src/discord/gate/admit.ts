/**
 * The gate before a couple's first conversation (PRODUCT.md, "Data and trust" and "Safety"): each
 * partner privately agrees to what Mend keeps and answers the private safety check. Until both
 * have done both, nothing they could write is asked for, so nothing they write is stored; the
 * conversation asked for waits in the couple record and starts when the last step is done
 * (start-when-ready.ts). A hold raised by the check keeps joint conversations closed.
 */
import { gateOf } from '../../engine/couples.js';
import type { StartRequest } from '../../engine/session.js';
import type { BotContext } from '../context.js';
import type { MessagePayload } from '../note.js';
import { gatePayload } from './gate-message.js';
import { heldMessage } from './safety-notes.js';

export type Admission =
  /** Both are through the gate: start. */
  | { kind: 'open' }
  /** Joint conversations are held: say so privately (`message`), and start nothing. */
  | { kind: 'held'; message: string }
  /** The conversation waits for the gate: show the channel `payload` (the two private steps). */
  | { kind: 'waiting'; payload: MessagePayload };

/** Before a conversation starts: open, held, or waiting for the two private steps (and remembered). */
export async function admit(context: BotContext, request: StartRequest & { guildId: string }): Promise<Admission> {
  const { guildId, starter, partner } = request;
  const record = await context.couples.find(guildId, starter.id, partner.id);
  const gate = gateOf(record, [starter.id, partner.id]);
  if (gate.kind === 'open') return { kind: 'open' };
  if (gate.kind === 'held') return { kind: 'held', message: heldMessage(starter.id, gate.raisedBy) };
  const waiting = await context.couples.wait(guildId, starter.id, partner.id, request.channelId, request.flowId);
  return { kind: 'waiting', payload: gatePayload(context, request, waiting) };
}
