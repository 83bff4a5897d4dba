/**
 * Flow 2, "Ground rules for a tough conversation" (seed §10). Before a hard talk, the two agree
 * how they will talk: four base rules, each agreed (or not) by each partner; rules of their own,
 * each accepted or declined by the other; what they want to talk about. Then they talk — freely,
 * or taking turns with the floor (PREP's speaker and listener) — and each ends by writing at
 * least three points they agree on.
 *
 *   ready → rules.<rule> × 4 (both, sealed) → extras.propose (both, sealed) → replies → again,
 *   bounded → topic (both, sealed) → talkMode (both, sealed) → talkFree | floor: speak →
 *   paraphrase ⇄ check → hand over, bounded → agreed (both, sealed, 3+ points) → done
 *
 * A pause during the talk is a flooding break (Gottman): keeping the rules, not breaking them.
 */
import { assign } from 'xstate';
import { answerText, latest, latestGiven } from '../src/engine/answers.js';
import {
  ask,
  choiceIs,
  counters,
  defineFlow,
  flowKit,
  READY_OPTIONS,
  readiness,
  type StatesOf,
  step,
} from '../src/engine/flow-kit.js';
import type {
  AnswerRecord,
  FlowContext,
  NameOf,
  Option,
  PartnerId,
  PromiseDraft,
  Quote,
  SummarySection,
} from '../src/engine/flow-types.js';
import { otherPartner, PARTNERS } from '../src/engine/flow-types.js';

/** The base rules, in the order they are asked. The wording is ours; the four come from seed §10. */
export const BASE_RULES = [
  { id: 'noShouting', short: 'no shouting', text: 'We keep our voices calm — no shouting.' },
  { id: 'noInterrupting', short: 'no interrupting', text: 'We let each other finish — no interrupting.' },
  {
    id: 'noMocking',
    short: 'no mocking looks or gestures',
    text: 'No scornful looks or gestures — no eye-rolling, smirking or mimicking.',
  },
  {
    id: 'noWalkingAway',
    short: 'no walking away',
    text: 'No walking out mid-conversation: if one of us needs a break, we say so and agree when to come back.',
  },
] as const;

/** Loop bounds: every loop in this flow ends. */
export const LIMITS = {
  /** Rounds in which each partner may suggest one rule of their own (so at most four extra rules). */
  extraRounds: 2,
  /** Turns with the floor in all (each partner speaks up to four times). */
  floorTurns: 8,
  /** Paraphrases the listener may give for one turn. */
  paraphrases: 2,
  /** Points each partner writes at the end. */
  agreedMin: 3,
  agreedMax: 10,
} as const;

const count = counters('extraRounds', 'floorTurns', 'paraphrases', 'passes', 'aSuggested', 'bSuggested');

export const RULE_OPTIONS: Option[] = [
  { value: 'agree', label: 'I’ll keep this rule' },
  { value: 'cannot', label: 'I can’t promise this one' },
];

export const PROPOSE_OPTIONS: Option[] = [
  { value: 'add', label: 'Add a rule' },
  { value: 'none', label: 'Nothing to add' },
];

export const REPLY_OPTIONS: Option[] = [
  { value: 'accept', label: 'Yes, I’ll keep it' },
  { value: 'decline', label: 'Not this one' },
];

export const MODE_OPTIONS: Option[] = [
  { value: 'floor', label: 'Take turns with the floor' },
  { value: 'free', label: 'Talk freely' },
];

export const TALK_OPTIONS: Option[] = [{ value: 'finished', label: 'I’m ready to wrap up' }];

export const SPEAK_OPTIONS: Option[] = [
  { value: 'said', label: 'I’ve said my piece' },
  { value: 'pass', label: 'Nothing more from me' },
];

export const HEARD_OPTIONS: Option[] = [
  { value: 'yes', label: 'Yes, that’s it' },
  { value: 'more', label: 'Not quite' },
];

/** The rule a partner suggested in a proposal answer, if they suggested one. */
const ruleIn = (answer: AnswerRecord | undefined): string | undefined =>
  answer?.value.choice === 'add' ? answer.value.note : undefined;

