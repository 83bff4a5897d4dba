/**
 * "Lift the pause": only the partner whose private check raised the hold can lift it, after reading
 * the resources, and is asked once more first. Anyone else — the other partner included, whatever
 * they click — changes nothing and learns nothing.
 */
import { buttonRows } from '../components.js';
import { defineButton } from '../interaction.js';
import { notePayload } from '../note.js';
import { replyPrivately } from '../reply.js';

type Stage = 'ask' | 'yes' | 'keep';
const STAGES: readonly string[] = ['ask', 'yes', 'keep'];
const TITLE = 'Joint conversations';

const liftHold = defineButton<{ partner: string; stage: Stage }>({
  name: 'lift-hold',
  encode: ({ partner, stage }) => [partner, stage],
  parse: ([partner, stage]) =>
    partner && stage && STAGES.includes(stage) ? { partner, stage: stage as Stage } : undefined,
  async run(interaction, context, { partner, stage }) {
    if (!interaction.inGuild()) return { outcome: 'not-in-guild' };
    const { guildId, user } = interaction;
    const record = await context.couples.find(guildId, user.id, partner);
    if (record?.hold?.raisedBy !== user.id) {
      await replyPrivately(interaction, 'There is nothing here for you to change.');
      return { outcome: 'not-theirs' };
    }
    if (stage === 'keep') {
      await interaction.update({
        ...notePayload('It stays as it is. `/safety` shows the resources again whenever you need them.', TITLE),
        components: [],
      });
      return { outcome: 'hold-kept' };
    }
    if (stage === 'ask') {
      await replyPrivately(
        interaction,
        'Lifting the pause means either of you can start a joint conversation again. Only do this if talking together feels safe to you. Your partner won’t be told anything.',
        {
          title: 'Lift the pause?',
          components: buttonRows(
            { customId: liftHold.customId({ partner, stage: 'yes' }), label: 'Yes, lift it' },
            { customId: liftHold.customId({ partner, stage: 'keep' }), label: 'Keep it paused', style: 'secondary' },
          ),
        },
      );
      return { outcome: 'asked-to-lift' };
    }
    await context.couples.liftHold(guildId, user.id, partner, interaction.channelId);
    await interaction.update({
      ...notePayload('Done. Either of you can start a conversation with /talk again.', TITLE),
      components: [],
    });
    return { outcome: 'hold-lifted' };
  },
});

export default liftHold;
