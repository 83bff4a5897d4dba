/**
 * Flow 5, "Gratitude" (seed §5: feel it, appreciate it, say it). Each partner names three things
 * the other did lately that they appreciated, and hears three about themselves:
 *
 *   appreciations (both, sealed: three each, shown together) → howItFelt (both, open: one line
 *   each on reading the other's list, shown the moment it is written) → [when to have the next
 *   one, the kit's `again` step] → done
 *
 * The lists are sealed so neither is written in answer to the other's, and exactly three each so
 * there is nothing to compare: no longer list, no score. What it felt like to read them is open,
 * as a thank-you is said to someone's face: each line reaches the one who wrote the list at once,
 * whoever answers first. It never asks anyone to keep it up; it only offers to come back.
 */
import { latestGiven } from '../src/engine/answers.js';
import { ask, defineFlow, flowKit, type StatesOf, step } from '../src/engine/flow-kit.js';
import type { FlowContext, NameOf, PartnerId, Quote, SummarySection } from '../src/engine/flow-types.js';
import { otherPartner, PARTNERS } from '../src/engine/flow-types.js';

/** Three each, as the exercise has it: the same for both, so neither list is "more". */
export const THINGS = 3;

/** Each partner's list, as its reader will see it: what one noticed about the other. */
const quoteLists = (context: FlowContext): Quote[] =>
  PARTNERS.flatMap((by): Quote[] => {
    const items = latestGiven(context, 'appreciations', by)?.value.items;
    if (!items?.length) return [];
    return [
      {
        by,
        label: `What {${by}} appreciated about {${otherPartner(by)}}`,
        text: items.map((item) => `• ${item}`).join('\n'),
      },
    ];
  });

/** Only a list there is to read is asked about (one skipped after a safety pause has none). */
const howItFeltText = (context: FlowContext): string =>
  quoteLists(context).length === 2
    ? 'Take a moment with what your partner wrote about you. In a line, how did it feel to read it?'
    : 'Take a moment with what was written. In a line, how did it feel?';

const states: StatesOf = {
  appreciations: {
    meta: ask({
      to: 'both',
      title: 'Three things you appreciated',
      summaryTitle: 'Three things each appreciated in the other — {a} and {b}',
      text: 'Think back over the last few days. What are three things your partner did that you appreciated? One per line; small things count.',
      why: 'Noticing the good out loud keeps it from being taken for granted.',
      sealed: true,
      input: {
        kind: 'list',
        label: 'Three things, one per line',
        min: THINGS,
        max: THINGS,
        itemMax: 300,
        placeholder: 'For example: you made me laugh when I was tired on Tuesday',
      },
    }),
    on: { ANSWER: step.both('howItFelt') },
  },
  howItFelt: {
    meta: ask({
      to: 'both',
      title: 'How it felt to read',
      summaryTitle: 'How it felt to read them — {a} and {b}',
      text: howItFeltText,
      why: 'Letting your partner know their words landed is part of the thanks.',
      quote: quoteLists,
      input: { kind: 'text', label: 'How it felt, in a line', min: 1, max: 300 },
    }),
    on: { ANSWER: step.both('done') },
  },
  done: { type: 'final' },
};

/** At a glance: each list under whose it is, and the line each wrote on reading theirs. */
function highlights(context: FlowContext, nameOf: NameOf): SummarySection[] {
  const sections: SummarySection[] = PARTNERS.flatMap((by): SummarySection[] => {
    const items = latestGiven(context, 'appreciations', by)?.value.items;
    return items?.length
      ? [{ title: `What ${nameOf(by)} appreciated about ${nameOf(otherPartner(by))}`, lines: items }]
      : [];
  });
  const felt = PARTNERS.flatMap((by: PartnerId) => {
    const text = latestGiven(context, 'howItFelt', by)?.value.text;
    return text ? [`${nameOf(by)}: ${text}`] : [];
  });
  if (felt.length > 0) sections.push({ title: 'How it felt to read them', lines: felt });
  return sections;
}

export default defineFlow({
  id: 'gratitude',
  version: 1,
  title: 'Gratitude',
  description:
    'Each of you names three things the other did lately that you appreciated, and says how it felt to read theirs.',
  roles: {},
  setup: flowKit,
  initial: 'appreciations',
  states,
  highlights,
  nextStep: 'When your partner does something that makes you glad in the days ahead, you might tell them the same day.',
  followUp: { kind: 'again' },
});
