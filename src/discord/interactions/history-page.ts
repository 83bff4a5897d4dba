/**
 * "Older" / "Newer" under /history: another page of the same list, in the same private message; and
 * that message itself (for /history too): one page of the couple's past conversations.
 */
import type { Guild } from 'discord.js';
import type { BotContext } from '../context.js';
import { historyPages } from '../history/history-pages.js';
import { defineButton } from '../interaction.js';
import type { MessagePayload } from '../note.js';
import { pageArgs, pagedReply } from '../paged-reply.js';

const historyPage = defineButton<{ partner: string; page: number }>({
  name: 'history-page',
  ...pageArgs,
  async run(interaction, context, { partner, page }) {
    if (!interaction.inCachedGuild()) return { outcome: 'not-in-guild' };
    // Read afresh for whoever clicks: it only ever shows their own couple's history.
    await interaction.update(await historyReply(context, interaction.guild, interaction.user.id, partner, page));
    return { outcome: 'history-page' };
  },
});

export default historyPage;

/** One page of the couple's history, for the one who asked, with buttons to the others. */
export async function historyReply(
  context: BotContext,
  guild: Guild,
  userId: string,
  partnerId: string,
  page: number,
): Promise<MessagePayload> {
  const history = userId === partnerId ? undefined : await context.sessions.history.find(guild.id, userId, partnerId);
  return pagedReply({
    title: 'Your conversations',
    empty:
      'The two of you have no finished conversations here yet. Each one you have is listed here, with a link to its summary.',
    pages: history ? historyPages(history, (flowId) => context.flows.get(flowId)?.title ?? flowId) : [],
    page,
    pageId: (at) => historyPage.customId({ partner: partnerId, page: at }),
  });
}
