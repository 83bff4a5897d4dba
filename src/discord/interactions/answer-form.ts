/**
 * The answer form's submit: its fields read into an answer, according to what the prompt asked,
 * and taken like any answer. A form for a step that has passed is refused kindly, with what was
 * typed echoed back so nothing is lost.
 */
import type { ModalSubmitInteraction } from 'discord.js';
import type { AnswerValue } from '../../engine/flow-kit.js';
import type { Prompt } from '../../engine/prompt.js';
import { echoOf } from '../echo.js';
import { channelIdOf, defineModal } from '../interaction.js';
import { replyPrivately } from '../reply.js';

/** The ids of the form's fields. */
export const FIELD = { text: 'text', note: 'note', picks: 'picks', items: 'items' } as const;

export default defineModal<{ key: string; choice?: string }>({
  name: 'form',
  encode: ({ key, choice }) => (choice === undefined ? [key] : [key, choice]),
  parse: ([key, choice]) => (key ? (choice === undefined ? { key } : { key, choice }) : undefined),
  async run(interaction, context, { key, choice }) {
    const channelId = channelIdOf(interaction);
    const view = await context.sessions.view(channelId);
    const prompt = view?.prompt?.key === key ? view.prompt : undefined;
    if (prompt) return context.answering.submit(interaction, key, valueFromForm(interaction, prompt, choice));
    // Stale or finished: let the engine say which, kindly, and echo what they wrote.
    const check = await context.sessions.precheck(channelId, interaction.user.id, key);
    const message = check.ok ? 'That step has passed.' : check.rejection.message;
    const typed = interaction.fields.fields.map((f) => ('value' in f ? String(f.value) : '')).filter(Boolean);
    await replyPrivately(interaction, `${message}${echoOf({ text: typed.join('\n') })}`);
    return { outcome: check.ok ? 'stale-step' : check.rejection.code, view };
  },
});

/** Reads the form's fields into an answer, according to what the prompt asked. */
function valueFromForm(interaction: ModalSubmitInteraction, prompt: Prompt, choice?: string): AnswerValue {
  const fields = interaction.fields;
  const text = (id: string) => {
    try {
      return fields.getTextInputValue(id);
    } catch {
      return '';
    }
  };
  switch (prompt.input.kind) {
    case 'text': {
      const value: AnswerValue = { text: text(FIELD.text) };
      if (prompt.input.picker) {
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