/** This round's suggestion by a partner (the latest proposal answer is always this round's). */
const suggestedBy = (context: FlowContext, by: PartnerId): string | undefined =>
  ruleIn(latest(context, 'extras.propose', by));

const replyStep = (proposer: PartnerId): string => (proposer === 'a' ? 'extras.replyToA' : 'extras.replyToB');

export interface ExtraRule {
  by: PartnerId;
  rule: string;
  /** The other partner's reply, if they gave one. */
  reply?: 'accept' | 'decline';
  note?: string;
}

/**
 * Every suggested rule with the other's reply. A reply belongs to the suggestion just before it
 * (matched by step counter, not by position).
 */
export function extraRules(context: FlowContext): ExtraRule[] {
  const rules: ExtraRule[] = [];
  for (const proposal of context.answers) {
    if (proposal.step !== 'extras.propose') continue;
    const rule = ruleIn(proposal);
    if (!rule) continue;
    const reply = context.answers.find((a) => a.step === replyStep(proposal.by) && a.seq > proposal.seq);
    const extra: ExtraRule = { by: proposal.by, rule };
    const choice = reply?.value.choice;
    if (choice === 'accept' || choice === 'decline') extra.reply = choice;
    const note = reply?.value.note;
    if (note) extra.note = note;
    rules.push(extra);
  }
  return rules;
}

/** Each partner's latest answer to a base rule. */
const ruleAnswers = (context: FlowContext, ruleId: string): Partial<Record<PartnerId, AnswerRecord>> => {
  const out: Partial<Record<PartnerId, AnswerRecord>> = {};
  for (const by of PARTNERS) {
    const answer = latest(context, `rules.${ruleId}`, by);
    if (answer) out[by] = answer;
  }
  return out;
};

const bothAgreed = (context: FlowContext, ruleId: string): boolean => {
  const answers = ruleAnswers(context, ruleId);
  return answers.a?.value.choice === 'agree' && answers.b?.value.choice === 'agree';
};

/** The flow's own guards and actions, named for what they mean (the diagrams show these names). */
const rules = flowKit.extend({
  guards: {
    /** Partner A suggested a rule this round (B is asked about it). */
    aSuggestedARule: ({ context }) => count.of(context, 'aSuggested') > 0,
    /** Partner B suggested a rule this round (A is asked about it). */
    bSuggestedARule: ({ context }) => count.of(context, 'bSuggested') > 0,
    /** Someone suggested a rule this round, and another round is still open. */
    anotherRoundOfRules: ({ context }) =>
      count.of(context, 'aSuggested') + count.of(context, 'bSuggested') > 0 &&
      count.of(context, 'extraRounds') < LIMITS.extraRounds - 1,
    /** This answer and the other partner's (already in) both ask to take turns with the floor. */
    bothWantTheFloor: ({ context, event }) =>
      event.type === 'ANSWER' &&
      event.value.choice === 'floor' &&
      context.pending[otherPartner(event.by)]?.choice === 'floor',
    /** The listener has not quite got it, and may paraphrase once more. */
    notQuiteHeard: ({ context, event }) =>
      event.type === 'ANSWER' &&
      event.value.choice === 'more' &&
      count.of(context, 'paraphrases') < LIMITS.paraphrases - 1,
    /** Both have nothing more to say (two passes in a row), or the turns are used up. */
    floorIsDone: ({ context }) =>
      count.of(context, 'passes') >= 2 || count.of(context, 'floorTurns') >= LIMITS.floorTurns,
  },
  actions: {
    /** Who suggested a rule this round, kept where the next steps (and the diagrams) can see it. */
    noteSuggestions: assign({
      counters: ({ context }) => ({
        ...context.counters,
        aSuggested: suggestedBy(context, 'a') === undefined ? 0 : 1,
        bSuggested: suggestedBy(context, 'b') === undefined ? 0 : 1,
      }),
    }),
    /** The floor starts with the invited partner; the one who started /talk listens first. */
    giveFloorToB: assign({ roles: ({ context }) => ({ ...context.roles, speaker: 'b', listener: 'a' }) }),
  },
});

