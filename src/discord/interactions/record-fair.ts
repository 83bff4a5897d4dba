/** "That's a fair record", on the private look-over of a summary before it is posted. */
import { answerRecord } from '../approval/record-answer.js';
import { sessionIdPart } from '../approval/record-standing.js';
import { defineButton } from '../interaction.js';

export default defineButton<{ sessionId: string }>({
  name: 'record-fair',
  encode: ({ sessionId }) => [sessionId],
  parse: ([part]) => {
    const sessionId = sessionIdPart(part);
    return sessionId ? { sessionId } : undefined;
  },
  run: (interaction, context, { sessionId }) => answerRecord(context, interaction, sessionId, { kind: 'fair' }),
});
