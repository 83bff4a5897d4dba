/**
 * "Skip that question", after a safety pause both partners chose to continue from: the question
 * whose answer paused it is skipped for whoever it still waited on, and the conversation goes on.
 * Either partner may skip; a second click (by either) changes nothing.
 */
import { refOfKey } from '../../engine/prompt.js';
import { channelIdOf, defineButton } from '../interaction.js';
import { notePayload } from '../note.js';
import { replyPrivately } from '../reply.js';

export default defineButton<{ key: string }>({
  name: 'skip',
  encode: ({ key }) => [key],
  parse: ([key]) => (key && refOfKey(key) ? { key } : undefined),
  async run(interaction, context, { key }) {
    // One id per question, whoever clicks: the same skip twice is applied once.
    const outcome = await context.sessions.apply(channelIdOf(interaction), {
      id: `skip:${key}`,
      userId: interaction.user.id,
      action: 'skip',
      step: key,
    });
    if (!outcome.ok) {
      await replyPrivately(interaction, outcome.rejection.message);
      return { outcome: outcome.rejection.code, view: outcome.view };
    }
    if (outcome.duplicate) {
      await replyPrivately(interaction, 'That question has been skipped already. The next one is the latest message.');
      return { outcome: 'duplicate', view: outcome.previous };
    }
    // The offer both read becomes a plain note that names no one; what follows comes after it.
    await interaction.update({ ...notePayload('That question was skipped.', 'Going on'), components: [] });
    await context.present.outcome(outcome);
    return { outcome: 'skipped', view: outcome.previous };
  },
});