/** The rules in force for the talk, in a line: base rules both kept, and how many they added. */
const rulesLine = (context: FlowContext): string => {
  const kept = BASE_RULES.filter((rule) => bothAgreed(context, rule.id)).map((rule) => rule.short);
  const added = extraRules(context).filter((r) => r.reply === 'accept').length;
  if (kept.length === 0 && added === 0) return 'You have no shared rules this time, so go gently.';
  const list = kept.length > 0 ? kept.join('; ') : '';
  const plus = added > 0 ? `${list ? ', and ' : ''}the ${added === 1 ? 'rule' : 'rules'} you added` : '';
  return `Your rules: ${list}${plus}.`;
};

const talkQuotes = (context: FlowContext): Quote[] => [
  ...PARTNERS.flatMap((by): Quote[] => {
    // A topic skipped after a safety pause has no words to quote.
    const topic = latestGiven(context, 'topic', by);
    return topic ? [{ by, text: answerText(topic.value), label: `What {${by}} wants to talk about` }] : [];
  }),
  ...extraRules(context)
    .filter((r) => r.reply === 'accept')
    .map((r): Quote => ({ by: r.by, text: r.rule, label: `A rule {${r.by}} added` })),
];

/** The four base rules, each agreed (or not) by each partner, sealed. */
const ruleStates = (): StatesOf<typeof rules> => {
  const out: StatesOf<typeof rules> = {};
  BASE_RULES.forEach((rule, i) => {
    const next = BASE_RULES[i + 1]?.id ?? 'settled';
    out[rule.id] = {
      meta: ask({
        to: 'both',
        title: `Rule ${i + 1} of ${BASE_RULES.length}`,
        summaryTitle: `Rule ${i + 1}, ${rule.short} — {a} and {b}`,
        text: `“${rule.text}” Will you keep this rule during your conversation?`,
        ...(i === 0 ? { why: 'Rules you both choose are easier to keep than rules handed to you.' } : {}),
        input: {
          kind: 'choice',
          options: RULE_OPTIONS,
          note: { label: 'What would help you keep it? (optional)', min: 0, max: 500 },
        },
        sealed: true,
        about: () => rule.text,
      }),
      on: { ANSWER: step.both(next) },
    };
  });
  out.settled = { type: 'final' };
  return out;
};

const replyState = (proposer: PartnerId, next: string): StatesOf<typeof rules>[string] => ({
  meta: ask({
    to: otherPartner(proposer),
    title: 'A suggested rule',
    summaryTitle: `{${otherPartner(proposer)}} on {${proposer}}’s rule`,
    text: `{${proposer}} suggests this rule for your conversation. Will you keep it?`,
    input: {
      kind: 'choice',
      options: REPLY_OPTIONS,
      note: { label: 'What would work instead? (optional)', min: 0, max: 500 },
    },
    quote: (context) => {
      const rule = suggestedBy(context, proposer);
      return rule ? [{ by: proposer, text: rule, label: `{${proposer}}’s rule` }] : [];
    },
    about: (context) => suggestedBy(context, proposer),
  }),
  on: { ANSWER: step.answer(next) },
});

