/**
 * After an input is accepted: show the channel what changed — answers revealed together, the next
 * prompt, a break, or the end and its summary. Only called once the interaction is acknowledged.
 */
import type { SendableChannels } from 'discord.js';
import type { SessionView } from '../engine/session.js';
import { FINISHED } from '../engine/session-record.js';
import type { AcceptedOutcome, BotContext } from './context.js';
import { notePayload } from './note.js';
import { answerMessages, pausedPayload, promptMessages } from './prompt-messages.js';

/** The channel a session lives in, when the bot can still post there. */
export async function sendableChannel(context: BotContext, channelId: string): Promise<SendableChannels | undefined> {
  const channel = context.client.channels.cache.get(channelId) ?? (await context.client.channels.fetch(channelId));
  return channel?.isSendable() ? channel : undefined;
}

/** The prompt a session waits on (its start, after a break, or on request). */
export async function postPrompt(context: BotContext, view: SessionView): Promise<void> {
  const channel = await sendableChannel(context, view.record.channelId);
  if (!channel || !view.prompt) return;
  for (const message of promptMessages(view, view.prompt)) await channel.send(message);
}

/**
 * Sealed answers with words in them are shown together once both are in; everything else reaches
 * the other partner through the next prompt's quotes (so a draft under private review is never
 * shown early) and the summary.
 */
function shownNow(view: SessionView, outcome: AcceptedOutcome) {
  return outcome.revealed.filter((answer) => {
    const spec = view.flow.steps.get(answer.step);
    const hasWords = Boolean(answer.value.text || answer.value.note || answer.value.items?.length);
    return spec?.sealed === true && !spec.shownLater && hasWords;
  });
}

/** What an accepted input changed: reveals, the next prompt, a break, or the end and its summary. */
export async function presentOutcome(context: BotContext, outcome: AcceptedOutcome): Promise<void> {
  const { view, previous: before } = outcome;
  if (outcome.duplicate) return;
  const channel = await sendableChannel(context, view.record.channelId);
  if (!channel) return;

  const reveal = shownNow(view, outcome);
  if (reveal.length > 0) {
    for (const message of answerMessages(view, reveal)) await channel.send(message);
  }

  if (FINISHED.has(view.status)) {
    context.metrics.sessionFinished(view.flow.id, view.status);
    await channel.send(
      notePayload(
        view.status === 'declined'
          ? 'Not now is a fine answer. Come back to it whenever you are both ready — type /talk.'
          : 'Thank you both. Your summary follows — it stays here for you to come back to.',
        view.status === 'declined' ? 'Another time' : 'That’s the end of this conversation',
      ),
    );
    await context.poster.deliver(view.record.id);
    return;
  }
  if (view.status === 'paused') {
    if (before.status !== 'paused') await channel.send(pausedPayload(view));
    return;
  }
  const prompt = view.prompt;
  if (!prompt) return;
  // A 'both' step still waiting on one partner: the same prompt stays; nothing new to post.
  if (before.prompt?.key === prompt.key && before.status === view.status) return;
  for (const message of promptMessages(view, prompt)) await channel.send(message);
}
