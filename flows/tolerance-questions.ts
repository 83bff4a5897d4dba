/**
 * Flow 3, "The two tolerance questions" (seed §3). One partner names up to five behaviours or goals
 * of the other that trouble them. For each item, the other says whether they would change it; for
 * each item that will not fully change, the first says whether they could live with it for the long
 * run. The two may then swap once and go again the other way.
 *
 * Flow-specific state lives in the kit's context: the items are the latest answer to `list`, the
 * current item is the counter `item`, and the counter `round` bounds the swap to one.
 */
import { assign } from 'xstate';
import { latest } from '../src/engine/answers.js';
import { ask, choiceIs, counters, defineFlow, flowKit, READY_OPTIONS, readiness } from '../src/engine/flow-kit.js';
import { agreeOnRoles, mirror } from '../src/engine/flow-steps.js';
import type {
  AnswerRecord,
  AnswerValue,
  FlowContext,
  FlowEvent,
  NameOf,
  Option,
  PartnerId,
  PromiseDraft,
  Quote,
  SummarySection,
} from '../src/engine/flow-types.js';
import { otherPartner } from '../src/engine/flow-types.js';

/** How many items one partner may name in a round. */
export const MAX_ITEMS = 5;
/** How many times the two may swap roles (once: one round each way). */
export const MAX_SWAPS = 1;
/** Reflections the responder may give of one item before answering it. */
export const ITEM_REFLECTIONS = 2;

export const CHANGE_OPTIONS: Option[] = [
  { value: 'yes', label: 'Yes, I’d change this' },
  { value: 'partly', label: 'Partly' },
  { value: 'no', label: 'No, I wouldn’t change this' },
];

export const LIVE_OPTIONS: Option[] = [
  { value: 'yes', label: 'Yes, I could live with it' },
  { value: 'unsure', label: 'I’m not sure yet' },
  { value: 'no', label: 'No, I don’t think I could' },
];

const SWAP_OPTIONS: Option[] = [
  { value: 'swap', label: 'Yes, swap and go again' },
  { value: 'finish', label: 'Let’s stop here for today' },
];

/** Short forms for the summary table. */
const CHANGE_SHORT: Record<string, string> = { yes: 'Yes', partly: 'Partly', no: 'No' };
const LIVE_SHORT: Record<string, string> = { yes: 'Yes', unsure: 'Not sure yet', no: 'No' };

// ---- The session so far -------------------------------------------------------------------------

/** Loop counters: the current item of a round, rounds (one swap at most), and an item's reflections. */
const count = counters('item', 'round', 'itemRounds');

/** The items of the current round: the latest answer to `list`. */
const itemsOf = (context: FlowContext): string[] => latest(context, 'list')?.value.items ?? [];
const indexOf = (context: FlowContext): number => count.of(context, 'item');
const currentItem = (context: FlowContext): string | undefined => itemsOf(context)[indexOf(context)];
const position = (context: FlowContext): string => `${indexOf(context) + 1} of ${itemsOf(context).length}`;

/** The flow's own guards, named for what they mean (the diagrams show these names). */
const tolerance = flowKit.extend({
  guards: {
    /** The current item is not the last one of this round. */
    hasNextItem: ({ context }) => indexOf(context) + 1 < itemsOf(context).length,
    /** On the swap step, this answer and the other partner's (already in) both ask to swap. */
    bothWantToSwap: ({ context, event }: { context: FlowContext; event: FlowEvent }) =>
      event.type === 'ANSWER' &&
      event.value.choice === 'swap' &&
      context.pending[otherPartner(event.by)]?.choice === 'swap',
  },
});

/** Action: the partner who answered now names their items, and the other answers. */
const swapRoles = assign<FlowContext, FlowEvent, undefined, FlowEvent, never>(({ context }) => {
  const lister = context.roles.lister ?? 'a';
  return { roles: { ...context.roles, lister: otherPartner(lister), responder: lister } };
});

const optionLabel = (options: readonly Option[], value: string | undefined): string | undefined =>
  options.find((o) => o.value === value)?.label;

/** An answer to the first question as it reads to the lister: the choice and the note. */
const changeAnswerText = (value: AnswerValue): string =>
  [optionLabel(CHANGE_OPTIONS, value.choice) ?? value.choice, value.note].filter(Boolean).join(' — ');

const quoteItem = (context: FlowContext): Quote[] => {
  const list = latest(context, 'list');
  const item = currentItem(context);
  if (!list || item === undefined) return [];
  return [{ by: list.by, text: item, label: `Item ${position(context)} from {lister}` }];
};

const quoteItemAndAnswer = (context: FlowContext): Quote[] => {
  const quotes = quoteItem(context);
  const answer = latest(context, 'change');
  if (answer) {
    quotes.push({ by: answer.by, text: changeAnswerText(answer.value), label: 'Would {responder} change it?' });
  }
  return quotes;
};

// ---- The summary --------------------------------------------------------------------------------