const states: StatesOf<typeof rules> = {
  ready: {
    meta: ask({
      to: 'both',
      title: 'Is now a good time?',
      summaryTitle: 'Ready to begin? — {a} and {b}',
      text: 'You will agree a few rules, name what to talk about, talk, and then write down what you agree on. Is now a calm enough moment for you?',
      why: 'A hard talk goes better when you have both chosen to have it now.',
      input: { kind: 'choice', options: READY_OPTIONS },
      sealed: true,
    }),
    on: { ANSWER: readiness('rules') },
  },

  rules: { initial: BASE_RULES[0].id, states: ruleStates(), onDone: 'extras' },

  extras: {
    initial: 'propose',
    states: {
      propose: {
        meta: ask({
          to: 'both',
          title: 'A rule of your own',
          summaryTitle: 'Rules of their own — {a} and {b}',
          text: (context) =>
            count.of(context, 'extraRounds') > 0
              ? 'Is there one more rule you would like to add?'
              : 'Is there a rule of your own you would like to add for this conversation?',
          why: 'Each of you knows best what helps you stay in a hard conversation.',
          input: {
            kind: 'choice',
            options: PROPOSE_OPTIONS,
            note: { label: 'Your rule', requiredFor: ['add'], onlyFor: ['add'], min: 0, max: 200 },
          },
          sealed: true,
        }),
        on: {
          ANSWER: [
            { guard: 'otherHasAnswered', target: 'checkA', actions: ['reveal', 'noteSuggestions'] },
            { actions: 'collect' },
          ],
        },
      },
      checkA: { always: [{ guard: 'aSuggestedARule', target: 'replyToA' }, 'checkB'] },
      replyToA: replyState('a', 'checkB'),
      checkB: { always: [{ guard: 'bSuggestedARule', target: 'replyToB' }, 'again'] },
      replyToB: replyState('b', 'again'),
      again: {
        always: [{ guard: 'anotherRoundOfRules', target: 'propose', actions: count.bump('extraRounds') }, 'finished'],
      },
      finished: { type: 'final' },
    },
    onDone: 'topic',
  },

  topic: {
    meta: ask({
      to: 'both',
      title: 'What to talk about',
      summaryTitle: 'What they wanted to talk about — {a} and {b}',
      text: 'In a sentence or two, what would you like to talk about today?',
      why: 'Naming it first keeps the talk from spreading into everything at once.',
      input: { kind: 'text', label: 'I would like to talk about', min: 3, max: 500 },
      sealed: true,
    }),
    on: { ANSWER: step.both('talkMode') },
  },

  talkMode: {
    meta: ask({
      to: 'both',
      title: 'How would you like to talk?',
      summaryTitle: 'How they chose to talk — {a} and {b}',
      text: 'Would you like to take turns with the floor, or talk freely? With the floor, one speaks and the other says back what they heard before answering; {b} speaks first.',
      why: 'Turns are slower, and help when talks speed up; you take them only if you both choose to.',
      input: { kind: 'choice', options: MODE_OPTIONS },
      sealed: true,
      quote: talkQuotes,
    }),
    on: {
      ANSWER: [
        // The floor is set up on the way in, not on entering it: a pause resumes into the floor.
        {
          guard: 'bothWantTheFloor',
          target: 'floor',
          actions: [
            'reveal',
            'giveFloorToB',
            count.reset('floorTurns'),
            count.reset('passes'),
            count.reset('paraphrases'),
          ],
        },
        { guard: 'otherHasAnswered', target: 'talkFree', actions: 'reveal' },
        { actions: 'collect' },
      ],
    },
  },

  talkFree: {
    meta: ask({
      to: 'both',
      title: 'Time to talk',
      summaryTitle: 'Ready to wrap up — {a} and {b}',
      text: (context) =>
        `Talk now, in person or on a call. ${rulesLine(context)} If it gets heated, press Pause: a break keeps the rules. Are you ready to wrap up?`,
      input: { kind: 'choice', options: TALK_OPTIONS },
      quote: talkQuotes,
    }),
    on: { ANSWER: step.both('agreed') },
  },

  floor: {
    initial: 'speak',
    states: {
      speak: {
        meta: ask({
          to: 'speaker',
          title: 'The floor is yours',
          summaryTitle: '{speaker} had the floor',
          text: (context) =>
            `Say what you need to, aloud or briefly in the note; {listener} listens without answering back. ${rulesLine(context)}`,
          why: 'Keep it short enough to be said back; there will be more turns.',
          input: {
            kind: 'choice',
            options: SPEAK_OPTIONS,
            note: { label: 'The gist, if you want it written (optional)', min: 0, max: 1000, onlyFor: ['said'] },
          },
          quote: talkQuotes,
        }),
        on: {
          ANSWER: [
            { guard: choiceIs('pass'), target: 'handOver', actions: ['record', count.bump('passes')] },
            { target: 'paraphrase', actions: ['record', count.reset('passes')] },
          ],
        },
      },
      paraphrase: {
        meta: ask({
          to: 'listener',
          title: 'What you heard',
          summaryTitle: 'What {listener} heard',
          text: 'In your own words, what did you hear {speaker} say? Not your answer yet: just what you heard.',
          input: { kind: 'text', label: 'What I heard', min: 2, max: 1000 },
          quote: (context) => {
            const said = latest(context, 'floor.speak');
            return said?.value.note ? [{ by: said.by, text: said.value.note, label: 'The gist, from {speaker}' }] : [];
          },
        }),
        on: {
          ANSWER: [
            // Skipped after a safety pause: nothing to check, and the floor passes.
            { guard: 'answerSkipped', target: 'handOver', actions: 'record' },
            step.answer('check'),
          ],
        },
      },
      check: {
        meta: ask({
          to: 'speaker',
          title: 'Did they hear you?',
          summaryTitle: 'Did {listener} hear {speaker}?',
          text: (context) =>
            count.of(context, 'paraphrases') + 1 >= LIMITS.paraphrases
              ? 'Did {listener} hear what you meant? If not quite, say what was missed; the floor then passes, and you can come back to it.'
              : 'Did {listener} hear what you meant?',
          input: {
            kind: 'choice',
            options: HEARD_OPTIONS,
            note: { label: 'What was missed (optional)', min: 0, max: 500, onlyFor: ['more'] },
          },
          quote: (context) => {
            const heard = latest(context, 'floor.paraphrase');
            return heard ? [{ by: heard.by, text: answerText(heard.value), label: 'What {listener} heard' }] : [];
          },
        }),
        on: {
          ANSWER: [
            { guard: 'notQuiteHeard', target: 'paraphrase', actions: ['record', count.bump('paraphrases')] },
            { target: 'handOver', actions: 'record' },
          ],
        },
      },
      // Not a step: the floor passes to the other, until both have nothing more or the turns run out.
      handOver: {
        entry: [
          count.bump('floorTurns'),
          count.reset('paraphrases'),
          { type: 'swapRoles', params: { roles: ['speaker', 'listener'] } },
        ],
        always: [{ guard: 'floorIsDone', target: 'closed' }, { target: 'speak' }],
      },
      closed: { type: 'final' },
    },
    onDone: 'agreed',
  },

  agreed: {
    meta: ask({
      to: 'both',
      title: 'What you agree on',
      summaryTitle: 'Points they agree on — {a} and {b}',
      text: 'Looking back on your talk, what do you both agree on? Write at least three points, one per line; small ones count.',
      why: 'Ending on common ground gives your next talk somewhere to start.',
      input: {
        kind: 'list',
        label: 'Points we agree on',
        min: LIMITS.agreedMin,
        max: LIMITS.agreedMax,
        itemMax: 300,
      },
      sealed: true,
    }),
    on: { ANSWER: step.both('done') },
  },

  done: { type: 'final' },
};

