/**
 * "Older" / "Newer" under /promises: another page of the same list, in the same private message; and
 * that message itself (for /promises too): one page of the couple's promises with buttons to the others.
 */
import type { Guild } from 'discord.js';
import type { BotContext } from '../context.js';
import { defineButton } from '../interaction.js';
import type { MessagePayload } from '../note.js';
import { pageArgs, pagedReply } from '../paged-reply.js';
import { promisePages } from '../promises/promise-pages.js';
import { memberName } from '../starting.js';

const promisesPage = defineButton<{ partner: string; page: number }>({
  name: 'promises-page',
  ...pageArgs,
  async run(interaction, context, { partner, page }) {
    if (!interaction.inCachedGuild()) return { outcome: 'not-in-guild' };
    // The list is read afresh for whoever clicks: it only ever shows their own couple's promises.
    await interaction.update(await promisesReply(context, interaction.guild, interaction.user.id, partner, page));
    return { outcome: 'promises-page' };
  },
});

export default promisesPage;

/** One page of the couple's promises, for the one who asked, with buttons to the others. */
export async function promisesReply(
  context: BotContext,
  guild: Guild,
  userId: string,
  partnerId: string,
  page: number,
): Promise<MessagePayload> {
  const ledger = userId === partnerId ? undefined : await context.sessions.ledger.find(guild.id, userId, partnerId);
  const names = new Map<string, string>();
  for (const id of ledger?.partnerIds ?? []) names.set(id, (await memberName(guild, id)) ?? 'your partner');
  return pagedReply({
    title: 'Your promises',
    empty:
      'There are no promises between the two of you yet. When a conversation ends with one, it is kept here, with each check-in.',
    pages: ledger ? promisePages(ledger, (id) => names.get(id) ?? 'someone') : [],
    page,
    pageId: (at) => promisesPage.customId({ partner: partnerId, page: at }),
  });
}
