/** The note's form, sent: one short note of their own, posted under their name beside the record. */
import { answerRecord } from '../approval/record-answer.js';
import { sessionIdArgs } from '../approval/record-standing.js';
import { defineModal } from '../interaction.js';

export const RECORD_NOTE_FIELD = 'record-note';

export default defineModal<{ sessionId: string }>({
  name: 'record-note-form',
  ...sessionIdArgs,
  run: (interaction, context, { sessionId }) =>
    answerRecord(context, interaction, sessionId, {
      kind: 'note',
      text: interaction.fields.getTextInputValue(RECORD_NOTE_FIELD),
    }),
});
