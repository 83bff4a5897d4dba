/**
 * Flow 2, "Ground rules for a tough conversation" (seed §10). Before a hard talk, the two agree
 * how they will talk: four base rules, each agreed (or not) by each partner; rules of their own,
 * each accepted or declined by the other; what they want to talk about. Then they talk while the
 * bot waits, and each ends by writing at least three points they agree on.
 *
 *   ready (both, sealed; either may say "not now") → rules.<rule> × 4 (both, sealed) →
 *   extras.propose (both, sealed) → extras.replyToA (b) / extras.replyToB (a) → again, bounded →
 *   topic (both, sealed) → talk (both) → agreed (both, sealed, list of 3+) → done
 *
 * A pause during the talk is a flooding break (Gottman): keeping the rules, not breaking them.
 */
import {
  type AnswerRecord,
  answerText,
  ask,
  counters,
  defineFlow,
  type FlowContext,
  flowKit,
  latest,
  type NameOf,
  type Option,
  otherPartner,
  PARTNERS,
  type PartnerId,
  type Quote,
  READY_OPTIONS,
  readiness,
  type StatesOf,
  type SummarySection,
  step,
} from '../src/engine/flow-kit.js';

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
  /** Points each partner writes at the end. */
  agreedMin: 3,
  agreedMax: 10,
} as const;

export const RULE_OPTIONS: Option[] = [
  { value: 'agree', label: 'I’ll keep this rule' },
  { value: 'cannot', label: 'I can’t promise this one' },
];

export const PROPOSE_OPTIONS: Option[] = [
  { value: 'add', label: 'Add a rule (write it in the note)' },
  { value: 'none', label: 'Nothing to add' },
];

export const REPLY_OPTIONS: Option[] = [
  { value: 'accept', label: 'Yes, I’ll keep it' },
  { value: 'decline', label: 'Not this one' },
];

export const TALK_OPTIONS: Option[] = [{ value: 'finished', label: 'I’m ready to wrap up' }];

/** The rule a partner suggested in a proposal answer, if they suggested one. */
const ruleIn = (answer: AnswerRecord | undefined): string | undefined => {
  if (answer?.value.choice !== 'add') return undefined;
  const rule = answer.value.note?.trim();
  return rule ? rule : undefined;
};

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
 * (matched by step counter, not by position, so a held-back answer cannot shift the pairs).
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
const ruleAnswers = (context: FlowContext, ruleId: string): Partial<Record<PartnerId, string>> => {
  const out: Partial<Record<PartnerId, string>> = {};
  for (const by of PARTNERS) {
    const choice = latest(context, `rules.${ruleId}`, by)?.value.choice;
    if (choice) out[by] = choice;
  }
  return out;
};

const bothAgreed = (context: FlowContext, ruleId: string): boolean => {
  const answers = ruleAnswers(context, ruleId);
  return answers.a === 'agree' && answers.b === 'agree';
};

