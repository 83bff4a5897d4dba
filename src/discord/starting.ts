/**
 * Starting a session in a channel, and the words that open it: shared by /talk, the "create a
 * private channel" and "another conversation" buttons, and the gate once both are through it.
 * The gate itself is checked before (gate/admit.ts).
 */
import type { Guild, User } from 'discord.js';
import type { SessionView, StartRequest } from '../engine/session.js';
import type { BotContext } from './context.js';
import { type MessagePayload, notePayload, safeText } from './note.js';

/** What a person is called here: their server nickname, else their display name, else username. */
export const displayName = (user: User, nick?: string | null) => nick ?? user.globalName ?? user.username;

/** A member's name as a conversation greets them, or undefined when they have left the server. */
export async function memberName(guild: Guild, userId: string): Promise<string | undefined> {
  const member = guild.members.cache.get(userId) ?? (await guild.members.fetch(userId).catch(() => undefined));
  return member ? displayName(member.user, member.nickname) : undefined;
}

export type Started =
  | { ok: true; view: SessionView; intro: MessagePayload }
  | { ok: false; code: string; message: string };

/** Starts the session and remembers the channel as the couple's; the caller posts `intro` first. */
export async function startIn(context: BotContext, request: StartRequest & { guildId: string }): Promise<Started> {
  const outcome = await context.sessions.start(request);
  if (!outcome.ok) return { ok: false, code: outcome.rejection.code, message: outcome.rejection.message };
  context.metrics.sessionStarted(outcome.view.flow.id);
  // Said once to a couple, not in every conversation: what Mend is, and is not.
  const { firstTime } = await context.couples.remember(
    request.guildId,
    request.starter.id,
    request.partner.id,
    request.channelId,
  );
  const intro = greeting(outcome.view, firstTime);
  return { ok: true, view: outcome.view, intro };
}

/**
 * The words that open a conversation, in its channel; the first time Mend meets a couple it also says
 * what it is, and is not.
 */
export function greeting(view: SessionView, firstTime = false): MessagePayload {
  const { flow, record } = view;
  return notePayload(
    [
      `**${safeText(record.partners.a.name)}** and **${safeText(record.partners.b.name)}**, welcome. ${safeText(flow.description)}`,
      'I’ll ask one question at a time and always say whose turn it is. What you write is shown only here, in your private channel; a summary will be posted here at the end.',
      'Either of you can press **Pause** or **End** at any moment — a “not now” is always all right.',
      ...(firstTime
        ? [
            'Mend is a structure for talking, not a therapist. Where the hurt runs deep, a counsellor can help alongside it.',
          ]
        : []),
    ].join('\n\n'),
    flow.title,
  );
}