const STOP_WORDS = new Set(
  'a an the and or of to in on for with at by is are be we us our i you it that this both each other will should'.split(
    ' ',
  ),
);

const words = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0);

/** Two points say much the same thing: equal once case and punctuation go, or mostly the same words. */
export function alike(one: string, two: string): boolean {
  const a = words(one);
  const b = words(two);
  if (a.length === 0 || b.length === 0) return false;
  if (a.join(' ') === b.join(' ')) return true;
  const setA = new Set(a.filter((w) => !STOP_WORDS.has(w)));
  const setB = new Set(b.filter((w) => !STOP_WORDS.has(w)));
  if (setA.size < 2 || setB.size < 2) return false;
  const shared = [...setA].filter((w) => setB.has(w)).length;
  return shared / new Set([...setA, ...setB]).size >= 0.6;
}

/** Points both partners wrote alike: each of one partner's points matched at most once. */
export function pointsInCommon(first: string[], second: string[]): [string, string][] {
  const used = new Set<number>();
  const pairs: [string, string][] = [];
  for (const point of first) {
    const index = second.findIndex((other, i) => !used.has(i) && alike(point, other));
    if (index < 0) continue;
    used.add(index);
    pairs.push([point, second[index] as string]);
  }
  return pairs;
}

/** At a glance: the rules both agreed to, what each wanted to talk about, and the agreed points. */
function highlights(context: FlowContext, nameOf: NameOf): SummarySection[] {
  const sections: SummarySection[] = [];
  const extras = extraRules(context);

  const agreed = [
    ...BASE_RULES.filter((rule) => bothAgreed(context, rule.id)).map((rule) => rule.text),
    ...extras.filter((r) => r.reply === 'accept').map((r) => `${r.rule} (suggested by ${nameOf(r.by)})`),
  ];
  if (agreed.length > 0) sections.push({ title: 'Rules you both agreed to', lines: agreed });

  const notYet: string[] = [];
  for (const rule of BASE_RULES) {
    const answers = ruleAnswers(context, rule.id);
    const holding = PARTNERS.filter((p) => answers[p]?.value.choice === 'cannot');
    if (holding.length === 0) continue;
    const notes = holding.flatMap((p) => (answers[p]?.value.note ? [`${nameOf(p)}: “${answers[p]?.value.note}”`] : []));
    const why = notes.length > 0 ? `; ${notes.join('; ')}` : '';
    notYet.push(`${rule.text} (not yet for ${holding.map(nameOf).join(' and ')}${why})`);
  }
  for (const extra of extras.filter((r) => r.reply === 'decline')) {
    const instead = extra.note ? `; instead: “${extra.note}”` : '';
    notYet.push(
      `${extra.rule} (suggested by ${nameOf(extra.by)}; not this time for ${nameOf(otherPartner(extra.by))}${instead})`,
    );
  }
  if (notYet.length > 0) sections.push({ title: 'Rules not agreed this time', lines: notYet });

  const topics = PARTNERS.flatMap((by) => {
    const topic = latestGiven(context, 'topic', by);
    return topic ? [`${nameOf(by)}: ${answerText(topic.value)}`] : [];
  });
  if (topics.length > 0) sections.push({ title: 'What you wanted to talk about', lines: topics });

  const points: Partial<Record<PartnerId, string[]>> = {};
  for (const by of PARTNERS) {
    const items = latest(context, 'agreed', by)?.value.items;
    if (items?.length) {
      points[by] = items;
      sections.push({ title: `Points ${nameOf(by)} agrees on`, lines: items });
    }
  }
  if (points.a && points.b) {
    const common = pointsInCommon(points.a, points.b);
    if (common.length > 0) {
      sections.push({
        title: 'Points you both wrote alike',
        lines: common.map(([one, two]) => (one === two ? one : `${one} / ${two}`)),
      });
    }
  }
  return sections;
}

