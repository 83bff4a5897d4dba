/**
 * The private safety check each partner answers, alone, before a couple's first joint
 * conversation. Clinical practice screens each partner separately and privately before any couples
 * work (Stith et al.), because couples exercises can do harm where there is intimate partner
 * violence. These three questions, in our own words, are informed by that screening: whether the
 * person can disagree safely, whether they have been hurt, threatened or made afraid, and whether
 * they take part freely.
 *
 * It is no clinical assessment, and errs on the side of caution: any answer other than the
 * reassuring one (including "I'd rather not say") is a concern. The answers themselves are never
 * stored: they travel only in the buttons of the person's own private message, and only the
 * outcome (`concernIn`) is kept, to hold joint conversations.
 */

export interface CheckOption {
  /** One letter, carried in the button's custom id. */
  code: string;
  label: string;
  /** The reassuring answer: any other is a concern. */
  reassuring?: true;
}

export interface CheckQuestion {
  /** `{partner}` is the partner's name. */
  text: string;
  options: readonly CheckOption[];
}

export const SAFETY_CHECK: readonly CheckQuestion[] = [
  {
    text: 'Can you disagree with {partner}, or say no to them, without being afraid of what happens next?',
    options: [
      { code: 'y', label: 'Yes', reassuring: true },
      { code: 's', label: 'Not always' },
      { code: 'n', label: 'No' },
    ],
  },
  {
    text: 'In the past year, has {partner} hurt you, threatened you, or made you feel afraid?',
    options: [
      { code: 'n', label: 'No', reassuring: true },
      { code: 'y', label: 'Yes' },
      { code: 'r', label: 'I’d rather not say' },
    ],
  },
  {
    text: 'Is taking part in these conversations your own free choice — not something you feel pushed into?',
    options: [
      { code: 'y', label: 'Yes, my own choice', reassuring: true },
      { code: 'n', label: 'Not really' },
    ],
  },
];

/**
 * The answers so far, one code per question, as carried in a custom id: valid when every code is
 * one of its question's options and there are no more codes than questions.
 */
export function isAnswerTrail(trail: string): boolean {
  if (trail.length > SAFETY_CHECK.length) return false;
  return [...trail].every((code, index) => SAFETY_CHECK[index]?.options.some((o) => o.code === code) === true);
}

/** True once every question has its answer. */
export const isComplete = (trail: string) => isAnswerTrail(trail) && trail.length === SAFETY_CHECK.length;

/** Whether any answer in a complete trail is a concern. */
export function concernIn(trail: string): boolean {
  return [...trail].some(
    (code, index) => SAFETY_CHECK[index]?.options.find((o) => o.code === code)?.reassuring !== true,
  );
}
