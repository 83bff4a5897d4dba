/**
 * "I agree" or "Not now", under what Mend keeps. Agreeing is recorded with its date (withdrawn by
 * /forget) and may let the waiting conversation start; "Not now" withdraws any agreement, and
 * nothing starts.
 */

import { channelOut } from '../channel-out.js';
import { startIfReady } from '../gate/start-when-ready.js';
import { defineButton } from '../interaction.js';
import { notePayload } from '../note.js';

export default defineButton<{ partner: string; answer: 'yes' | 'no' }>({
  name: 'consent',
  encode: ({ partner, answer }) => [partner, answer],
  parse: ([partner, answer]) => (partner && (answer === 'yes' || answer === 'no') ? { partner, answer } : undefined),
  async run(interaction, context, { partner, answer }) {
    if (!interaction.inCachedGuild()) return { outcome: 'not-in-guild' };
    const { guild, user, channelId } = interaction;
    if (answer === 'no') {
      const dropped = await context.couples.decline(guild.id, user.id, partner, channelId);
      await interaction.update({
        ...notePayload(
          'That’s all right. Nothing you write is kept, and nothing starts. If you change your mind, type /talk.',
          'Not now',
        ),
        components: [],
      });
      if (dropped && guild.channels.cache.get(dropped.channelId)?.isTextBased()) {
        await channelOut(context, dropped.channelId).send(
          notePayload(
            'Not now, then — nothing was kept, and nothing starts. Either of you can type /talk whenever you are both ready.',
          ),
        );
      }
      return { outcome: 'consent-declined' };
    }
    const record = await context.couples.agree(guild.id, user.id, partner, channelId);
    const next = await startIfReady(context, guild, user.id, record);
    await interaction.update({
      ...notePayload(`Thank you for agreeing.\n\n${next}`, 'What Mend keeps'),
      components: [],
    });
    return { outcome: 'consent-given' };
  },
});
