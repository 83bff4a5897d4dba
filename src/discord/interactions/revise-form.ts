/** The change form's submit: the author's new words for their answer to one prompt. */
import { givenValue } from '../../engine/answers.js';
import { refOfKey } from '../../engine/prompt.js';
import { partnerOf } from '../../engine/session.js';
import { valueFromForm } from '../form-fields.js';
import { channelIdOf, defineModal } from '../interaction.js';
import { replyPrivately } from '../reply.js';

export default defineModal<{ key: string }>({
  name: 'revise',
  encode: ({ key }) => [key],
  parse: ([key]) => (key && refOfKey(key) ? { key } : undefined),
  async run(interaction, context, { key }) {
    const view = await context.sessions.view(channelIdOf(interaction));
    const ref = refOfKey(key);
    const spec = ref && view?.flow.steps.get(ref.step);
    if (!view || !ref || !spec) {
      await replyPrivately(interaction, 'That conversation has moved on, so nothing was changed.');
      return { outcome: 'no-such-answer', view };
    }
    // The choice stays what it was; only the words come from the form.
    const by = partnerOf(view.record, interaction.user.id);
    const choice = by ? givenValue(view.context, by, ref)?.choice : undefined;
    return context.answering.revise(interaction, key, valueFromForm(interaction, spec.input, choice));
  },
});
