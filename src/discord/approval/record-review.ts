/**
 * The private look-over of a summary before it is posted: its at-a-glance part, as the posted
 * summary will show it, with "That's a fair record" and "Add a note" — or, once they have answered,
 * what they said and what happens next. Only the partner who asked sees it.
 */
import type { OutboxEntry } from '../../engine/outbox.js';
import { answerOf, awaitingApproval } from '../../engine/summary-approval.js';
import { buttonRows } from '../components.js';
import recordFair from '../interactions/record-fair.js';
import recordNote from '../interactions/record-note.js';
import { COLOR, embedOf, type MessagePayload, safeText } from '../note.js';
import { packMessages } from '../split.js';
import { highlightBlocks } from '../summary-render.js';
import { FAIR_LABEL, NOTE_LABEL, standingText } from './record-standing.js';

/**
 * The look-over, as private messages (the at-a-glance part can take more than one): the first
 * opens with why, the last carries the buttons, or what they already said.
 */
export function reviewMessages(entry: OutboxEntry, userId: string): MessagePayload[] {
  const mine = answerOf(entry, userId);
  const intro = {
    title: 'Before your summary is posted',
    description: [
      'Here is what your summary says at a glance. If it is fair to you, say so; if something is missing from your side, add a short note. A note never changes anyone’s words: it is posted under your name, beside the record.',
      standingText(entry, userId),
    ].join('\n\n'),
    color: COLOR.prompt,
  };
  const said = mine
    ? [
        {
          title: 'What you said',
          description:
            mine.kind === 'note' && mine.note !== undefined
              ? `Your note, posted under your name:\n> ${safeText(mine.note).split('\n').join('\n> ')}`
              : 'That it is a fair record.',
          color: COLOR.calm,
        },
      ]
    : [];
  const packed = packMessages([intro, ...highlightBlocks(entry.summary), ...said]);
  const open = !mine && awaitingApproval(entry);
  return packed.map((embeds, i) => ({
    content: '',
    embeds: embeds.map(embedOf),
    components:
      open && i === packed.length - 1
        ? buttonRows(
            { customId: recordFair.customId({ sessionId: entry.sessionId }), label: FAIR_LABEL },
            { customId: recordNote.customId({ sessionId: entry.sessionId }), label: NOTE_LABEL, style: 'secondary' },
          )
        : [],
    allowedMentions: { parse: [] },
  }));
}
