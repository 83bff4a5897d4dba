/**
 * The message both partners read once they have both chosen to continue after a safety pause: the
 * answer that paused it was not kept, and the question is not simply asked again. Written answers
 * can be skipped; a choice is answered again. Either way they may end here. It names no one and
 * does not say whose answer paused the conversation.
 */
import { canSkip } from '../engine/after-safety.js';
import type { Prompt } from '../engine/prompt.js';
import type { SessionView } from '../engine/session.js';
import { buttonRows } from './components.js';
import answerAgain from './interactions/answer-again.js';
import end from './interactions/end.js';
import skipQuestion from './interactions/skip-question.js';
import { COLOR, embedOf, type MessagePayload } from './note.js';

export const SKIP_LABEL = 'Skip that question';
export const ANSWER_AGAIN_LABEL = 'Answer it again';
export const END_HERE_LABEL = 'End here';

const NOT_KEPT =
  'You have both chosen to continue. The answer that paused this conversation was not kept, and it will not appear in the summary.';

export function setAsideMessage(view: SessionView, prompt: Prompt): MessagePayload {
  const skippable = canSkip(prompt);
  const parts = [NOT_KEPT];
  if (skippable) {
    parts.push('You can skip that question and go on to the next one, or end here. Either is a fine choice.');
    // A 'both' step with an answer already in: say what skipping does with it, naming no one.
    if (prompt.answered.length > 0)
      parts.push('If you skip it, the answer already given to it is kept and shown as usual.');
  } else {
    parts.push(
      'This question is a choice, and where the conversation goes next depends on it, so it can’t be skipped. You can answer it again, or end here.',
    );
  }
  return {
    content: '',
    embeds: [
      embedOf({
        title: 'Before you go on',
        description: parts.join('\n\n'),
        color: COLOR.pause,
        footer: view.flow.title,
      }),
    ],
    components: buttonRows(
      skippable
        ? { customId: skipQuestion.customId({ key: prompt.key }), label: SKIP_LABEL }
        : { customId: answerAgain.customId({ key: prompt.key }), label: ANSWER_AGAIN_LABEL },
      { customId: end.customId(), label: END_HERE_LABEL, style: 'secondary' },
    ),
    allowedMentions: { parse: [] },
  };
}
