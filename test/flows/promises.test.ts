/**
 * What each conversation promises (issue: "every commitment a flow produces becomes a promise"): admitting a
 * mistake, what will be different; needs discovery, the need each chose to act on; ground rules, the rules
 * both keep and the points both wrote alike; the tolerance questions, each item the other would change, fully
 * or partly. And the kit's last step: asked only when there is something to follow up, the sooner time kept.
 */

import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { BASE_RULES } from '../../flows/ground-rules.js';
import type { AnswerRecord, FlowContext } from '../../src/engine/flow-types.js';
import { agreedDelay, FOLLOW_UP_DELAYS } from '../../src/engine/follow-up.js';
import { flowNamed, listedFlowIds } from '../support/flows.js';
import { completionScript } from '../support/play.js';
import { couple } from './couple.js';

const finalContext = (id: string) => {
  const flow = flowNamed(id);
  const actor = createActor(flow.machine, { input: {} }).start();
  const script = completionScript(flow);
  for (const event of script) actor.send(event);
  const context = actor.getSnapshot().context as FlowContext;
  actor.stop();
  return { flow, context, script };
};

/** The flows a couple chooses that end by checking in on what they promised (gratitude comes back for itself instead). */
const promisingFlowIds = listedFlowIds.filter((id) => flowNamed(id).followUp === 'check-in');

describe('the promises a conversation makes', () => {
  it('every flow a couple chooses either promises and checks in, or comes back for itself', () => {
    expect(promisingFlowIds).toEqual(['admit-mistake', 'ground-rules', 'needs-discovery', 'tolerance-questions']);
    expect(listedFlowIds.filter((id) => flowNamed(id).followUp === 'again')).toEqual(['gratitude']);
    const { flow, context } = finalContext('gratitude');
    expect(flow.promises(context)).toEqual([]);
  });

  it.each(promisingFlowIds)(
    '%s: each is in words someone wrote (or a rule both agreed to), from and to a partner',
    (id) => {
      const { flow, context, script } = finalContext(id);
      const promises = flow.promises(context);
      expect(promises.length, `${id} made no promise on its full run`).toBeGreaterThan(0);
      const written = script.flatMap((e) => [e.value.text, e.value.note, ...(e.value.items ?? [])].filter(Boolean));
      for (const promise of promises) {
        const fromRule = BASE_RULES.some((rule) => rule.text === promise.words);
        const fromWords = written.some((w) => w === promise.words || (w && promise.words.includes(w)));
        expect(fromRule || fromWords, `${id}: “${promise.words.slice(0, 40)}” is nobody’s words`).toBe(true);
        expect(promise.by.length).toBeGreaterThan(0);
        expect(promise.to.length).toBeGreaterThan(0);
        expect(
          flow.steps.has(promise.step) || promise.step.startsWith('rules.') || promise.step.startsWith('extras.'),
        ).toBe(true);
      }
    },
  );

  it('admitting a mistake: what will be different, from the one who named it to the one hurt', () => {
    const s = couple(flowNamed('admit-mistake'));
    s.say('a', 'roles.propose', { choice: 'me' });
    s.say('b', 'roles.confirm', { choice: 'yes' });
    s.both('ready', { choice: 'ready' });
    const promise = 'I will tell you when I worry, instead of checking your phone.';
    const context = () => s.context();
    s.say('a', 'admission', { text: 'I read your messages while you slept. That was wrong, and it hurt you.' });
    expect(flowNamed('admit-mistake').promises(context())).toEqual([]);
    s.say('a', 'impactGuess', { text: 'You felt watched and stopped trusting me.' });
    s.say('b', 'impact', { text: 'I felt watched in my own home.' });
    s.say('a', 'mirror.reflect', { text: 'You felt watched at home.' });
    s.say('b', 'mirror.check', { choice: 'yes' });
    s.say('a', 'mirror.validate', { text: 'That makes sense.' });
    s.say('b', 'need', { text: 'Tell me when you are worried, in words.' });
    s.say('a', 'promise', { text: promise });
    expect(flowNamed('admit-mistake').promises(context())).toEqual([
      { by: ['a'], to: ['b'], words: promise, step: 'promise' },
    ]);
  });

  it('the tolerance questions: a “no” promises nothing; a “yes” or a “partly” promises the other', () => {
    const { flow, context } = finalContext('tolerance-questions');
    const changes = context.answers.filter((a: AnswerRecord) => a.step === 'change');
    const willing = changes.filter((a) => a.value.choice === 'yes' || a.value.choice === 'partly');
    expect(flow.promises(context)).toHaveLength(willing.length);
    for (const [i, promise] of flow.promises(context).entries()) expect(promise.by).toEqual([willing[i]?.by]);
  });
});

describe('when to follow up', () => {
  const answered = (a: string, b: string): AnswerRecord[] => [
    { step: 'followUp', seq: 1, by: 'a', value: { choice: a } },
    { step: 'followUp', seq: 1, by: 'b', value: { choice: b } },
  ];

  it('keeps the sooner of the two times, and none only when both said none', () => {
    expect(agreedDelay(answered('1w', '1m'))).toBe(FOLLOW_UP_DELAYS['1w']);
    expect(agreedDelay(answered('none', '2w'))).toBe(FOLLOW_UP_DELAYS['2w']);
    expect(agreedDelay(answered('none', 'none'))).toBeUndefined();
  });

  it('for a conversation that comes back for itself, is asked though nothing was promised', () => {
    const s = couple(flowNamed('gratitude'));
    s.both('appreciations', { items: ['one', 'two', 'three'] });
    s.both('howItFelt', { text: 'Good.' });
    expect(s.prompt().step).toBe('followUp');
  });

  it('is asked only when the conversation promised something', () => {
    // Needs discovery with both "what you'll do" answers skipped (as after a safety pause): nothing promised.
    const s = couple(flowNamed('needs-discovery'));
    for (const step of ['guess', 'interests', 'likes', 'wants', 'expects', 'grow']) {
      s.both(step, { text: `Words for ${step}.` });
      if (step !== 'guess') s.both(`${step}Reflect.offer`, { choice: 'goOn' });
    }
    s.both('compare', { text: 'Words for compare.' });
    // The engine makes a skip's answer itself (it is no answer a person could type).
    for (const by of ['a', 'b'] as const) s.send({ type: 'ANSWER', by, step: 'act', value: { skipped: true } });
    expect(s.status()).toBe('completed');
    expect(s.context().answers.some((a) => a.step === 'followUp')).toBe(false);
  });
});
