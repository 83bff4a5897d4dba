/**
 * "Older" / "Newer" under /promises: another page of the same list, in the same private message; and
 * that message itself (for /promises too): one page of the couple's promises with buttons to the others.
 */
import type { Guild } from 'discord.js';
import { buttonRows } from '../components.js';
import type { BotContext } from '../context.js';
import { defineButton } from '../interaction.js';
import { type MessagePayload, notePayload } from '../note.js';
import { promisePages } from '../promises/promise-pages.js';
import { memberName } from '../starting.js';

const promisesPage = defineButton<{ partner: string; page: number }>({
  name: 'promises-page',
  encode: ({ partner, page }) => [partner, String(page)],
  parse: ([partner, page]) => {
    const n = Number(page);
    return partner && Number.isInteger(n) && n >= 0 ? { partner, page: n } : undefined;
  },
  async run(interaction, context, { partner, page }) {
    if (!interaction.inCachedGuild()) return { outcome: 'not-in-guild' };
    // The list is read afresh for whoever clicks: it only ever shows their own couple's promises.
    await interaction.update(await promisesReply(context, interaction.guild, interaction.user.id, partner, page));
    return { outcome: 'promises-page' };
  },
});

export default promisesPage;

const TITLE = 'Your promises';

/** One page of the couple's promises, for the one who asked, with buttons to the others. */
export async function promisesReply(
  context: BotContext,
  guild: Guild,
  userId: string,
  partnerId: string,
  page: number,
): Promise<MessagePayload> {
  const ledger = await context.sessions.ledger.find(guild.id, userId, partnerId);
  if (!ledger || ledger.promises.length === 0) {
    return {
      ...notePayload(
        'There are no promises between the two of you yet. When a conversation ends with one, it is kept here, with each check-in.',
        TITLE,
      ),
      components: [],
    };
  }
  const names = new Map<string, string>();
  for (const id of ledger.partnerIds) names.set(id, (await memberName(guild, id)) ?? 'your partner');
  const pages = promisePages(ledger, (id) => names.get(id) ?? 'someone');
  const at = Math.min(page, pages.length - 1);
  const payload = notePayload(pages[at] ?? '', pages.length > 1 ? `${TITLE} · ${at + 1} of ${pages.length}` : TITLE);
  const buttons = [
    ...(at > 0 ? [{ customId: promisesPage.customId({ partner: partnerId, page: at - 1 }), label: 'Newer' }] : []),
    ...(at < pages.length - 1
      ? [{ customId: promisesPage.customId({ partner: partnerId, page: at + 1 }), label: 'Older' }]
      : []),
  ];
  return { ...payload, components: buttons.length > 0 ? buttonRows(...buttons) : [] };
}