/** The rules both keep, and the points both wrote alike: promises the two of them made each other. */
function promises(context: FlowContext): PromiseDraft[] {
  const both: PartnerId[] = ['a', 'b'];
  const shared = (words: string, step: string): PromiseDraft => ({ by: both, to: both, words, step });
  const rules = [
    ...BASE_RULES.filter((rule) => bothAgreed(context, rule.id)).map((rule) => shared(rule.text, `rules.${rule.id}`)),
    ...extraRules(context)
      .filter((r) => r.reply === 'accept')
      .map((r) => shared(r.rule, 'extras.propose')),
  ];
  const a = latest(context, 'agreed', 'a')?.value.items;
  const b = latest(context, 'agreed', 'b')?.value.items;
  const points =
    a && b ? pointsInCommon(a, b).map(([one, two]) => shared(one === two ? one : `${one} / ${two}`, 'agreed')) : [];
  return [...rules, ...points];
}

export default defineFlow({
  id: 'ground-rules',
  version: 2,
  title: 'Ground rules for a hard talk',
  description: 'Agree how you will talk before you talk: a few rules, a topic, and three or more points you agree on.',
  roles: {
    speaker: 'Holds the floor in a turn of the talk',
    listener: 'Listens, and says back what they heard',
  },
  setup: rules,
  initial: 'ready',
  states,
  highlights,
  promises,
  nextStep:
    'Keep these rules for your next hard talk too, and look back at your agreed points together in a week or so.',
});
