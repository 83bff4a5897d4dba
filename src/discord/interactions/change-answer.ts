/**
 * "Change my answer": until the other partner has read it, its author may change their words
 * (a form, prefilled with what they wrote; a sealed choice still waiting may be chosen again).
 * Once read, it stays as it is, and they are offered to add to it instead.
 */
import { ModalBuilder } from 'discord.js';
import { answerAt, givenValue } from '../../engine/answers.js';
import { canAdd, canRevise } from '../../engine/flow-kit.js';
import { fillNames, refOfKey } from '../../engine/prompt.js';
import { pausedRejection, reject } from '../../engine/rejections.js';
import { partnerOf } from '../../engine/session.js';
import { buttonRows } from '../components.js';
import { addFields } from '../form-fields.js';
import { channelIdOf, defineButton } from '../interaction.js';
import { clip } from '../note.js';
import { replyPrivately } from '../reply.js';
import { LIMITS } from '../split.js';
import addToAnswer from './add-to-answer.js';
import reviseChoice from './revise-choice.js';
import reviseForm from './revise-form.js';

export default defineButton<{ key: string }>({
  name: 'change',
  encode: ({ key }) => [key],
  parse: ([key]) => (key && refOfKey(key) ? { key } : undefined),
  async run(interaction, context, { key }) {
    const view = await context.sessions.view(channelIdOf(interaction));
    const ref = refOfKey(key);
    const by = view && partnerOf(view.record, interaction.user.id);
    if (!view || !ref) {
      await replyPrivately(interaction, reject('no-session').message);
      return { outcome: 'no-session' };
    }
    if (!by) {
      await replyPrivately(interaction, reject('not-partner').message);
      return { outcome: 'not-partner', view };
    }
    if (view.status === 'paused') {
      // Nothing changes during a pause; say so before a form is filled in for nothing.
      const refusal = pausedRejection(view.context.pause);
      await replyPrivately(interaction, refusal.message);
      return { outcome: refusal.code, view };
    }
    const { context: flowContext } = view;
    const recorded = answerAt(flowContext, by, ref);
    const value = givenValue(flowContext, by, ref);
    const spec = view.flow.steps.get(ref.step);
    if (!value || !spec || recorded?.draft) {
      await replyPrivately(interaction, 'You haven’t answered this one, so there is nothing of yours to change here.');
      return { outcome: 'no-such-answer', view };
    }
    if (canAdd(flowContext, by, ref)) {
      await replyPrivately(interaction, reject('already-read').message, {
        components: buttonRows({ customId: addToAnswer.customId({ key }), label: 'Add to my answer' }),
      });
      return { outcome: 'offered-addition', view };
    }
    if (!canRevise(flowContext, by, ref, value.choice)) {
      await replyPrivately(interaction, reject('finished').message);
      return { outcome: 'finished', view };
    }
    const input = spec.input;
    if (input.kind === 'choice' && !input.note) {
      // A choice with no words: only a sealed choice still waiting can be chosen again.
      await replyPrivately(interaction, 'Choose again; your partner will see only the answer you leave.', {
        components: buttonRows(
          ...input.options.map((o) => ({ customId: reviseChoice.customId({ key, choice: o.value }), label: o.label })),
        ),
      });
      return { outcome: 'offered-choices', view };
    }
    const fill = (text: string) => fillNames(text, flowContext.roles, view.nameOf);
    const option = input.kind === 'choice' ? input.options.find((o) => o.value === value.choice) : undefined;
    const modal = addFields(
      new ModalBuilder()
        .setCustomId(reviseForm.customId({ key }))
        .setTitle(clip(`Change: ${fill(spec.title)}`, LIMITS.modalTitle)),
      {
        input,
        question: typeof spec.text === 'string' ? spec.text : spec.text(flowContext),
        fill,
        prefill: value,
        ...(option ? { choice: option } : {}),
      },
    );
    await interaction.showModal(modal);
    return { outcome: 'form-opened', view };
  },
});
