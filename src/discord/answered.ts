/**
 * Where one prompt stands once someone has answered it: which of its answers both can read, whether
 * it still waits on someone, and whether an author can still change their answer there.
 */
import { givenValue } from '../engine/answers.js';
import { canRevise } from '../engine/flow-kit.js';
import { PARTNERS } from '../engine/flow-types.js';
import { refOfKey } from '../engine/prompt.js';
import type { SessionView } from '../engine/session.js';
import { readableByBoth } from '../engine/visibility.js';
import type { AnsweredState } from './prompt-messages.js';

export function answeredStateOf(view: SessionView, key: string): AnsweredState {
  const ref = refOfKey(key);
  const readable = readableByBoth(view.flow, view.context).filter((a) => `${a.step}@${a.seq}` === key);
  const stillOpen = view.prompt?.key === key && view.status === 'active' ? view.prompt : undefined;
  const input = ref ? view.flow.steps.get(ref.step)?.input : undefined;
  const pending = ref !== undefined && view.context.pendingStep === ref.step && view.context.step === ref.seq;
  // A recorded choice that takes no words has nothing left to change (the conversation went on from it).
  const hasWords = (choice: string | undefined) =>
    input?.kind !== 'choice' ||
    (input.note !== undefined && (input.note.onlyFor === undefined || input.note.onlyFor.includes(choice ?? '')));
  const changeable =
    ref !== undefined &&
    PARTNERS.some((by) => {
      const given = givenValue(view.context, by, ref);
      return (
        given !== undefined && (pending || hasWords(given.choice)) && canRevise(view.context, by, ref, given.choice)
      );
    });
  const state: AnsweredState = { readable, changeable };
  if (stillOpen) state.stillOpen = stillOpen;
  return state;
}
