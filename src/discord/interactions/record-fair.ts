/** "That's a fair record", on the private look-over of a summary before it is posted. */
import { answerRecord } from '../approval/record-answer.js';
import { sessionIdArgs } from '../approval/record-standing.js';
import { defineButton } from '../interaction.js';

export default defineButton<{ sessionId: string }>({
  name: 'record-fair',
  ...sessionIdArgs,
  run: (interaction, context, { sessionId }) => answerRecord(context, interaction, sessionId, { kind: 'fair' }),
});
