/**
 * A check-in on what a conversation promised (PRODUCT.md, "Beyond the four"). Mend starts it at the
 * time the couple chose; it is not in /talk's list. It asks after every promise of that
 * conversation at once, so a check-in stays one small moment, not a review:
 *
 *   howItWent (both, sealed: the one who promised says how it went, the one promised to how it
 *   felt — revealed together) → next (both: again, settled, or let it go) → [when to check in
 *   again, if either asked for it] → done
 *
 * No scores and no verdicts: "not yet" is an answer, and letting a promise go is a choice, not a
 * failure. A check-in nobody answers is reminded once and then left open.
 */
import { latest } from '../src/engine/answers.js';
import { ask, defineFlow, flowKit, type StatesOf, step } from '../src/engine/flow-kit.js';
import type { FlowContext, NameOf, Option, PartnerId, Quote, SummarySection } from '../src/engine/flow-types.js';
import { PARTNERS } from '../src/engine/flow-types.js';
import {
  CHECK_IN_CHOICES,
  CHECK_IN_LABELS,
  NEXT_CHOICES,
  NEXT_LABELS,
  optionsOf,
} from '../src/engine/follow-through-words.js';
import { CHECK_IN_FLOW_ID } from '../src/engine/promises.js';

export const HOW_IT_WENT: Option[] = optionsOf(CHECK_IN_CHOICES, CHECK_IN_LABELS);
export const NEXT: Option[] = optionsOf(NEXT_CHOICES, NEXT_LABELS);

const promisesOf = (context: FlowContext) => context.subject?.promises ?? [];

const who = (partners: readonly PartnerId[]) => (partners.length > 1 ? '{a} and {b}' : `{${partners[0] ?? 'a'}}`);

/** Each promise, as it was made: who promised whom, in their words. */
const quotePromises = (context: FlowContext): Quote[] =>
  promisesOf(context).map((p) => ({
    by: p.by[0] ?? 'a',
    label:
      p.by.length > 1
        ? `What you promised each other${p.about ? ` (${p.about})` : ''}`
        : `What ${who(p.by)} promised ${who(p.to)}${p.about ? ` (${p.about})` : ''}`,
    text: p.words,
  }));

/** Said to both at once, each from their own side. */
function howItWentText(context: FlowContext): string {
  const promises = promisesOf(context);
  const made = context.subject?.flowTitle ? ` in “${context.subject.flowTitle}”` : '';
  const promisers = new Set(promises.flatMap((p) => p.by));
  if (promisers.size === 0)
    return 'How has it gone since you last talked? Each of you, say how it has been from your side.';
  if (promisers.size > 1) {
    return `Here is what was promised${made}. How has it gone? Each of you, say how it has been from your side.`;
  }
  const [promiser] = [...promisers];
  const other = promiser === 'a' ? 'b' : 'a';
  return `Here is what {${promiser}} promised${made}. {${promiser}}, how has it gone? {${other}}, how has it felt from your side?`;
}

/** Someone asked to check in again: the kit then asks when. */
const askedForAnother = (context: FlowContext) =>
  PARTNERS.some((p) => latest(context, 'next', p)?.value.choice === 'again');

const states: StatesOf = {
  howItWent: {
    meta: ask({
      to: 'both',
      title: 'How it has gone',
      summaryTitle: 'How it has gone — {a} and {b}',
      text: howItWentText,
      why: 'No score and no verdict: “not yet” is an honest answer too.',
      sealed: true,
      quote: quotePromises,
      input: {
        kind: 'choice',
        options: HOW_IT_WENT,
        note: { label: 'A few words, if you like', min: 0, max: 500 },
      },
    }),
    on: { ANSWER: step.both('next') },
  },
  next: {
    meta: ask({
      to: 'both',
      title: 'What now',
      summaryTitle: 'What now — {a} and {b}',
      text: 'What would you like to do with this now?',
      why: 'Settled or let go, no more check-ins come for it; checking in again keeps it open.',
      input: { kind: 'choice', options: NEXT },
    }),
    on: { ANSWER: step.both('done') },
  },
  done: { type: 'final' },
};

const label = (options: Option[], value: string | undefined) => options.find((o) => o.value === value)?.label;

function highlights(context: FlowContext, nameOf: NameOf): SummarySection[] {
  const lines = PARTNERS.flatMap((p) => {
    const answer = latest(context, 'howItWent', p);
    const said = label(HOW_IT_WENT, answer?.value.choice);
    if (!said) return [];
    return [`${nameOf(p)}: ${said}${answer?.value.note ? ` — ${answer.value.note}` : ''}`];
  });
  const sections: SummarySection[] = [];
  const promised = promisesOf(context).map((p) => p.words);
  if (promised.length > 0) sections.push({ title: 'What was promised', lines: promised });
  if (lines.length > 0) sections.push({ title: 'How it has gone', lines });
  const choices = PARTNERS.map((p) => latest(context, 'next', p)?.value.choice);
  if (choices.every((c) => c !== undefined)) {
    // Checking in again is said by the kit's own "Your check-in", with its time.
    if (!choices.includes('again')) {
      const outcome = choices.every((c) => c === 'settled')
        ? 'You both feel it’s settled.'
        : 'You’ve chosen to let it go. That is a choice, not a failure.';
      sections.push({ title: 'What now', lines: [outcome] });
    }
  }
  return sections;
}

export default defineFlow({
  id: CHECK_IN_FLOW_ID,
  version: 1,
  title: 'Checking in on a promise',
  description: 'How a promise has gone, from each side, and what to do with it now.',
  roles: {},
  setup: flowKit,
  initial: 'howItWent',
  states,
  highlights,
  nextStep: 'Whatever you said today, saying it honestly to each other is what rebuilds trust.',
  listed: false,
  closesWhenQuiet: false,
  // A check-in's record is a few lines both just read: it is posted at once.
  summaryApproval: false,
  followUp: { kind: 'check-in', when: askedForAnother },
});
