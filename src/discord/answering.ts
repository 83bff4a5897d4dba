/**
 * Taking one partner's answer, from a choice button or a form: applied by the engine, then the
 * prompt message is marked answered (keeping its buttons while the other partner is still to
 * answer), the channel is shown what changed, and a private step that follows (the apology
 * review) is shown to its author alone. A refusal is private and echoes what was typed.
 */
import { type ButtonInteraction, MessageFlags, type ModalSubmitInteraction } from 'discord.js';
import type { AnswerValue } from '../engine/flow-kit.js';
import type { BotContext, Handled } from './context.js';
import { echoOf } from './echo.js';
import { channelIdOf } from './interaction.js';
import { notePayload } from './note.js';
import { privatePromptPayload } from './private-prompt.js';
import { answeredPromptPayload } from './prompt-messages.js';
import { replyPrivately } from './reply.js';

/** The same partner answering the same prompt is one input, however often it arrives. */
const answerInputId = (userId: string, key: string) => `answer:${userId}:${key}`;

export async function submitAnswer(
  context: BotContext,
  interaction: ButtonInteraction | ModalSubmitInteraction,
  key: string,
  value: AnswerValue,
): Promise<Handled> {
  const outcome = await context.sessions.apply(channelIdOf(interaction), {
    id: answerInputId(interaction.user.id, key),
    userId: interaction.user.id,
    action: 'answer',
    step: key,
    value,
  });
  if (!outcome.ok) {
    const extra = outcome.rejection.code === 'invalid-answer' ? echoOf(value) : '';
    await replyPrivately(interaction, `${outcome.rejection.message}${extra}`);
    return { outcome: outcome.rejection.code, view: outcome.view };
  }
  const before = outcome.previous;
  if (outcome.duplicate) {
    await replyPrivately(interaction, 'Got it — your answer was already saved.');
    return { outcome: 'duplicate', view: before };
  }
  if (outcome.safetyHold) {
    // Only the writer sees this. The channel gets a neutral note that names no one.
    await replyPrivately(
      interaction,
      `Thank you for telling me. I’ve paused this conversation for both of you, without saying who or why. What you just wrote has not been saved or shared with anyone.\n\n${context.safetyResources}${echoOf(value)}`,
      { title: 'You don’t have to carry this alone' },
    );
    await context.present.outcome(outcome);
    return { outcome: 'safety-pause', view: before };
  }
  const answered = before.prompt?.key === key ? before.prompt : undefined;
  const sameStepStillOpen = outcome.view.prompt?.key === key ? outcome.view.prompt : undefined;
  const fromMessage = interaction.isButton() || (interaction.isModalSubmit() && interaction.isFromMessage());
  const privateMessage = interaction.message?.flags.has(MessageFlags.Ephemeral) ?? false;
  if (answered && fromMessage && interaction.message && !privateMessage) {
    const shown = sameStepStillOpen ?? { ...answered, answered: [...answered.answered, outcome.by] };
    await interaction.update(answeredPromptPayload(outcome.view, shown, sameStepStillOpen?.awaiting ?? []));
  } else if (fromMessage && privateMessage) {
    await interaction.update({ ...notePayload('✓ Thank you.'), components: [] });
  } else {
    await replyPrivately(interaction, '✓ Saved.');
  }
  await context.present.outcome(outcome);
  const next = outcome.view.prompt;
  if (next?.private && next.awaiting.includes(outcome.by)) {
    await replyPrivately(interaction, privatePromptPayload(outcome.view, next));
  }
  return { outcome: 'accepted', view: before };
}
