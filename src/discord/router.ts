/**
 * The one place interactions arrive: slash commands by name, every button, select and form by its
 * custom_id (so they keep working after a restart). Each is logged as one line — kind, action,
 * outcome, duration — and never with what anyone wrote. Any failure gets a kind ephemeral reply.
 */
import { type Interaction, MessageFlags, type RepliableInteraction } from 'discord.js';
import { commands } from './commands.js';
import type { BotContext } from './context.js';
import { decodeCustomId } from './custom-ids.js';
import { openAnswerForm, openPrivatePrompt, submitAnswer, submitForm } from './handlers/answer.js';
import { askBreakLength, confirmEnd, endNow, resume, startBreak } from './handlers/controls.js';
import { forgetNow } from './handlers/forget.js';
import { makeChannel } from './handlers/make-channel.js';
import { notePayload } from './render.js';
import { errorSummary } from './summary-post.js';
import { sessionTraceOf } from './trace.js';

const SORRY =
  'Something went wrong on my side. Nothing you wrote was lost — please try again in a moment, or type /talk to see where you are.';

async function route(
  interaction: Interaction,
  context: BotContext,
): Promise<{ kind: string; action: string; outcome: string }> {
  if (interaction.isChatInputCommand()) {
    const command = commands.find((c) => c.name === interaction.commandName);
    if (!command) return { kind: 'command', action: interaction.commandName, outcome: 'unknown-command' };
    return { kind: 'command', action: command.name, outcome: await command.execute(interaction, context) };
  }
  if (!interaction.isButton() && !interaction.isStringSelectMenu() && !interaction.isModalSubmit()) {
    return { kind: 'other', action: String(interaction.type), outcome: 'ignored' };
  }
  const kind = interaction.isButton() ? 'button' : interaction.isModalSubmit() ? 'form' : 'select';
  const id = decodeCustomId(interaction.customId);
  if (!id || !interaction.channelId) {
    await interaction.reply({
      ...notePayload(
        'That button is from an older version of Mend. The current question is the latest message from Mend.',
      ),
      flags: MessageFlags.Ephemeral,
    });
    return { kind, action: 'unknown', outcome: 'unknown-custom-id' };
  }
  const action = id.action;
  const done = (outcome: string) => ({ kind, action, outcome });
  if (interaction.isButton()) {
    switch (id.action) {
      case 'write':
        return done(await openAnswerForm(interaction, context, id.key, id.choice));
      case 'choose':
        return done(await submitAnswer(interaction, context, id.key, { choice: id.choice }));
      case 'open':
        return done(await openPrivatePrompt(interaction, context, id.key));
      case 'pause':
        return done(await askBreakLength(interaction, context));
      case 'end':
        return done(await confirmEnd(interaction, context));
      case 'end-confirm':
        return done(await endNow(interaction, context));
      case 'resume':
        return done(await resume(interaction, context));
      case 'make-channel':
        return done(await makeChannel(interaction, context, id.flow, id.partner));
      case 'forget-confirm':
        return done(await forgetNow(interaction, context, id.partner));
      default:
        break;
    }
  }
  if (interaction.isStringSelectMenu() && id.action === 'break') return done(await startBreak(interaction, context));
  if (interaction.isModalSubmit() && id.action === 'form')
    return done(await submitForm(interaction, context, id.key, id.choice));
  await interaction.reply({
    ...notePayload('I couldn’t match that to anything. The current question is the latest message from Mend.'),
    flags: MessageFlags.Ephemeral,
  });
  return done('unmatched');
}

async function apologise(interaction: RepliableInteraction): Promise<void> {
  const payload = { ...notePayload(SORRY), flags: MessageFlags.Ephemeral } as const;
  if (interaction.replied || interaction.deferred) await interaction.followUp(payload);
  else await interaction.reply(payload);
}

export async function handleInteraction(interaction: Interaction, context: BotContext): Promise<void> {
  const started = performance.now();
  let line: { kind: string; action: string; outcome: string } = {
    kind: 'unknown',
    action: 'unknown',
    outcome: 'error',
  };
  try {
    line = await route(interaction, context);
  } catch (error) {
    line = { ...line, outcome: 'error' };
    context.log.error({ err: errorSummary(error), interactionId: interaction.id }, 'interaction failed');
    if (interaction.isRepliable()) await apologise(interaction).catch(() => undefined);
  } finally {
    const ms = performance.now() - started;
    context.metrics.interactionHandled(line.kind, line.outcome, ms / 1000);
    // One line per interaction: which session, flow and step, what, how it ended, how long. No answers.
    const session = sessionTraceOf(interaction);
    context.log.info(
      {
        sessionId: session?.sessionId,
        flow: session?.flow,
        step: session?.step,
        channelId: interaction.channelId,
        kind: line.kind,
        action: line.action,
        outcome: line.outcome,
        ms: Math.round(ms * 10) / 10,
      },
      'interaction',
    );
  }
}
