/** The channel message that opens the gate: two private steps for each partner, as buttons. */
import type { CoupleRecord } from '../../engine/couples.js';
import type { StartRequest } from '../../engine/session.js';
import { buttonRows } from '../components.js';
import type { BotContext } from '../context.js';
import consentRead from '../interactions/consent-read.js';
import safetyCheck from '../interactions/safety-check.js';
import { type MessagePayload, notePayload, safeText } from '../note.js';

const isThrough = (record: CoupleRecord, id: string) =>
  record.consent[id] !== undefined && record.checked[id] !== undefined;

/** The channel message: two private steps for each of them, and who has done both already. */
export function gatePayload(context: BotContext, request: StartRequest, record: CoupleRecord): MessagePayload {
  const flow = context.flows.get(request.flowId);
  const [a, b] = record.partnerIds;
  const done = [request.starter, request.partner].filter((p) => isThrough(record, p.id));
  const text = [
    `**${safeText(request.starter.name)}** would like to start **${safeText(flow?.title ?? request.flowId)}** with you, **${safeText(request.partner.name)}**.`,
    'Before your first conversation, Mend asks each of you for two things, privately — neither of you sees the other’s:',
    '1. **What Mend keeps**: read what is stored, for how long and who can see it, and say whether you agree.',
    '2. **A private check**: three short questions about feeling safe, for you alone. Your answers are not kept.',
    done.length > 0 ? `${done.map((p) => `**${safeText(p.name)}**`).join(' and ')} has done both.` : '',
    'When you have both done both, the conversation begins here.',
  ].filter(Boolean);
  const payload = notePayload(text.join('\n\n'), 'Before you begin');
  payload.components = buttonRows(
    { customId: consentRead.customId({ a, b }), label: 'What Mend keeps' },
    { customId: safetyCheck.customId({ a, b, trail: '' }), label: 'My private check' },
  );
  return payload;
}
