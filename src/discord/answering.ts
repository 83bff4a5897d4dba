/**
 * Taking one partner's answer, a change to it, or an addition. The answer is applied by the
 * engine; the prompt message it came from then shows it, by name and in full (a sealed answer
 * only once both are in; a draft under private review only as "still writing"); the channel is
 * shown what else changed; and a private step that follows (the apology review) goes to its
 * author alone. A refusal is private and echoes what was typed, so nothing is lost.
 */
import { type ButtonInteraction, MessageFlags, type ModalSubmitInteraction } from 'discord.js';
import type { AnswerRecord, AnswerValue } from '../engine/flow-types.js';
import { otherPartner } from '../engine/flow-types.js';
import { fillNames, type Prompt } from '../engine/prompt.js';
import type { ApplyOutcome, SessionInput } from '../engine/session.js';
import { answerModal } from './answer-modal.js';
import { answeredStateOf } from './answered.js';
import type { AcceptedOutcome, BotContext, Handled } from './context.js';
import { echoOf } from './echo.js';
import { typedIn } from './form-fields.js';
import { channelIdOf } from './interaction.js';
import { type MessagePayload, notePayload } from './note.js';
import { postMessages } from './presenter.js';
import { privatePromptPayload } from './private-prompt.js';
import { additionMessages, answeredPromptMessages, answerMessages, stillWritingMessage } from './prompt-messages.js';
import { replyPrivately } from './reply.js';

type Answered = ButtonInteraction | ModalSubmitInteraction;

/** What they gave: the answer itself, or, read off a form, every field as typed. */
function typedBy(
  interaction: Answered,
  given: AnswerValue | ((prompt: Prompt) => AnswerValue) | undefined,
): AnswerValue {
  if (given !== undefined && typeof given !== 'function') return given;
  return interaction.isModalSubmit() ? { text: typedIn(interaction) } : {};
}

/** The same partner answering the same prompt is one input, however often it arrives. */
const answerInputId = (userId: string, key: string) => `answer:${userId}:${key}`;

/** Where the input came from: a message in the channel, a private (ephemeral) one, or neither. */
function sourceOf(interaction: Answered): 'channel' | 'private' | 'none' {
  const fromMessage = interaction.isButton() || (interaction.isModalSubmit() && interaction.isFromMessage());
  if (!fromMessage || !interaction.message) return 'none';
  return interaction.message.flags.has(MessageFlags.Ephemeral) ? 'private' : 'channel';
}

/** Updates the message the input came from (a button's, or the form's opener's). */
async function updateSource(interaction: Answered, payload: MessagePayload): Promise<void> {
  if (interaction.isButton()) await interaction.update(payload);
  else if (interaction.isFromMessage()) await interaction.update(payload);
  else await replyPrivately(interaction, payload);
}

async function apply(
  context: BotContext,
  interaction: Answered,
  input: Omit<SessionInput, 'userId'>,
  typed: AnswerValue | undefined,
): Promise<{ accepted: AcceptedOutcome } | { handled: Handled }> {
  const outcome: ApplyOutcome = await context.sessions.apply(channelIdOf(interaction), {
    ...input,
    userId: interaction.user.id,
  });
  if (!outcome.ok) {
    // What they typed comes back to them, so nothing is lost (from a form, as they typed it).
    const words = typed ?? typedBy(interaction, undefined);
    const extra = outcome.rejection.code === 'invalid-answer' || interaction.isModalSubmit() ? echoOf(words) : '';
    await replyPrivately(interaction, `${outcome.rejection.message}${extra}`);
    return { handled: { outcome: outcome.rejection.code, view: outcome.view } };
  }
  if (outcome.duplicate) {
    await replyPrivately(interaction, 'Got it — your answer was already saved.');
    return { handled: { outcome: 'duplicate', view: outcome.previous } };
  }
  return { accepted: outcome };
}

/**
 * What they wrote spoke of harm: the engine kept none of it and paused the exercise for both. Only
 * the writer sees this, with their words given back; the channel gets a neutral note naming no one.
 */
async function holdForSafety(
  context: BotContext,
  interaction: Answered,
  outcome: AcceptedOutcome,
  typed: AnswerValue,
): Promise<Handled> {
  await replyPrivately(
    interaction,
    `Thank you for telling me. I’ve paused this conversation for both of you, without saying who or why. What you just wrote has not been saved or shared with anyone.\n\n${context.safetyResources}${echoOf(typed)}`,
    { title: 'You don’t have to carry this alone' },
  );
  await context.present.outcome(outcome);
  return { outcome: 'safety-pause', view: outcome.previous };
}