const ruleStates = (): StatesOf<typeof rules> => {
  const out: StatesOf<typeof rules> = {};
  BASE_RULES.forEach((rule, i) => {
    const next = BASE_RULES[i + 1]?.id ?? 'settled';
    out[rule.id] = {
      meta: ask({
        to: 'both',
        title: `Rule ${i + 1} of ${BASE_RULES.length}`,
        text: `“${rule.text}” Will you keep this rule during your conversation?`,
        why: i === 0 ? 'Rules you both choose are easier to keep than rules handed to you.' : undefined,
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

/** Quote the suggested rule the other partner is asked about. */
const quoteSuggestion =
  (proposer: PartnerId) =>
  (context: FlowContext): Quote[] => {
    const rule = suggestedBy(context, proposer);
    return rule ? [{ by: proposer, text: rule, label: 'Suggested rule' }] : [];
  };

const replyState = (proposer: PartnerId, next: string): StatesOf<typeof rules>[string] => ({
  meta: ask({
    to: otherPartner(proposer),
    title: 'A suggested rule',
    text: `{${proposer}} suggests this rule for your conversation. Will you keep it?`,
    input: {
      kind: 'choice',
      options: REPLY_OPTIONS,
      note: { label: 'What would work instead? (optional)', min: 0, max: 500 },
    },
    quote: quoteSuggestion(proposer),
    about: (context) => suggestedBy(context, proposer),
  }),
  on: { ANSWER: step.answer(next) },
});

/** The rules in force for the talk: base rules both kept, suggested rules the other accepted. */
const talkText = (context: FlowContext): string => {
  const kept = BASE_RULES.filter((rule) => bothAgreed(context, rule.id)).map((rule) => rule.short);
  const added = extraRules(context).filter((r) => r.reply === 'accept').length;
  const rules =
    kept.length > 0
      ? `Your rules: ${kept.join('; ')}${added > 0 ? ', and the rules you added (below)' : ''}.`
      : added > 0
        ? 'Your rules are the ones you added (below).'
        : 'You have no shared rules this time, so go gently.';
  return [
    'Over to you: talk now, in person or on a call, about what you each named. Take turns — one speaks while the other listens to the end; it can help to jot down your thoughts while you listen rather than cut in.',
    rules,
    'If it gets heated, press Pause: taking a break is keeping the rules, not breaking them.',
    'When you have both said what you needed to, are you ready to wrap up?',
  ].join('\n\n');
};

const talkQuotes = (context: FlowContext): Quote[] => [
  ...PARTNERS.flatMap((by): Quote[] => {
    const topic = latest(context, 'topic', by);
    return topic ? [{ by, text: answerText(topic.value), label: 'Topic' }] : [];
  }),
  ...extraRules(context)
    .filter((r) => r.reply === 'accept')
    .map((r): Quote => ({ by: r.by, text: r.rule, label: 'Added rule' })),
];

const anySuggestion = (context: FlowContext): boolean => PARTNERS.some((by) => suggestedBy(context, by) !== undefined);

const count = counters('extraRounds');

/** The flow's own guards, named for what they mean (the diagrams show these names). */
const rules = flowKit.extend({
  guards: {
    /** Partner A suggested a rule this round (B is asked about it). */
    aSuggestedARule: ({ context }) => suggestedBy(context, 'a') !== undefined,
    /** Partner B suggested a rule this round (A is asked about it). */
    bSuggestedARule: ({ context }) => suggestedBy(context, 'b') !== undefined,
    /** Someone suggested a rule this round, and another round is still open. */
    anotherRoundOfRules: ({ context }) =>
      anySuggestion(context) && count.of(context, 'extraRounds') < LIMITS.extraRounds - 1,
  },
});

const states: StatesOf<typeof rules> = {
  ready: {
    meta: ask({
      to: 'both',
      title: 'Is now a good time?',
      text: 'You will agree a few rules, name what you want to talk about, talk, and then each write down what you agree on. This is a structure for talking, not therapy; if the topic touches deep hurt, a counsellor can help alongside it. Either of you can pause or stop at any point. Is now a good time, and do you feel calm enough to start?',
      why: 'A hard talk goes better when you have both chosen to have it now.',
      input: { kind: 'choice', options: READY_OPTIONS },
      sealed: true,
    }),
    on: {
      ANSWER: readiness('rules'),
    },
  },

  rules: {
    initial: BASE_RULES[0].id,
    states: ruleStates(),
    onDone: 'extras',
  },

  extras: {
    initial: 'propose',
    states: {
      propose: {
        meta: ask({
          to: 'both',
          title: 'A rule of your own',
          text: (context) =>
            count.of(context, 'extraRounds') > 0
              ? 'Is there one more rule you would like to add?'
              : 'Is there a rule of your own you would like to add for this conversation?',
          why: 'Each of you knows best what helps you stay in a hard conversation.',
          input: {
            kind: 'choice',
            options: PROPOSE_OPTIONS,
            note: { label: 'Your rule (if adding one)', min: 0, max: 200 },
          },
          sealed: true,
        }),
        on: { ANSWER: step.both('checkA') },
      },
      checkA: {
        always: [{ guard: 'aSuggestedARule', target: 'replyToA' }, 'checkB'],
      },
      replyToA: replyState('a', 'checkB'),
      checkB: {
        always: [{ guard: 'bSuggestedARule', target: 'replyToB' }, 'again'],
      },
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
      text: 'In a sentence or two, what would you like to talk about today?',
      why: 'Naming it first keeps the talk from spreading into everything at once.',
      input: { kind: 'text', label: 'I would like to talk about', min: 3, max: 500 },
      sealed: true,
    }),
    on: { ANSWER: step.both('talk') },
  },

  talk: {
    meta: ask({
      to: 'both',
      title: 'Time to talk',
      text: talkText,
      input: { kind: 'choice', options: TALK_OPTIONS },
      quote: talkQuotes,
    }),
    on: { ANSWER: step.both('agreed') },
  },

  agreed: {
    meta: ask({
      to: 'both',
      title: 'What you agree on',
      text: 'Looking back on your talk, what do you both agree on? Write at least three points, one per line — small ones count.',
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
    const holding = PARTNERS.filter((p) => answers[p] === 'cannot').map(nameOf);
    if (holding.length > 0) notYet.push(`${rule.text} (not yet for ${holding.join(' and ')})`);
  }
  for (const extra of extras.filter((r) => r.reply === 'decline')) {
    notYet.push(
      `${extra.rule} (suggested by ${nameOf(extra.by)}; not this time for ${nameOf(otherPartner(extra.by))})`,
    );
  }
  if (notYet.length > 0) sections.push({ title: 'Rules not agreed this time', lines: notYet });

  const topics = PARTNERS.flatMap((by) => {
    const topic = latest(context, 'topic', by);
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

export default defineFlow({
  id: 'ground-rules',
  version: 1,
  title: 'Ground rules for a hard talk',
  description: 'Agree how you will talk before you talk: a few rules, a topic, and three or more points you agree on.',
  roles: {},
  setup: rules,
  initial: 'ready',
  states,
  highlights,
  nextStep:
    'Keep these rules for your next hard talk too, and look back at your agreed points together in a week or so.',
});
