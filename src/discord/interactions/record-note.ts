/**
 * "Add a note", on the private look-over: a form for one short note. The form must be the first
 * response, so who may add one (a partner who has not answered, while it still waits) is checked
 * from the stored summary first; anyone else is told why instead.
 */
import { LabelBuilder, ModalBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import { APPROVAL_NOTE_MAX, answerOf, awaitingApproval } from '../../engine/summary-approval.js';
import { sessionIdArgs } from '../approval/record-standing.js';
import { defineButton } from '../interaction.js';
import { replyPrivately } from '../reply.js';
import recordNoteForm, { RECORD_NOTE_FIELD } from './record-note-form.js';

export default defineButton<{ sessionId: string }>({
  name: 'record-note',
  ...sessionIdArgs,
  async run(interaction, context, { sessionId }) {
    const entry = await context.sessions.outbox.get(sessionId);
    const userId = interaction.user.id;
    const refusal = !entry
      ? 'This summary is no longer kept here (it was erased, or its time ran out).'
      : !entry.partnerIds.includes(userId)
        ? 'This summary is for the two people in this conversation to look over.'
        : answerOf(entry, userId)
          ? 'You have already answered for this summary; what you said is kept, and posted with it.'
          : !awaitingApproval(entry)
            ? 'This summary has been posted already, so there is nothing more to add here.'
            : undefined;
    if (refusal) {
      await replyPrivately(interaction, refusal);
      return { outcome: 'record-note-refused' };
    }
    await interaction.showModal(
      new ModalBuilder()
        .setCustomId(recordNoteForm.customId({ sessionId }))
        .setTitle('A note beside your summary')
        .addLabelComponents(
          new LabelBuilder()
            .setLabel('Your note')
            .setDescription('In your own words, under your name. Nobody else’s words change.')
            .setTextInputComponent(
              new TextInputBuilder()
                .setCustomId(RECORD_NOTE_FIELD)
                .setStyle(TextInputStyle.Paragraph)
                .setRequired(true)
                .setMaxLength(APPROVAL_NOTE_MAX),
            ),
        ),
    );
    return { outcome: 'form-opened' };
  },
});
