/** The answer form for a prompt: a modal whose fields come from the step's input spec. */
import { LabelBuilder, ModalBuilder, StringSelectMenuBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import type { InputSpec, Option } from '../engine/flow-kit.js';
import { fillNames, type Prompt } from '../engine/prompt.js';
import type { SessionView } from '../engine/session.js';
import answerForm, { FIELD } from './interactions/answer-form.js';
import { clip } from './note.js';
import { LIMITS } from './split.js';

export function answerModal(view: SessionView, prompt: Prompt, choice?: Option): ModalBuilder {
  const fill = (text: string) => fillNames(text, view.context.roles, view.nameOf);
  const modal = new ModalBuilder()
    .setCustomId(answerForm.customId({ key: prompt.key, ...(choice ? { choice: choice.value } : {}) }))
    .setTitle(clip(fill(prompt.title), LIMITS.modalTitle));
  const input: InputSpec = prompt.input;
  if (input.kind === 'text') {
    modal.addLabelComponents(
      new LabelBuilder()
        .setLabel(clip(fill(input.label), LIMITS.inputLabel))
        .setDescription(clip(fill(prompt.text), 100))
        .setTextInputComponent(
          new TextInputBuilder()
            .setCustomId(FIELD.text)
            .setStyle(TextInputStyle.Paragraph)
            .setMinLength(Math.max(1, input.min))
            .setMaxLength(Math.min(input.max, LIMITS.inputValue))
            .setRequired(true)
            .setPlaceholder(clip(input.placeholder ?? 'Take your time.', 100)),
        ),
    );
    if (input.picker) {
      modal.addLabelComponents(
        new LabelBuilder().setLabel(clip(input.picker.label, LIMITS.inputLabel)).setStringSelectMenuComponent(
          new StringSelectMenuBuilder()
            .setCustomId(FIELD.picks)
            .setRequired(false)
            .setMinValues(0)
            .setMaxValues(Math.min(input.picker.max, input.picker.options.length))
            .addOptions(
              input.picker.options
                .slice(0, LIMITS.selectOptions)
                .map((o) => ({ label: clip(o.label, 100), value: o.value })),
            ),
        ),
      );
    }
  } else if (input.kind === 'list') {
    modal.addLabelComponents(
      new LabelBuilder()
        .setLabel(clip(fill(input.label), LIMITS.inputLabel))
        .setDescription(clip(`One per line: at least ${input.min}, at most ${input.max}.`, 100))
        .setTextInputComponent(
          new TextInputBuilder()
            .setCustomId(FIELD.items)
            .setStyle(TextInputStyle.Paragraph)
            .setMaxLength(Math.min(input.max * (input.itemMax + 1), LIMITS.inputValue))
            .setRequired(true)
            .setPlaceholder(clip(input.placeholder ?? 'One point per line', 100)),
        ),
    );
  } else if (input.note) {
    modal.addLabelComponents(
      new LabelBuilder()
        .setLabel(clip(input.note.label, LIMITS.inputLabel))
        .setDescription(clip(`You chose: ${choice?.label ?? ''}`, 100))
        .setTextInputComponent(
          new TextInputBuilder()
            .setCustomId(FIELD.note)
            .setStyle(TextInputStyle.Paragraph)
            .setRequired(input.note.min > 0)
            .setMaxLength(Math.min(input.note.max, LIMITS.inputValue))
            .setPlaceholder(clip(input.note.placeholder ?? 'A few words, if you like.', 100)),
        ),
    );
  }
  return modal;
}
