/**
 * A time the couple chose has come (the timekeeper's `follow-up` notice): Mend starts the check-in on
 * their promises, or the next conversation of the flow they asked for, in their channel, and posts
 * its first prompt. Its session id is the follow-up's, so a start retried after a crash finds the
 * session it already made instead of making another. It waits (throws, to be tried at the next
 * tick) while another conversation is open there, and never starts while joint conversations are
 * held by a safety check. What it says first tells them why it came: the promises a check-in asks
 * after, or that they asked for another of this conversation.
 */
import { TimestampStyles, time } from 'discord.js';
import { gateOf } from '../engine/couples.js';
import type { CheckInSubject } from '../engine/flow-types.js';
import { startFollowUpSession } from '../engine/follow-up-session.js';
import type { FollowUpDue, Ledger } from '../engine/promises.js';
import type { SessionView } from '../engine/session.js';
import type { BotContext } from './context.js';
import { notePayload, safeText } from './note.js';
import { sendableChannel } from './presenter.js';
import { greeting, memberName } from './starting.js';

export async function startFollowUp(context: BotContext, ledger: Ledger, due: FollowUpDue): Promise<void> {
  const [first, second] = ledger.partnerIds;
  const gate = gateOf(await context.couples.find(ledger.guildId, first, second), ledger.partnerIds);
  if (gate.kind === 'held') throw new Error('joint conversations are held');
  const channel = await sendableChannel(context, due.channelId);
  const guild = context.client.guilds.cache.get(ledger.guildId);
  if (!channel || !guild) throw new Error('the couple channel is gone');

  const [starter, partner] = [due.starterId, due.starterId === first ? second : first];
  const [starterName, partnerName] = [await memberName(guild, starter), await memberName(guild, partner)];
  if (!starterName || !partnerName) throw new Error('a partner is no longer in the server');
  const started = await startFollowUpSession(context.sessions, ledger, due, {
    starter: starterName,
    partner: partnerName,
  });
  if (!started.ok) throw new Error(`the follow-up cannot start now (${started.reason})`);
  if (started.fresh) {
    context.metrics.sessionStarted(started.view.flow.id);
    await context.couples.remember(ledger.guildId, starter, partner, due.channelId);
    await channel.send(
      started.subject
        ? checkInIntro(started.subject)
        : due.kind === 'again'
          ? againIntro(started.view)
          : greeting(started.view),
    );
  }
  await context.present.prompt(started.view);
}

function checkInIntro(subject: CheckInSubject) {
  const when = time(Math.floor(subject.madeAt / 1000), TimestampStyles.LongDate);
  return notePayload(
    [
      `On ${when}, in **${safeText(subject.flowTitle)}**, you chose to check in about now on what was promised.`,
      'This is a moment to notice how it has gone, from each side. There is no score, and no wrong answer — “not yet” is honest too.',
    ].join('\n\n'),
    'Checking in',
  );
}

/** The next conversation of a flow they asked to have again: why it is here now, and that now need not be the time. */
function againIntro(view: SessionView) {
  const { flow, record } = view;
  return notePayload(
    [
      `**${safeText(record.partners.a.name)}** and **${safeText(record.partners.b.name)}**, last time you chose to have another **${safeText(flow.title)}** about now, so here it is. ${safeText(flow.description)}`,
      'As before: one question at a time, shown only here, and a summary at the end.',
      'If now is not a good moment, **Pause** or **End** is there for either of you. Nothing is owed; you can always start one yourselves with /talk.',
    ].join('\n\n'),
    flow.title,
  );
}
