/**
 * "Write your answer" (or a choice that takes a note): opens the answer form. A modal must be
 * the first response, so who may answer is checked before it opens.
 */
import { answerModal } from '../answer-modal.js';
import { channelIdOf, defineButton } from '../interaction.js';
import { replyPrivately } from '../reply.js';

export default defineButton<{ key: string; choice?: string }>({
  name: 'write',
  encode: ({ key, choice }) => (choice === undefined ? [key] : [key, choice]),
  parse: ([key, choice]) => (key ? (choice === undefined ? { key } : { key, choice }) : undefined),
  async run(interaction, context, { key, choice }) {
    const check = await context.sessions.precheck(channelIdOf(interaction), interaction.user.id, key);
    if (!check.ok) {
      await replyPrivately(interaction, check.rejection.message);
      return { outcome: check.rejection.code };
    }
    const input = check.prompt.input;
    const option = input.kind === 'choice' ? input.options.find((o) => o.value === choice) : undefined;
    if (choice !== undefined && !option) {
      await replyPrivately(
        interaction,
        'That choice is no longer on offer. The current question is the latest message from Mend.',
      );
      return { outcome: 'unknown-choice', view: check.view };
    }
    await interaction.showModal(answerModal(check.view, check.prompt, option));
    return { outcome: 'form-opened', view: check.view };
  },
});
