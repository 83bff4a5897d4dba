/**
 * "Answer it again", after a safety pause on a choice (which cannot be skipped: where the
 * conversation goes next depends on it): the question is posted again for whoever it waits on.
 */
import { refOfKey } from '../../engine/prompt.js';
import { pausedRejection, reject } from '../../engine/rejections.js';
import { FINISHED } from '../../engine/session-record.js';
import { channelOut } from '../channel-out.js';
import { defineButton } from '../interaction.js';
import { sessionOfPartner } from '../partners.js';
import { promptMessages } from '../prompt-messages.js';
import { replyPrivately } from '../reply.js';

export default defineButton<{ key: string }>({
  name: 'answer-again',
  encode: ({ key }) => [key],
  parse: ([key]) => (key && refOfKey(key) ? { key } : undefined),
  async run(interaction, context, { key }) {
    const session = await sessionOfPartner(interaction, context);
    if ('refused' in session) return { outcome: session.refused, view: session.view };
    const { view } = session;
    const refusal = FINISHED.has(view.status)
      ? reject('finished')
      : view.status === 'paused'
        ? pausedRejection(view.context.pause)
        : view.prompt?.key !== key
          ? reject('stale-step')
          : undefined;
    if (refusal || !view.prompt) {
      await replyPrivately(interaction, (refusal ?? reject('stale-step')).message);
      return { outcome: refusal?.code ?? 'stale-step', view };
    }
    await replyPrivately(interaction, 'Here is the question again.');
    const out = channelOut(context, view.record.channelId);
    for (const message of promptMessages(view, view.prompt)) if (!(await out.send(message))) break;
    return { outcome: 'asked-again', view };
  },
});
