/**
 * "My private check", on the gate message, and each answer in it: three short questions shown to
 * the one who clicked alone, one at a time, in their own private message. The answers so far travel
 * only in that message's buttons (`trail`), never in the store or the logs; when the last is
 * given, only the outcome is kept — checked, or a hold on joint conversations that only this person
 * can lift. A concern brings them, privately, the resources and a safety-planning note.
 */
import { type ButtonInteraction, MessageFlags } from 'discord.js';
import { concernIn, isAnswerTrail, isComplete, SAFETY_CHECK } from '../../engine/safety-check.js';
import { buttonRows } from '../components.js';
import { concernNote } from '../gate/safety-notes.js';
import { startIfReady } from '../gate/start-when-ready.js';
import { defineButton } from '../interaction.js';
import { type MessagePayload, notePayload, safeText } from '../note.js';
import { displayName } from '../starting.js';
import liftHold from './lift-hold.js';
import { partnerOfPair } from './pair.js';

const TITLE = 'Your private check';

const safetyCheck = defineButton<{ a: string; b: string; trail: string }>({
  name: 'safety-check',
  encode: ({ a, b, trail }) => [a, b, trail],
  parse: ([a, b, trail = '']) => (a && b && isAnswerTrail(trail) ? { a, b, trail } : undefined),
  async run(interaction, context, { a, b, trail }) {
    const partner = await partnerOfPair(interaction, { a, b });
    if (!partner || !interaction.inCachedGuild()) return { outcome: 'not-partner' };
    // The first click comes from the channel's message: the check opens in a private one, which
    // every later answer then replaces.
    const show = async (payload: MessagePayload) => {
      if (trail === '') await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
      else await interaction.update(payload);
    };
    if (!isComplete(trail)) {
      await show(await questionPayload(interaction, { a, b, trail }, partner));
      return { outcome: 'check-question' };
    }
    const { guild, user, channelId } = interaction;
    const concern = concernIn(trail);
    const record = await context.couples.checkedSafety(guild.id, user.id, partner, channelId, concern);
    if (concern) {
      await show({
        ...notePayload(concernNote(context.safetyResources), TITLE),
        components: buttonRows({
          customId: liftHold.customId({ partner, stage: 'ask' }),
          label: 'Lift the pause',
          style: 'secondary',
        }),
      });
      return { outcome: 'check-done' };
    }
    const next = await startIfReady(context, guild, user.id, record);
    await show({
      ...notePayload(`Thank you — that’s all. Your answers were not kept.\n\n${next}`, TITLE),
      components: [],
    });
    return { outcome: 'check-done' };
  },
});

export default safetyCheck;

async function questionPayload(
  interaction: ButtonInteraction<'cached'>,
  pair: { a: string; b: string; trail: string },
  partnerId: string,
): Promise<MessagePayload> {
  const index = pair.trail.length;
  const question = SAFETY_CHECK[index];
  if (!question) throw new Error(`no safety check question ${index}`);
  const member =
    interaction.guild.members.cache.get(partnerId) ??
    (await interaction.guild.members.fetch(partnerId).catch(() => undefined));
  const partnerName = member ? displayName(member.user, member.nickname) : 'your partner';
  const opening =
    index === 0
      ? 'Three short questions, for you alone. Your partner never sees your answers, and Mend doesn’t keep them — only whether joint conversations can go ahead.\n\n'
      : '';
  const text = `${opening}**${index + 1} of ${SAFETY_CHECK.length}.** ${question.text.replace('{partner}', safeText(partnerName))}`;
  return {
    ...notePayload(text, TITLE),
    components: buttonRows(
      ...question.options.map((option) => ({
        customId: safetyCheck.customId({ a: pair.a, b: pair.b, trail: `${pair.trail}${option.code}` }),
        label: option.label,
        style: 'secondary' as const,
      })),
    ),
  };
}
