/**
 * The fields of Mend's forms, from a step's input spec: the modal's fields (prefilled with an
 * author's own words when they rewrite or change an answer), and a submitted form read back into
 * an answer. The answer form and the change form share them, so a change asks exactly what the
 * answer did.
 */
import {
  LabelBuilder,
  type ModalBuilder,
  type ModalSubmitInteraction,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import type { AnswerValue, InputSpec, Option } from '../engine/flow-types.js';
import { clip } from './note.js';
import { LIMITS } from './split.js';

/** The ids of a form's fields. */
export const FIELD = { text: 'text', note: 'note', picks: 'picks', items: 'items' } as const;

export interface FieldsFor {
  input: InputSpec;
  /** The question, shown under the first field's label. */
  question: string;
  /** For a choice with a note: the choice made (its note's label can depend on it). */
  choice?: Option;
  /** Words to start from. */
  prefill?: AnswerValue;
  /** Labels and placeholders with names in. */
  fill: (text: string) => string;
}

/** Adds the fields an input takes to a modal. */
export function addFields(modal: ModalBuilder, spec: FieldsFor): ModalBuilder {
  const { input, fill, prefill } = spec;
  if (input.kind === 'text') {
    const box = new TextInputBuilder()
      .setCustomId(FIELD.text)
      .setStyle(TextInputStyle.Paragraph)
      .setMinLength(Math.max(1, input.min))
      .setMaxLength(Math.min(input.max, LIMITS.inputValue))
      .setRequired(true)
      .setPlaceholder(clip(input.placeholder ?? 'Take your time.', 100));
    if (prefill?.text) box.setValue(prefill.text.slice(0, LIMITS.inputValue));
    modal.addLabelComponents(
      new LabelBuilder()
        .setLabel(clip(fill(input.label), LIMITS.inputLabel))
        .setDescription(clip(fill(spec.question), 100))
        .setTextInputComponent(box),
    );
    if (input.picker) {
      const chosen = new Set(prefill?.picks ?? []);
      modal.addLabelComponents(
        new LabelBuilder().setLabel(clip(input.picker.label, LIMITS.inputLabel)).setStringSelectMenuComponent(
          new StringSelectMenuBuilder()
            .setCustomId(FIELD.picks)
            .setRequired(false)
            .setMinValues(0)
            .setMaxValues(Math.min(input.picker.max, input.picker.options.length))
            .addOptions(
              input.picker.options.slice(0, LIMITS.selectOptions).map((o) => ({
                label: clip(o.label, 100),
                value: o.value,
                ...(chosen.has(o.value) ? { default: true } : {}),
              })),
            ),
        ),
      );
    }
  } else if (input.kind === 'list') {
    const box = new TextInputBuilder()
      .setCustomId(FIELD.items)
      .setStyle(TextInputStyle.Paragraph)
      .setMaxLength(Math.min(input.max * (input.itemMax + 1), LIMITS.inputValue))
      .setRequired(true)
      .setPlaceholder(clip(input.placeholder ?? 'One point per line', 100));
    if (prefill?.items?.length) box.setValue(prefill.items.join('\n').slice(0, LIMITS.inputValue));
    modal.addLabelComponents(
      new LabelBuilder()
        .setLabel(clip(fill(input.label), LIMITS.inputLabel))
        .setDescription(
          clip(
            input.min === input.max
              ? `Exactly ${input.min}, one per line.`
              : `One per line: at least ${input.min}, at most ${input.max}.`,
            100,
          ),
        )
        .setTextInputComponent(box),
    );
  } else if (input.note) {
    const note = input.note;
    const choice = spec.choice;
    const required = note.min > 0 || (choice !== undefined && (note.requiredFor ?? []).includes(choice.value));
    const box = new TextInputBuilder()
      .setCustomId(FIELD.note)
      .setStyle(TextInputStyle.Paragraph)
      .setRequired(required)
      .setMaxLength(Math.min(note.max, LIMITS.inputValue))
      .setPlaceholder(clip(note.placeholder ?? (required ? 'A few words, please.' : 'A few words, if you like.'), 100));
    if (prefill?.note) box.setValue(prefill.note.slice(0, LIMITS.inputValue));
    const label = (choice && note.labelFor?.[choice.value]) ?? note.label;
    modal.addLabelComponents(
      new LabelBuilder()
        .setLabel(clip(fill(label), LIMITS.inputLabel))
        .setDescription(clip(`You chose: ${choice?.label ?? ''}`, 100))
        .setTextInputComponent(box),
    );
  }
  return modal;
}

/** Reads a submitted form's fields into an answer, according to what the step asks. */
export function valueFromForm(interaction: ModalSubmitInteraction, input: InputSpec, choice?: string): AnswerValue {
  const fields = interaction.fields;
  const text = (id: string) => {
    try {
      return fields.getTextInputValue(id);
    } catch {
      return '';
    }
  };
  switch (input.kind) {
    case 'text': {
      const value: AnswerValue = { text: text(FIELD.text) };
      if (input.picker) {
        try {
          const picks = fields.getStringSelectValues(FIELD.picks);
          if (picks.length > 0) value.picks = [...picks];
        } catch {
          // No picks chosen: the picker is optional.
        }
      }
      return value;
    }
    case 'list':
      return { items: text(FIELD.items).split(/\r?\n/) };
    case 'choice': {
      const value: AnswerValue = { choice: choice ?? '' };
      const note = text(FIELD.note);
      if (note.trim()) value.note = note;
      return value;
    }
  }
}

/** Everything typed in a form, to echo back privately when it could not be used. */
export function typedIn(interaction: ModalSubmitInteraction): string {
  return interaction.fields.fields
    .map((f) => ('value' in f ? String(f.value) : ''))
    .filter(Boolean)
    .join('\n');
}
