/**
 * A partner's answer to the look-over (a fair record, or a note), from a button or the note's
 * form: taken by the engine, confirmed privately, and — once both have answered — the summary is
 * posted. While one is still to answer, the channel is told only that the other has looked it over
 * (never which answer). A note that speaks of harm is not kept, and its writer gets the same help
 * privately as for an answer.
 */
import type { ButtonInteraction, ModalSubmitInteraction } from 'discord.js';
import { APPROVAL_NOTE_MAX, type ApprovalRefusal, type ApprovalResponse } from '../../engine/summary-approval.js';
import type { BotContext, Handled } from '../context.js';
import { echoOf } from '../echo.js';
import { notePayload, safeText } from '../note.js';
import { replyPrivately } from '../reply.js';
import { namesIn, standingText } from './record-standing.js';

const REFUSALS: Record<Exclude<ApprovalRefusal, 'harm'>, string> = {
  'no-summary': 'This summary is no longer kept here (it was erased, or its time ran out).',
  'not-partner': 'This summary is for the two people in this conversation to look over.',
  'already-answered': 'You have already answered for this summary; what you said is kept, and posted with it.',
  closed: 'This summary has been posted already, so there is nothing more to add here.',
  'empty-note':
    'Your note looks empty. Please write a few words — or, if the record is fair to you as it is, choose “That’s a fair record”.',
  'long-note': `A note can be at most ${APPROVAL_NOTE_MAX} characters: one short paragraph beside the record. Please shorten it.`,
};

export async function answerRecord(
  context: BotContext,
  interaction: ButtonInteraction | ModalSubmitInteraction,
  sessionId: string,
  response: ApprovalResponse,
): Promise<Handled> {
  const userId = interaction.user.id;
  const outcome = await context.sessions.approvals.respond(sessionId, userId, response);
  const typed = response.kind === 'note' && typeof response.text === 'string' ? echoOf({ text: response.text }) : '';
  if (!outcome.ok) {
    if (outcome.refusal === 'harm') {
      await replyPrivately(
        interaction,
        `Thank you for telling me. Your note has not been saved or shared with anyone, and the summary is not posted with it.\n\n${context.safetyResources}${typed}`,
        { title: 'You don’t have to carry this alone' },
      );
      return { outcome: 'record-note-safety' };
    }
    const keepWords = outcome.refusal === 'long-note' || outcome.refusal === 'closed' ? typed : '';
    await replyPrivately(interaction, `${REFUSALS[outcome.refusal]}${keepWords}`);
    return { outcome: `record-${outcome.refusal}` };
  }
  const { entry, complete } = outcome;
  const said =
    outcome.answer.kind === 'note'
      ? 'Thank you. Your note is kept; it will appear under your name, beside the record.'
      : 'Thank you for looking it over.';
  await replyPrivately(
    interaction,
    `${said} ${complete ? 'Your summary follows in the channel.' : standingText(entry, userId)}`,
    {
      title: 'Noted',
    },
  );
  if (complete) {
    await context.poster.deliver(sessionId);
    return { outcome: 'record-approved' };
  }
  const channel = await context.client.channels.fetch(entry.channelId);
  const { mine, theirs } = namesIn(entry, userId);
  if (!channel?.isSendable()) return { outcome: 'record-answered' };
  await channel.send(
    notePayload(
      `${safeText(mine)} has looked over the summary. It is posted once ${safeText(theirs)} has too.`,
      'Your summary',
    ),
  );
  return { outcome: 'record-answered' };
}