export interface ItemRow {
  raisedBy: PartnerId;
  item: string;
  change?: AnswerRecord;
  live?: AnswerRecord;
}

/**
 * Every item named, with the answers given about it. Walks the answers in order (a `list` answer
 * opens a round, each `change` answer takes the next item, a `tolerate` answer belongs to the item
 * just answered), so two items with the same wording stay apart.
 */
export function itemRows(context: FlowContext): ItemRow[] {
  const rows: ItemRow[] = [];
  let round: ItemRow[] = [];
  let next = 0;
  let last: ItemRow | undefined;
  for (const answer of context.answers) {
    if (answer.step === 'list') {
      round = (answer.value.items ?? []).map((item) => ({ raisedBy: answer.by, item }));
      rows.push(...round);
      next = 0;
      last = undefined;
    } else if (answer.step === 'change') {
      last = round[next];
      next += 1;
      if (last) last.change = answer;
    } else if (answer.step === 'tolerate' && last) {
      last.live = answer;
    }
  }
  return rows;
}

const choiceOf = (answer: AnswerRecord | undefined): string | undefined => answer?.value.choice;

const wontFullyChange = (row: ItemRow): boolean => ['partly', 'no'].includes(choiceOf(row.change) ?? '');

const cell = (answer: AnswerRecord | undefined, short: Record<string, string>): string => {
  if (!answer) return 'Not answered';
  const choice = answer.value.choice ?? '';
  return short[choice] ?? choice;
};

const withNote = (answer: AnswerRecord | undefined): string => (answer?.value.note ? ` (“${answer.value.note}”)` : '');

function highlights(context: FlowContext, nameOf: NameOf): SummarySection[] {
  const rows = itemRows(context);
  if (rows.length === 0) return [];
  const sections: SummarySection[] = [];

  sections.push({
    title: 'Each item and both answers',
    table: {
      columns: ['Raised by', 'Item', 'Will it change?', 'Can they live with it?'],
      rows: rows.map((row) => [
        nameOf(row.raisedBy),
        row.item,
        cell(row.change, CHANGE_SHORT),
        row.change && !wontFullyChange(row) ? '—' : cell(row.live, LIVE_SHORT),
      ]),
    },
  });

  const answered = rows.filter((row) => choiceOf(row.change) !== undefined);
  const hard = rows.filter((row) => wontFullyChange(row) && choiceOf(row.live) === 'no');
  if (answered.length > 0) {
    sections.push({
      title: 'Where “won’t change” meets “can’t live with it”',
      lines:
        hard.length === 0
          ? ['None of the items landed here this time.']
          : [
              'These are the places that may need the most care when you talk next. They are not a verdict on either of you.',
              ...hard.map((row) => {
                const other = nameOf(otherPartner(row.raisedBy));
                const changeWord =
                  choiceOf(row.change) === 'partly' ? 'could change it only in part' : 'would not change it';
                return `“${row.item}” — ${other} ${changeWord}${withNote(row.change)}; ${nameOf(row.raisedBy)} does not feel they could live with it${withNote(row.live)}.`;
              }),
            ],
    });
  }

  const open = rows.filter((row) => wontFullyChange(row) && choiceOf(row.live) === 'unsure');
  if (open.length > 0) {
    sections.push({
      title: 'Still open',
      lines: open.map(
        (row) => `“${row.item}” — ${nameOf(row.raisedBy)} is not sure yet whether they could live with it.`,
      ),
    });
  }

  const offered = rows.filter((row) => ['yes', 'partly'].includes(choiceOf(row.change) ?? ''));
  if (offered.length > 0) {
    sections.push({
      title: 'Changes offered',
      lines: offered.map((row) => {
        const other = nameOf(otherPartner(row.raisedBy));
        const how = choiceOf(row.change) === 'yes' ? 'is willing to change' : 'is willing to change part of';
        return `${other} ${how} “${row.item}”${withNote(row.change)}.`;
      }),
    });
  }
  return sections;
}

// ---- The flow -----------------------------------------------------------------------------------

/** Each item the other said they would change, fully or partly: in their words, to the one who named it. */
function promises(context: FlowContext): PromiseDraft[] {
  return itemRows(context).flatMap((row): PromiseDraft[] => {
    const choice = choiceOf(row.change);
    if (!row.change || (choice !== 'yes' && choice !== 'partly')) return [];
    const words =
      row.change.value.note ??
      (choice === 'yes' ? `I’ll change this: ${row.item}` : `I’ll partly change this: ${row.item}`);
    return [{ by: [row.change.by], to: [row.raisedBy], words, about: row.item, step: 'change' }];
  });
}

