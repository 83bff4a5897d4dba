/** The answer form for a prompt: a modal whose fields come from the step's input spec. */
import { ModalBuilder } from 'discord.js';
import type { Option } from '../engine/flow-types.js';
import { fillNames, type Prompt } from '../engine/prompt.js';
import type { SessionView } from '../engine/session.js';
import { addFields } from './form-fields.js';
import answerForm from './interactions/answer-form.js';
import { clip } from './note.js';
import { LIMITS } from './split.js';

export function answerModal(view: SessionView, prompt: Prompt, choice?: Option): ModalBuilder {
  const fill = (text: string) => fillNames(text, view.context.roles, view.nameOf);
  const modal = new ModalBuilder()
    .setCustomId(answerForm.customId({ key: prompt.key, ...(choice ? { choice: choice.value } : {}) }))
    .setTitle(clip(fill(prompt.title), LIMITS.modalTitle));
  return addFields(modal, {
    input: prompt.input,
    question: prompt.text,
    fill,
    ...(choice ? { choice } : {}),
    ...(prompt.prefill ? { prefill: prompt.prefill } : {}),
  });
}
