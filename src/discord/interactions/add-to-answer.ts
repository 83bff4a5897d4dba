/** "Add to my answer": a form for a few words added to an answer the other partner has read. */
import { LabelBuilder, ModalBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import { refOfKey } from '../../engine/prompt.js';
import { ADDITION_MAX } from '../../engine/session.js';
import { defineButton } from '../interaction.js';
import additionForm, { ADDITION_FIELD } from './addition-form.js';

export default defineButton<{ key: string }>({
  name: 'add',
  encode: ({ key }) => [key],
  parse: ([key]) => (key && refOfKey(key) ? { key } : undefined),
  async run(interaction, _context, { key }) {
    await interaction.showModal(
      new ModalBuilder()
        .setCustomId(additionForm.customId({ key }))
        .setTitle('Add to your answer')
        .addLabelComponents(
          new LabelBuilder()
            .setLabel('What you’d like to add')
            .setDescription('Your answer stays as it was; this follows it, with your name.')
            .setTextInputComponent(
              new TextInputBuilder()
                .setCustomId(ADDITION_FIELD)
                .setStyle(TextInputStyle.Paragraph)
                .setRequired(true)
                .setMaxLength(ADDITION_MAX),
            ),
        ),
    );
    return { outcome: 'form-opened' };
  },
});