export default defineFlow({
  id: 'tolerance-questions',
  version: 2,
  title: 'The two tolerance questions',
  description: 'Name what troubles you, hear what could change, and say what you could live with.',
  roles: {
    lister: 'names the behaviours or goals of the other that trouble them',
    responder: 'says, item by item, whether they would change it',
  },
  setup: tolerance,
  initial: 'ready',
  states: {
    ready: {
      meta: ask({
        to: 'both',
        title: 'Is now a good time?',
        summaryTitle: 'Ready to begin? — {a} and {b}',
        text: 'This asks what each of you could change, and what you could live with. Is now a calm enough moment for you?',
        why: 'Either of you can say not now, and that’s fine.',
        input: { kind: 'choice', options: READY_OPTIONS },
        sealed: true,
      }),
      on: { ANSWER: readiness('order') },
    },
    order: agreeOnRoles({
      roles: ['lister', 'responder'],
      question: 'Who would like to name what troubles them first? The other will answer one item at a time.',
      me: 'I will name mine first',
      partner: 'I’d like {b} to go first',
      agreement:
        '{lister} names what troubles them first, and {responder} answers one item at a time. Is that right for you?',
      swap: 'The other way round',
      next: 'list',
    }),
    list: {
      meta: ask({
        to: 'lister',
        title: 'What troubles you',
        summaryTitle: 'What troubles {lister}',
        text: 'Which behaviours or goals of {responder} trouble you? Put each one on its own line, up to five.',
        why: 'Describing what happens, rather than what kind of person someone is, makes each item easier to answer.',
        input: {
          kind: 'list',
          label: 'One per line, up to five',
          min: 1,
          max: MAX_ITEMS,
          itemMax: 300,
          placeholder: 'For example: plans made without checking with me first',
        },
      }),
      on: {
        ANSWER: [
          // Skipped after a safety pause: no items to answer, so the round ends here.
          { guard: 'answerSkipped', target: 'roundEnd', actions: 'record' },
          // A new list starts the item index again (after a swap, too).
          { target: 'item', actions: ['record', count.reset('item')] },
        ],
      },
    },
    // Before answering an item, the responder says back what it is about for the lister.
    item: mirror('item', {
      listener: 'responder',
      speaker: 'lister',
      said: quoteItem,
      what: 'this item',
      reflect: 'Before you answer it: in your own words, what do you hear {lister} asking of you here?',
      counter: 'itemRounds',
      rounds: ITEM_REFLECTIONS,
      about: currentItem,
      next: 'change',
    }),
    change: {
      meta: ask({
        to: 'responder',
        title: 'Would you change this?',
        summaryTitle: 'Would {responder} change it?',
        text: (context) =>
          `Item ${position(context)} from {lister}. Would you be willing to change this, for the sake of the two of you?`,
        why: 'An honest no helps more than a promise you can’t keep.',
        quote: quoteItem,
        about: currentItem,
        input: {
          kind: 'choice',
          options: CHANGE_OPTIONS,
          note: { label: 'What could change, or what’s hard?', min: 0, max: 1000 },
        },
      }),
      on: {
        ANSWER: [
          { guard: choiceIs('partly', 'no'), target: 'tolerate', actions: 'record' },
          { guard: 'hasNextItem', target: 'item', actions: ['record', count.bump('item')] },
          { target: 'roundEnd', actions: 'record' },
        ],
      },
    },
    tolerate: {
      meta: ask({
        to: 'lister',
        title: 'Could you live with this?',
        summaryTitle: 'Could {lister} live with it?',
        text: (context) => `Item ${position(context)}. If it stays much as it is, could you live with it for good?`,
        why: 'Not sure is an honest answer too.',
        quote: quoteItemAndAnswer,
        about: currentItem,
        input: {
          kind: 'choice',
          options: LIVE_OPTIONS,
          note: { label: 'What makes it bearable, or not?', min: 0, max: 1000 },
        },
      }),
      on: {
        ANSWER: [
          { guard: 'hasNextItem', target: 'item', actions: ['record', count.bump('item')] },
          { target: 'roundEnd', actions: 'record' },
        ],
      },
    },
    // Not a step: decides, once a round is through, whether to offer the swap.
    roundEnd: {
      always: [{ guard: count.below('round', MAX_SWAPS), target: 'swap' }, { target: 'done' }],
    },
    swap: {
      meta: ask({
        to: 'both',
        title: 'Swap and go again?',
        summaryTitle: 'Swap and go again? — {a} and {b}',
        text: 'Would you like to swap, so that {responder} names what troubles them and {lister} answers?',
        why: 'Only if you both want to; one round can be plenty for one day.',
        sealed: true,
        input: { kind: 'choice', options: SWAP_OPTIONS },
      }),
      on: {
        ANSWER: [
          { guard: 'bothWantToSwap', target: 'list', actions: ['reveal', swapRoles, count.bump('round')] },
          { guard: 'otherHasAnswered', target: 'done', actions: 'reveal' },
          { actions: 'collect' },
        ],
      },
    },
    done: { type: 'final' },
  },
  highlights,
  promises,
  nextStep:
    'Give these answers a few days to settle before deciding anything; if some of them weigh heavily, a couples counsellor can help you look at them together.',
});
