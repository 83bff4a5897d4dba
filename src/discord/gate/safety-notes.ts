/**
 * What the safety check and /safety say, privately, to one person: the resources (SAFETY_RESOURCES),
 * a short safety-planning note in our own words, and the neutral line the other partner reads when
 * joint conversations are held — it names no one and gives no reason, so it cannot point at the
 * person who raised the concern.
 */

export const SAFETY_PLAN = [
  '**If things feel unsafe at home**',
  '• Trust your sense of danger — you know your situation best.',
  '• Think of a place you could go at short notice, and someone you could call or stay with.',
  '• Keep your phone charged, and important documents, money and medicines where you can reach them quickly.',
  '• Agree on a word or sign with someone you trust that means “please get help”.',
  '• A domestic abuse helpline can help you make a fuller plan, in confidence.',
].join('\n');

/** Only the person who raised the hold reads this. */
export const HELD_FOR_YOU =
  'Joint conversations are paused for the two of you, as your private check asked. Your partner sees only that they aren’t available — not who or why. Nothing you answered was kept.';

/** What the other partner reads when joint conversations are held. */
export const HELD_FOR_OTHER =
  'Joint conversations aren’t available for the two of you at the moment. If you would like support, /safety lists places to turn.';

/** After a concerning answer in the private check, for that person alone. */
export function concernNote(resources: string): string {
  return [
    'Thank you for answering honestly. Mend won’t offer joint conversations to the two of you for now: exercises like these can make things harder where someone doesn’t feel safe.',
    'Your partner will only see that joint conversations aren’t available — not who or why. Your answers were not kept.',
    resources,
    SAFETY_PLAN,
    'If you later want joint conversations to be possible again, only you can lift this pause — with the button below, or with `/safety partner:@…` at any time.',
  ].join('\n\n');
}

/** /safety: the resources and the plan, for anyone, at any time. */
export function safetyHelp(resources: string): string {
  return [resources, SAFETY_PLAN, 'Only you can see this message, and nothing about it appears in the channel.'].join(
    '\n\n',
  );
}

/** What a held couple reads when they try to start: the raiser, that it is theirs to lift; the other, nothing more. */
export const heldMessage = (userId: string, raisedBy: string) =>
  userId === raisedBy
    ? `${HELD_FOR_YOU} You can read the resources again, or lift the pause, with \`/safety partner:@…\`.`
    : HELD_FOR_OTHER;
