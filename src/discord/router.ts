/**
 * The one place interactions arrive, as a lookup table (Sapphire's global router): slash commands
 * by name; every button, select and form by the name in its custom id, so they keep working after
 * a restart. Adding one is a new file in interactions/ and one line here. Each interaction is
 * logged as one line — session, flow, step, kind, action, outcome, duration — never with what
 * anyone wrote. Any failure gets a kind private reply.
 */
import type { Interaction, RepliableInteraction } from 'discord.js';
import { withInteraction } from './channel-out.js';
import type { BotContext, Handled } from './context.js';
import { type CommandHandler, type ComponentHandler, splitCustomId } from './interaction.js';
import addToAnswer from './interactions/add-to-answer.js';
import additionForm from './interactions/addition-form.js';
import again from './interactions/again.js';
import answerAgain from './interactions/answer-again.js';
import answerForm from './interactions/answer-form.js';
import breakLength from './interactions/break-length.js';
import changeAnswer from './interactions/change-answer.js';
import choose from './interactions/choose.js';
import consent from './interactions/consent.js';
import consentRead from './interactions/consent-read.js';
import continuePrivately from './interactions/continue-privately.js';
import end from './interactions/end.js';
import endConfirm from './interactions/end-confirm.js';
import exportCommand from './interactions/export.js';
import forget from './interactions/forget.js';
import forgetConfirm from './interactions/forget-confirm.js';
import history from './interactions/history.js';
import historyPage from './interactions/history-page.js';
import liftHold from './interactions/lift-hold.js';
import makeChannel from './interactions/make-channel.js';
import pause from './interactions/pause.js';
import promises from './interactions/promises.js';
import promisesPage from './interactions/promises-page.js';
import recordFair from './interactions/record-fair.js';
import recordNote from './interactions/record-note.js';
import recordNoteForm from './interactions/record-note-form.js';
import resume from './interactions/resume.js';
import reviewRecord from './interactions/review-record.js';
import reviseChoice from './interactions/revise-choice.js';
import reviseForm from './interactions/revise-form.js';
import safety from './interactions/safety.js';
import safetyCheck from './interactions/safety-check.js';
import skipQuestion from './interactions/skip-question.js';
import talk from './interactions/talk.js';
import write from './interactions/write.js';
import { replyPrivately } from './reply.js';
import { errorSummary } from './summary-post.js';

export const commands: readonly CommandHandler[] = [talk, forget, safety, exportCommand, promises, history];

// biome-ignore lint/suspicious/noExplicitAny: each handler parses its own arguments; the table only routes
type AnyComponent = ComponentHandler<any, any>;

const components: readonly AnyComponent[] = [
  write,
  choose,
  answerForm,
  changeAnswer,
  reviseForm,
  reviseChoice,
  addToAnswer,
  additionForm,
  continuePrivately,
  pause,
  breakLength,
  end,
  endConfirm,
  resume,
  makeChannel,
  forgetConfirm,
  again,
  consentRead,
  consent,
  safetyCheck,
  liftHold,
  promisesPage,
  historyPage,
  skipQuestion,
  answerAgain,
  reviewRecord,
  recordFair,
  recordNote,
  recordNoteForm,
];

const byName = new Map(components.map((handler) => [`${handler.kind}:${handler.name}`, handler]));
if (byName.size !== components.length) throw new Error('two interaction handlers share a kind and name');

const SORRY =
  'Something went wrong on my side. Nothing you wrote was lost — please try again in a moment, or type /talk to see where you are.';
const UNKNOWN = 'That button is from an older version of Mend. The current question is the latest message from Mend.';

/** What the log line says about an interaction, filled in as it is learnt (so a failure still names it). */
interface Line extends Handled {
  kind: string;
  action: string;
}

async function route(interaction: Interaction, context: BotContext, line: Line): Promise<Handled> {
  if (interaction.isChatInputCommand()) {
    line.kind = 'command';
    line.action = interaction.commandName;
    const command = commands.find((c) => c.name === interaction.commandName);
    if (!command) return { outcome: 'unknown-command' };
    return command.execute(interaction, context);
  }
  const kind = interaction.isButton()
    ? 'button'
    : interaction.isStringSelectMenu()
      ? 'select'
      : interaction.isModalSubmit()
        ? 'modal'
        : undefined;
  line.kind = kind ?? 'other';
  if (!kind || !('customId' in interaction)) {
    line.action = String(interaction.type);
    return { outcome: 'ignored' };
  }
  const id = splitCustomId(interaction.customId);
  line.action = id?.name ?? 'unknown';
  const handler = id && byName.get(`${kind}:${id.name}`);
  const args = id && handler?.parse(id.parts);
  if (!handler || args === undefined || !interaction.channelId) {
    await replyPrivately(interaction, UNKNOWN);
    return { outcome: 'unknown-custom-id' };
  }
  return handler.run(interaction, context, args);
}

export async function handleInteraction(interaction: Interaction, context: BotContext): Promise<void> {
  const started = performance.now();
  const routed: Line = { kind: 'unknown', action: 'unknown', outcome: 'error' };
  try {
    // What the handler posts in this channel goes out through this interaction while it can (channel-out.ts).
    const handled = interaction.isRepliable()
      ? withInteraction(interaction, context.webhooks, () => route(interaction, context, routed))
      : route(interaction, context, routed);
    Object.assign(routed, await handled);
  } catch (error) {
    routed.outcome = 'error';
    context.log.error({ err: errorSummary(error), interactionId: interaction.id }, 'interaction failed');
    if (interaction.isRepliable())
      await replyPrivately(interaction as RepliableInteraction, SORRY).catch(() => undefined);
  } finally {
    const ms = performance.now() - started;
    context.metrics.interactionHandled(routed.kind, routed.outcome, ms / 1000);
    // One line per interaction: which session, flow and step, what, how it ended, how long. No answers.
    const view = routed.view;
    context.log.info(
      {
        sessionId: view?.record.id,
        flow: view?.flow.id,
        step: view?.prompt?.step,
        channelId: interaction.channelId,
        kind: routed.kind,
        action: routed.action,
        outcome: routed.outcome,
        ms: Math.round(ms * 10) / 10,
      },
      'interaction',
    );
  }
}
