/** "Continue (just for you)": shows a private step (the apology review) to its author alone. */
import { channelIdOf, defineButton } from '../interaction.js';
import { privatePromptPayload } from '../private-prompt.js';
import { replyPrivately } from '../reply.js';

export default defineButton<{ key: string }>({
  name: 'open',
  encode: ({ key }) => [key],
  parse: ([key]) => (key ? { key } : undefined),
  async run(interaction, context, { key }) {
    const check = await context.sessions.precheck(channelIdOf(interaction), interaction.user.id, key);
    if (!check.ok) {
      await replyPrivately(interaction, check.rejection.message);
      return { outcome: check.rejection.code };
    }
    await replyPrivately(interaction, privatePromptPayload(check.view, check.prompt));
    return { outcome: 'private-prompt-shown', view: check.view };
  },
});
