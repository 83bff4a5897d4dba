/**
 * Answering: a choice button answers at once; a "write" button opens the answer form (a modal,
 * which must be the first response, so who may answer is checked before it opens); the form's
 * submit is applied; "open" shows a private prompt to its author only.
 */
import { type ButtonInteraction, MessageFlags, type ModalSubmitInteraction } from 'discord.js';
import type { AnswerValue } from '../../engine/flow-kit.js';
import type { Prompt } from '../../engine/prompt.js';
import type { ApplyOutcome } from '../../engine/session.js';
import type { BotContext } from '../context.js';
import { FIELD } from '../custom-ids.js';
import { publishOutcome } from '../publish.js';
import { answeredPromptPayload, answerModal, notePayload, privatePromptPayload } from '../render.js';
import { noteSession } from '../trace.js';

const ephemeral = MessageFlags.Ephemeral;

/** The router only hands over interactions from a channel, so this is never empty. */
export const channelOf = (interaction: { channelId: string | null }) => interaction.channelId ?? '';

/** The same partner answering the same prompt is one input, however often it arrives. */
const answerInputId = (userId: string, key: string) => `answer:${userId}:${key}`;

async function refuse(interaction: ButtonInteraction | ModalSubmitInteraction, message: string): Promise<void> {
  await interaction.reply({ ...notePayload(message), flags: ephemeral });
}

export async function openAnswerForm(
  interaction: ButtonInteraction,
  context: BotContext,
  key: string,
  choice?: string,
): Promise<string> {
  const check = await context.sessions.precheck(channelOf(interaction), interaction.user.id, key);
  if (!check.ok) {
    await refuse(interaction, check.rejection.message);
    return check.rejection.code;
  }
  noteSession(interaction, check.view);
  const option =
    check.prompt.input.kind === 'choice' ? check.prompt.input.options.find((o) => o.value === choice) : undefined;
  if (choice !== undefined && !option) {
    await refuse(
      interaction,
      'That choice is no longer on offer. The current question is the latest message from Mend.',
    );
    return 'unknown-choice';
  }
  await interaction.showModal(answerModal(check.view, check.prompt, option));
  return 'form-opened';
}

export async function openPrivatePrompt(
  interaction: ButtonInteraction,
  context: BotContext,
  key: string,
): Promise<string> {
  const check = await context.sessions.precheck(channelOf(interaction), interaction.user.id, key);
  if (!check.ok) {
    await refuse(interaction, check.rejection.message);
    return check.rejection.code;
  }
  noteSession(interaction, check.view);
  await interaction.reply({ ...privatePromptPayload(check.view, check.prompt), flags: ephemeral });
  return 'private-prompt-shown';
}

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

/** Everything typed in a form, echoed privately when it could not be used, so nothing is lost. */
function echo(value: AnswerValue): string {
  const typed = [value.text, value.note, value.items?.join('\n')].filter((t): t is string => Boolean(t?.trim()));
  if (typed.length === 0) return '';
  const body = typed.join('\n').replace(/```/g, "'''");
  return `\n\nHere is what you wrote, so you can copy it:\n\`\`\`\n${body.slice(0, 3500)}\n\`\`\``;
}

export async function submitAnswer(
  interaction: ButtonInteraction | ModalSubmitInteraction,
  context: BotContext,
  key: string,
  value: AnswerValue,
): Promise<string> {
  const outcome: ApplyOutcome = await context.sessions.apply(channelOf(interaction), {
    id: answerInputId(interaction.user.id, key),
    userId: interaction.user.id,
    action: 'answer',
    step: key,
    value,
  });
  noteSession(interaction, outcome.ok ? outcome.previous : outcome.view);
  if (!outcome.ok) {
    const extra = outcome.rejection.code === 'invalid-answer' ? echo(value) : '';
    await interaction.reply({ ...notePayload(`${outcome.rejection.message}${extra}`), flags: ephemeral });
    return outcome.rejection.code;
  }
  if (outcome.duplicate) {
    await interaction.reply({ ...notePayload('Got it — your answer was already saved.'), flags: ephemeral });
    return 'duplicate';
  }
  const before = outcome.previous;
  if (outcome.safetyHold) {
    // Only the writer sees this. The channel gets a neutral note that names no one.
    await interaction.reply({
      ...notePayload(
        `Thank you for telling me. I’ve paused this conversation for both of you, without saying who or why. What you just wrote has not been saved or shared with anyone.\n\n${context.safetyResources}${echo(value)}`,
        'You don’t have to carry this alone',
      ),
      flags: ephemeral,
    });
    await publishOutcome(context, outcome);
    return 'safety-pause';
  }
  // The prompt this answered: mark it answered (keeping its buttons while the other partner is still to answer).
  const answered = before?.prompt?.key === key ? before.prompt : undefined;
  const sameStepStillOpen = outcome.view.prompt?.key === key ? outcome.view.prompt : undefined;
  const fromMessage = interaction.isButton() || (interaction.isModalSubmit() && interaction.isFromMessage());
  if (answered && fromMessage && interaction.message && !interaction.message.flags.has(MessageFlags.Ephemeral)) {
    const shown = sameStepStillOpen ?? { ...answered, answered: [...answered.answered, outcome.by] };
    await interaction.update(answeredPromptPayload(outcome.view, shown, sameStepStillOpen?.awaiting ?? []));
  } else if (fromMessage && interaction.message?.flags.has(MessageFlags.Ephemeral)) {
    await interaction.update({ ...notePayload('✓ Thank you.'), components: [] });
  } else {
    await interaction.reply({ ...notePayload('✓ Saved.'), flags: ephemeral });
  }
  await publishOutcome(context, outcome);
  // A private step for the person who just answered (apology review): show it to them alone, now.
  const next = outcome.view.prompt;
  if (next?.private && next.awaiting.includes(outcome.by)) {
    await interaction.followUp({ ...privatePromptPayload(outcome.view, next), flags: ephemeral });
  }
  return 'accepted';
}

export async function submitForm(
  interaction: ModalSubmitInteraction,
  context: BotContext,
  key: string,
  choice?: string,
): Promise<string> {
  const view = await context.sessions.view(channelOf(interaction));
  const prompt = view?.prompt?.key === key ? view.prompt : undefined;
  if (!prompt) {
    // Stale or finished: let the engine say which, kindly, and echo what they wrote.
    const check = await context.sessions.precheck(channelOf(interaction), interaction.user.id, key);
    const message = check.ok ? 'That step has passed.' : check.rejection.message;
    const typed = interaction.fields.fields.map((f) => ('value' in f ? String(f.value) : '')).filter(Boolean);
    await interaction.reply({ ...notePayload(`${message}${echo({ text: typed.join('\n') })}`), flags: ephemeral });
    return check.ok ? 'stale-step' : check.rejection.code;
  }
  return submitAnswer(interaction, context, key, valueFromForm(interaction, prompt, choice));
}
