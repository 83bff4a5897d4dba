/**
 * "Continue writing", on the message that says someone is still writing: brings the author back
 * to their private step (the apology review), or to the form with their own words in it when
 * they chose to rewrite. Anyone else learns only that it is their partner's turn.
 */
import { reject } from '../../engine/rejections.js';
import { partnerOf } from '../../engine/session.js';
import { answerModal } from '../answer-modal.js';
import { channelIdOf, defineButton } from '../interaction.js';
import { privatePromptPayload } from '../private-prompt.js';
import { replyPrivately } from '../reply.js';

export default defineButton<{ key: string }>({
  name: 'open',
  encode: ({ key }) => [key],
  parse: ([key]) => (key ? { key } : undefined),
  async run(interaction, context) {
    const view = await context.sessions.view(channelIdOf(interaction));
    const by = view && partnerOf(view.record, interaction.user.id);
    if (!view || !by) {
      await replyPrivately(interaction, reject(view ? 'not-partner' : 'no-session').message);
      return { outcome: view ? 'not-partner' : 'no-session', view };
    }
    const prompt = view.prompt;
    // The step the button was posted for may have moved on (a rewrite is a new prompt): what
    // matters is that the author is still writing, privately.
    if (!prompt || view.status !== 'active' || !prompt.awaiting.includes(by) || !(prompt.private || prompt.prefill)) {
      const still = view.status === 'active' && prompt && !prompt.awaiting.includes(by);
      await replyPrivately(interaction, reject(still ? 'not-your-turn' : 'stale-step').message);
      return { outcome: still ? 'not-your-turn' : 'stale-step', view };
    }
    if (prompt.private) {
      await replyPrivately(interaction, privatePromptPayload(view, prompt));
      return { outcome: 'private-prompt-shown', view };
    }
    await interaction.showModal(answerModal(view, prompt));
    return { outcome: 'form-opened', view };
  },
});
