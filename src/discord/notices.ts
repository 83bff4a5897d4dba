/**
 * Delivers the timekeeper's notices in the couple's channel: a gentle turn reminder (pinging only
 * whoever's turn it is), the end of an agreed break (both), and a quiet session closing itself
 * (then its summary); a check-in or the next conversation, at the time the couple chose.
 */
import { userMention } from 'discord.js';
import type { OutboxEntry } from '../engine/outbox.js';
import type { Notice } from '../engine/timekeeper.js';
import { channelOut } from './channel-out.js';
import { buttonRows } from './components.js';
import type { BotContext } from './context.js';
import { startFollowUp } from './follow-up-start.js';
import resume from './interactions/resume.js';
import { type MessagePayload, notePayload } from './note.js';
import { hoursText } from './summary-notes.js';

/** The look-over window passed: say so, then post the summary as it stands, with the notes given. */
async function postAsItStands(context: BotContext, entry: OutboxEntry): Promise<void> {
  // A sweep has no interaction at hand: this goes out with the bot token.
  const window = hoursText((entry.approval?.deadline ?? entry.summary.at) - entry.summary.at);
  await channelOut(context, entry.channelId).send(
    notePayload(
      `It has been ${window} since this conversation finished, so here is its summary as it stands, with any note either of you added.`,
      'Your summary',
    ),
  );
  await context.poster.deliver(entry.sessionId);
}

const resumeRows = (label: string) => buttonRows({ customId: resume.customId(), label });

export async function deliverNotice(context: BotContext, notice: Notice): Promise<void> {
  if (notice.kind === 'follow-up') return startFollowUp(context, notice.ledger, notice.due);
  if (notice.kind === 'record-as-it-stands') return postAsItStands(context, notice.entry);
  const { view } = notice;
  // No interaction is at hand in a sweep: these go out with the bot token.
  const out = channelOut(context, view.record.channelId);
  const channel = {
    send: async (message: MessagePayload) => {
      if (!(await out.send(message))) throw new Error('the couple channel is gone');
    },
  };
  const idOf = (p: 'a' | 'b') => view.record.partners[p].id;
  switch (notice.kind) {
    case 'turn-reminder': {
      const ids = notice.to.map(idOf);
      await channel.send({
        ...notePayload(
          `**${view.flow.title}** is waiting where you left it. Whenever you’re ready — there’s no rush, and a break is fine too.`,
          'A gentle reminder',
        ),
        content: `${ids.map((id) => userMention(id)).join(' ')}`,
        components: resumeRows('Show where we are'),
        allowedMentions: { parse: [], users: ids },
      });
      return;
    }
    case 'break-over': {
      const ids = [idOf('a'), idOf('b')];
      await channel.send({
        ...notePayload(
          'The break you agreed on is over. Pick it up again when you’re both ready — or take a little longer; that’s all right too.',
          'Time to come back?',
        ),
        content: ids.map((id) => userMention(id)).join(' '),
        components: resumeRows('Pick it up again'),
        allowedMentions: { parse: [], users: ids },
      });
      return;
    }
    case 'expired': {
      await channel.send(
        notePayload(
          'This conversation has been quiet for a long while, so I’ve closed it. Everything you wrote is in the summary below. Start again with /talk whenever you like.',
          'Closed after a quiet spell',
        ),
      );
      context.metrics.sessionFinished(view.flow.id, 'expired');
      await context.poster.deliver(view.record.id);
      return;
    }
  }
}
