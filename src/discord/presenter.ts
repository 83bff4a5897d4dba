/**
 * After an input is accepted: show the channel what changed — answers revealed together, the next
 * prompt, a break, or the end and its summary. Only called once the interaction is acknowledged.
 * Where each message goes (the interaction's follow-up or the bot token) is channel-out.ts's call.
 * Once both partners have chosen to continue after a safety pause, the question is not asked
 * again: the channel is offered to skip it (or answer a choice again) or to end.
 */
import { setAside } from '../engine/after-safety.js';
import { answerKey, isSkipped } from '../engine/answers.js';
import type { AnswerRecord } from '../engine/flow-types.js';
import type { OutboxEntry } from '../engine/outbox.js';
import type { SessionView } from '../engine/session.js';
import { FINISHED } from '../engine/session-record.js';
import { awaitingApproval } from '../engine/summary-approval.js';
import { REVIEW_LABEL } from './approval/record-standing.js';
import { channelOut } from './channel-out.js';
import { buttonRows } from './components.js';
import type { AcceptedOutcome, BotContext } from './context.js';
import reviewRecord from './interactions/review-record.js';
import { type MessagePayload, notePayload } from './note.js';
import { answerMessages, pausedPayload, promptMessages } from './prompt-messages.js';
import { setAsideMessage } from './set-aside-message.js';
import { hoursText } from './summary-notes.js';

/** The closing note when the summary waits for both to look it over: why, and the way to it. */
function lookOverPayload(entry: OutboxEntry): MessagePayload {
  const window = hoursText((entry.approval?.deadline ?? entry.summary.at) - entry.summary.at);
  return {
    ...notePayload(
      `Thank you both. Before your summary is posted, each of you can look over what it says at a glance, privately: say it’s a fair record, or add a short note of your own. It is posted once you both have — or in ${window}, as it stands.`,
      'That’s the end of this conversation',
    ),
    components: buttonRows({ customId: reviewRecord.customId({ sessionId: entry.sessionId }), label: REVIEW_LABEL }),
  };
}

export { sendableChannel } from './channel-out.js';

/** Messages for a session's channel, in order (through the interaction at hand when there is one). */
export async function postMessages(context: BotContext, view: SessionView, messages: MessagePayload[]): Promise<void> {
  const out = channelOut(context, view.record.channelId);
  for (const message of messages) if (!(await out.send(message))) return;
}

/**
 * The prompt a session waits on (its start, after a break, or on request) — or, for the question a
 * safety pause set aside, the offer to skip it or end, which is where the conversation stands.
 */
export async function postPrompt(context: BotContext, view: SessionView): Promise<void> {
  const held = setAside(view);
  if (held) await postMessages(context, view, [setAsideMessage(view, held)]);
  else if (view.prompt) await postMessages(context, view, promptMessages(view, view.prompt));
}

/**
 * Answers to show, without a prompt's answers that were all skipped: the note on the offer already
 * says it was skipped. A skip beside an answer the other gave is shown, so the answer is not alone.
 */
function withWords(answers: readonly AnswerRecord[]): AnswerRecord[] {
  const prompt = (a: AnswerRecord) => `${a.step}@${a.seq}`;
  const given = new Set(answers.filter((a) => !isSkipped(a.value)).map(prompt));
  return answers.filter((a) => given.has(prompt(a)));
}

/** What an accepted input changed: answers now readable, the next prompt, a break, or the end and its summary. */
export async function presentOutcome(
  context: BotContext,
  outcome: AcceptedOutcome,
  displayed: readonly AnswerRecord[] = [],
): Promise<void> {
  const { view, previous: before } = outcome;
  if (outcome.duplicate) return;
  const channel = channelOut(context, view.record.channelId);

  const already = new Set(displayed.map(answerKey));
  const reveal = withWords(outcome.shown.filter((a) => !already.has(answerKey(a))));
  for (const message of answerMessages(view, reveal)) await channel.send(message);

  if (FINISHED.has(view.status)) {
    context.metrics.sessionFinished(view.flow.id, view.status);
    try {
      const entry = await context.sessions.outbox.get(view.record.id);
      if (entry && awaitingApproval(entry)) await channel.send(lookOverPayload(entry));
      else
        await channel.send(
          notePayload(
            view.status === 'declined'
              ? 'Not now is a fine answer. Come back to it whenever you are both ready — type /talk.'
              : 'Thank you both. Your summary follows — it stays here for you to come back to.',
            view.status === 'declined' ? 'Another time' : 'That’s the end of this conversation',
          ),
        );
    } finally {
      // The summary matters more than the note before it: it is tried even when the note failed.
      await context.poster.deliver(view.record.id);
    }
    return;
  }
  if (view.status === 'paused') {
    if (before.status !== 'paused') await channel.send(pausedPayload(view));
    return;
  }
  // Both have just chosen to continue after a safety pause: offer to skip that question, or end.
  const held = before.status === 'paused' ? setAside(view) : undefined;
  if (held) {
    await channel.send(setAsideMessage(view, held));
    return;
  }
  const prompt = view.prompt;
  if (!prompt) return;
  // A 'both' step still waiting on one partner: the same prompt stays; nothing new to post.
  if (before.prompt?.key === prompt.key && before.status === view.status) return;
  // Still writing, privately (a review, or a rewrite): the channel already says so.
  const author = outcome.by;
  if (prompt.awaiting.includes(author) && (prompt.private || prompt.prefill) && before.status === view.status) return;
  for (const message of promptMessages(view, prompt)) await channel.send(message);
}
