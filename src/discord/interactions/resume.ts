/**
 * "Pick it up again" after a break, or "I am ready to continue" on a safety pause (which goes on
 * only once both partners have said so), or, when there is no break, "Show where we are": the
 * current prompt again (after a safety pause, the offer to skip that question or end).
 */
import { partnerOf } from '../../engine/session.js';
import { channelIdOf, defineButton, noArgs } from '../interaction.js';
import { sessionOfPartner } from '../partners.js';
import { privatePromptPayload } from '../private-prompt.js';
import { replyPrivately } from '../reply.js';

export default defineButton({
  name: 'resume',
  ...noArgs,
  async run(interaction, context) {
    const session = await sessionOfPartner(interaction, context);
    if ('refused' in session) return { outcome: session.refused, view: session.view };
    const { view } = session;
    if (view.status !== 'paused') {
      // A private step (the review of one's own words) waiting on the one who asked: it comes back to them
      // alone — after a restart that cut it off, nothing else would bring it back.
      const prompt = view.prompt;
      const by = partnerOf(view.record, interaction.user.id);
      if (prompt?.private && by && prompt.awaiting.includes(by)) {
        await replyPrivately(interaction, privatePromptPayload(view, prompt));
      } else await replyPrivately(interaction, 'Here is where you are.');
      await context.present.prompt(view);
      return { outcome: 'reposted', view };
    }
    const outcome = await context.sessions.apply(channelIdOf(interaction), {
      id: `resume:${interaction.id}`,
      userId: interaction.user.id,
      action: 'resume',
    });
    if (!outcome.ok) {
      await replyPrivately(interaction, outcome.rejection.message);
      return { outcome: outcome.rejection.code, view };
    }
    if (outcome.view.status === 'paused') {
      await replyPrivately(interaction, 'Thank you. The conversation continues once your partner confirms too.');
      return { outcome: 'resume-vote', view };
    }
    await replyPrivately(
      interaction,
      view.context.pause?.safety
        ? 'Thank you. You have both chosen to continue.'
        : 'Welcome back. Picking up where you left off.',
    );
    await context.present.outcome(outcome);
    return { outcome: 'resumed', view };
  },
});
