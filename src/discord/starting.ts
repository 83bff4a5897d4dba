/**
 * Starting a session in a channel, and the words that open it: shared by /talk in a private
 * channel and by the "create a private channel" button.
 */
import type { User } from 'discord.js';
import { rememberCouple } from '../engine/couples.js';
import type { SessionView, StartRequest } from '../engine/session.js';
import type { BotContext } from './context.js';
import { type MessagePayload, notePayload, safeText } from './note.js';

/** What a person is called here: their server nickname, else their display name, else username. */
export const displayName = (user: User, nick?: string | null) => nick ?? user.globalName ?? user.username;

export type Started =
  | { ok: true; view: SessionView; intro: MessagePayload }
  | { ok: false; code: string; message: string };

/** Starts the session and remembers the channel as the couple's; the caller posts `intro` first. */
export async function startIn(context: BotContext, request: StartRequest & { guildId: string }): Promise<Started> {
  const outcome = await context.sessions.start(request);
  if (!outcome.ok) return { ok: false, code: outcome.rejection.code, message: outcome.rejection.message };
  context.metrics.sessionStarted(outcome.view.flow.id);
  await rememberCouple(
    context.store,
    request.guildId,
    request.starter.id,
    request.partner.id,
    request.channelId,
    context.now(),
  );
  const { flow } = outcome.view;
  const intro = notePayload(
    [
      `**${safeText(request.starter.name)}** and **${safeText(request.partner.name)}**, welcome. ${safeText(flow.description)}`,
      'I’ll ask one question at a time and always say whose turn it is. What you write stays between the two of you; a summary will be posted here at the end.',
      'Either of you can press **Pause** or **End** at any moment — a “not now” is always all right.',
    ].join('\n\n'),
    flow.title,
  );
  return { ok: true, view: outcome.view, intro };
}