export async function submitAnswer(
  context: BotContext,
  interaction: Answered,
  key: string,
  given: AnswerValue | ((prompt: Prompt) => AnswerValue),
): Promise<Handled> {
  const input: Omit<SessionInput, 'userId'> = {
    id: answerInputId(interaction.user.id, key),
    action: 'answer',
    step: key,
  };
  if (typeof given === 'function') input.valueFor = given;
  else input.value = given;
  const applied = await apply(context, interaction, input, typeof given === 'function' ? undefined : given);
  if ('handled' in applied) return applied.handled;
  const outcome = applied.accepted;
  const before = outcome.previous;
  if (outcome.safetyHold) return holdForSafety(context, interaction, outcome, typedBy(interaction, given));

  const answered = before.prompt?.key === key ? before.prompt : undefined;
  const next = outcome.view.prompt;
  const writingOn = next?.awaiting.includes(outcome.by) === true && (next.private || next.prefill !== undefined);
  const source = sourceOf(interaction);
  let displayed: AnswerRecord[] = [];
  if (interaction.isButton() && source === 'private' && next?.prefill && next.awaiting.includes(outcome.by)) {
    // "Rewrite them": the form opens again at once, with the author's own words in it.
    await interaction.showModal(answerModal(outcome.view, next));
  } else if (source === 'channel' && answered) {
    const fill = (text: string) => fillNames(text, outcome.view.context.roles, outcome.view.nameOf);
    if (next?.private && writingOn) {
      await updateSource(interaction, stillWritingMessage(outcome.view, next, fill(answered.title)));
    } else {
      const state = { ...answeredStateOf(outcome.view, key), asked: before };
      const [first, ...rest] = answeredPromptMessages(outcome.view, answered, state);
      if (first) await updateSource(interaction, first);
      await postMessages(context, outcome.view, rest);
      displayed = state.readable;
    }
  } else if (source === 'private') {
    await updateSource(interaction, { ...notePayload('✓ Thank you.'), components: [] });
  } else {
    await replyPrivately(interaction, '✓ Saved.');
  }
  await context.present.outcome(outcome, displayed);
  if (next?.private && next.awaiting.includes(outcome.by)) {
    await replyPrivately(interaction, privatePromptPayload(outcome.view, next));
  }
  return { outcome: 'accepted', view: before };
}

/** A change of words (or of a sealed choice still waiting), by its author, before the other has read it. */
export async function reviseAnswer(
  context: BotContext,
  interaction: Answered,
  key: string,
  value: AnswerValue,
): Promise<Handled> {
  const applied = await apply(
    context,
    interaction,
    { id: `revise:${interaction.id}`, action: 'revise', step: key, value },
    value,
  );
  if ('handled' in applied) return applied.handled;
  const outcome = applied.accepted;
  if (outcome.safetyHold) return holdForSafety(context, interaction, outcome, value);
  const { view, changed } = outcome;
  const source = sourceOf(interaction);
  const state = answeredStateOf(view, key);
  let displayed: AnswerRecord[] = [];
  if (!changed) {
    // Still waiting, unseen: nobody saw the old answer, and nobody sees the change either.
    const other = state.stillOpen?.awaiting.map((p) => view.nameOf(p)).join(' and ');
    const text = other ? `✓ Changed. It stays hidden until ${other} has answered too.` : '✓ Changed.';
    if (source === 'private') await updateSource(interaction, { ...notePayload(text), components: [] });
    else await replyPrivately(interaction, text);
  } else if (source === 'channel' && state.stillOpen) {
    // The prompt is still waiting on the other: it shows the new words in place.
    const [first, ...rest] = answeredPromptMessages(view, state.stillOpen, state);
    if (first) await updateSource(interaction, first);
    await postMessages(context, view, rest);
    displayed = state.readable;
  } else {
    const title = fillNames(view.flow.steps.get(changed.step)?.title ?? '', view.context.roles, view.nameOf);
    const notice = notePayload(`✎ ${view.nameOf(changed.by)} changed their answer; the new words follow.`, title);
    if (source === 'channel') await updateSource(interaction, { ...notice, components: [] });
    else await replyPrivately(interaction, '✓ Changed.');
    await postMessages(context, view, answerMessages(view, [changed], ' (changed)'));
  }
  if (outcome.coachNotes) {
    // Only the author sees this, and it changes nothing: their words stand as they wrote them.
    await replyPrivately(
      interaction,
      `A simple word check noticed, in your new words:\n${outcome.coachNotes.map((n) => `• ${n}`).join('\n')}\n\nIt can be wrong; you can change them again until ${view.nameOf(otherPartner(outcome.by))} answers.`,
      { title: 'A private note on your words' },
    );
  }
  // A change can move the conversation on (a "not now" given instead): show what follows.
  await context.present.outcome(outcome, displayed);
  return { outcome: 'revised', view: outcome.previous };
}

/** A few words added to an answer the other partner has already read. */
export async function addToAnswer(
  context: BotContext,
  interaction: Answered,
  key: string,
  text: string,
): Promise<Handled> {
  const applied = await apply(
    context,
    interaction,
    { id: `add:${interaction.id}`, action: 'add', step: key, text },
    { text },
  );
  if ('handled' in applied) return applied.handled;
  if (applied.accepted.safetyHold) return holdForSafety(context, interaction, applied.accepted, { text });
  const { view, changed } = applied.accepted;
  if (sourceOf(interaction) === 'private')
    await updateSource(interaction, { ...notePayload('✓ Added.'), components: [] });
  else await replyPrivately(interaction, '✓ Added.');
  const added = changed?.additions?.at(-1);
  if (changed && added !== undefined) await postMessages(context, view, additionMessages(view, changed, added));
  return { outcome: 'added', view };
}
