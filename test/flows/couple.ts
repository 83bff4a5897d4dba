/**
 * Two partners driving one flow machine step by step, as a surface would: every answer is checked
 * against the prompt as it stands (its narrowed options, its required notes), names are put in
 * where a person reads them, and each prompt can be held to what Discord can show.
 */
import { expect } from 'vitest';
import { createActor } from 'xstate';
import { checkAnswer } from '../../src/engine/answer-schema.js';
import type { FlowDefinition } from '../../src/engine/flow-kit.js';
import type { AnswerRef, AnswerValue, FlowContext, FlowEvent, PartnerId } from '../../src/engine/flow-types.js';
import { FOLLOW_UP_STEP } from '../../src/engine/follow-up.js';
import { fillNames, type Prompt, resolvePrompt } from '../../src/engine/prompt.js';
import type { SessionStatus } from '../../src/engine/session-record.js';
import { summarize } from '../../src/engine/summary.js';
import { readableByBoth } from '../../src/engine/visibility.js';

export const NAMES: Record<PartnerId, string> = { a: 'Alex', b: 'Sam' };
export const nameOf = (p: PartnerId): string => NAMES[p];

/** Internal role names and clinical labels that must never reach a person. */
export const ROLE_WORDS =
  /\b(owner|lister|responder|speaker|listener|offender|victim|perpetrator|abuser|partner [ab])\b|\{\w+\}/i;

export function couple(flow: FlowDefinition) {
  const actor = createActor(flow.machine, { input: {} }).start();
  const snapshot = () => actor.getSnapshot();
  const context = () => snapshot().context as FlowContext;
  const prompt = (): Prompt => {
    const p = resolvePrompt(snapshot(), flow.id);
    if (!p) throw new Error(`no prompt; the flow is at ${JSON.stringify(snapshot().value)}`);
    return p;
  };
  const fill = (text: string) => fillNames(text, context().roles, nameOf);
  /** What `by` would get back for this answer at this step: the answer as checked, or why not. */
  const check = (value: unknown) => checkAnswer(prompt().input, value);
  /** `by` answers step `step`: it must be that step, their turn, and a valid answer. */
  const say = (by: PartnerId, step: string, value: AnswerValue) => {
    const p = prompt();
    expect(p.step, `expected to be at ${step}`).toBe(step);
    expect(p.awaiting, `${by} should be asked at ${step}`).toContain(by);
    const checked = checkAnswer(p.input, value);
    if (!checked.ok) throw new Error(`invalid answer at ${step}: ${checked.message}`);
    actor.send({
      type: 'ANSWER',
      by,
      step,
      value: checked.value,
      ...(p.about !== undefined ? { about: p.about } : {}),
    });
  };
  /** Both answer the current 'both' step, a first. */
  const both = (step: string, a: AnswerValue, b: AnswerValue = a) => {
    say('a', step, a);
    say('b', step, b);
  };
  /**
   * Both answer the kit's last step, when the conversation left something to follow up (a check-in on
   * its promises, or the next conversation): by default both say none.
   */
  const followUp = (a = 'none', b = a) => both(FOLLOW_UP_STEP, { choice: a }, { choice: b });
  /** The reference a correction or an addition names: the prompt's key as it is now. */
  const ref = (): AnswerRef => {
    const p = prompt();
    return { step: p.step, seq: context().step };
  };
  const send = (event: FlowEvent) => actor.send(event);
  /** The question as its reader sees it, names in. */
  const text = () => fill(prompt().text);
  /** The quotes as shown: [heading with names, words]. */
  const quotes = () => prompt().quotes.map((q) => [q.label === undefined ? undefined : fill(q.label), q.text]);
  /** What the two can both read in their channel now: [who, step, words]. */
  const readable = () => readableByBoth(flow, context()).map((a) => [a.by, a.step, a.value]);
  const status = (): SessionStatus => {
    const s = snapshot();
    if (s.matches('completed')) return 'completed';
    if (s.matches('declined')) return 'declined';
    if (s.matches('ended')) return 'ended';
    return s.matches('paused') ? 'paused' : 'active';
  };
  const summary = () => summarize({ flow, context: context(), status: status(), nameOf, at: 1_767_225_600_000 });
  const highlights = () => flow.highlights(context(), nameOf);
  const options = () => {
    const input = prompt().input;
    return input.kind === 'choice' ? input.options.map((o) => o.value) : [];
  };
  return {
    actor,
    snapshot,
    context,
    prompt,
    fill,
    check,
    say,
    both,
    followUp,
    ref,
    send,
    text,
    quotes,
    readable,
    status,
    summary,
    highlights,
    options,
  };
}

export type Couple = ReturnType<typeof couple>;

/** Every prompt a couple was shown on a walk, with the names that were in force when it was shown. */
export function recorder(s: Couple) {
  const seen: { prompt: Prompt; fill: (text: string) => string }[] = [];
  const roles = () => ({ ...s.context().roles });
  const note = () => {
    const p = s.prompt();
    const at = roles();
    seen.push({ prompt: p, fill: (text) => fillNames(text, at, nameOf) });
  };
  return {
    seen,
    say: (by: PartnerId, step: string, value: AnswerValue) => {
      note();
      s.say(by, step, value);
    },
    both: (step: string, a: AnswerValue, b: AnswerValue = a) => {
      note();
      s.say('a', step, a);
      s.say('b', step, b);
    },
  };
}

/**
 * What Discord can show and what a person should read: a title that fits a modal (≤ 45), a
 * question that fits a text input's neighbour (≤ 4000) and asks one thing, labels ≤ 45, buttons
 * ≤ 80 and at most 25 options, a reason of one sentence, and names rather than role labels.
 */
export function expectFitsDiscord(prompt: Prompt, fill: (text: string) => string): void {
  const where = prompt.step;
  const title = fill(prompt.title);
  const text = fill(prompt.text);
  expect(title.length, `${where}: title`).toBeLessThanOrEqual(45);
  expect(text.length, `${where}: text`).toBeLessThanOrEqual(4000);
  expect(text.match(/\?/g)?.length ?? 0, `${where}: one question`).toBeLessThanOrEqual(1);
  if (prompt.why) expect(fill(prompt.why).match(/\?/g), `${where}: why asks nothing`).toBeNull();
  const read = [title, text, fill(prompt.why ?? ''), ...prompt.quotes.map((q) => fill(q.label ?? ''))];
  for (const words of read) {
    expect(words, `${where}: names, not role labels`).not.toMatch(ROLE_WORDS);
    expect(words, `${where}: no therapist`).not.toMatch(/therapist/i);
  }
  const input = prompt.input;
  if (input.kind === 'text' || input.kind === 'list') {
    expect(fill(input.label).length, `${where}: input label`).toBeLessThanOrEqual(45);
    expect(fill(input.label), `${where}: input label`).not.toMatch(ROLE_WORDS);
  }
  if (input.kind === 'text') {
    expect(input.max, `${where}: text max`).toBeLessThanOrEqual(4000);
    if (input.picker) {
      expect(input.picker.label.length, `${where}: picker label`).toBeLessThanOrEqual(45);
      expect(input.picker.options.length, `${where}: picker options`).toBeLessThanOrEqual(25);
      expect(input.picker.max).toBeLessThanOrEqual(input.picker.options.length);
      for (const o of input.picker.options) expect(o.label.length, `${where}: ${o.value}`).toBeLessThanOrEqual(100);
    }
  }
  if (input.kind === 'list') {
    // One text box, one point per line.
    expect(input.max * (input.itemMax + 1), `${where}: the points fit one text box`).toBeLessThanOrEqual(4000);
  }
  if (input.kind === 'choice') {
    expect(input.options.length, `${where}: options`).toBeGreaterThan(0);
    expect(input.options.length, `${where}: options`).toBeLessThanOrEqual(25);
    for (const o of input.options) expect(fill(o.label).length, `${where}: button ${o.value}`).toBeLessThanOrEqual(80);
    if (input.note) {
      expect(input.note.label.length, `${where}: note label`).toBeLessThanOrEqual(45);
      for (const label of Object.values(input.note.labelFor ?? {})) expect(label.length).toBeLessThanOrEqual(45);
      expect(input.note.max, `${where}: note max`).toBeLessThanOrEqual(4000);
    }
  }
}

const sentences = (text: string) => text.split(/[.!?](?:\s|$)/).filter((x) => x.trim().length > 0).length;

/** The steps whose reason ("why") is more than the one short sentence the bot's voice allows. */
export function longReasons(flow: FlowDefinition, context: FlowContext): string[] {
  const long: string[] = [];
  for (const [id, spec] of flow.steps) {
    const why = spec.why === undefined ? '' : typeof spec.why === 'string' ? spec.why : spec.why(context);
    if (why && sentences(why) > 1) long.push(id);
  }
  return long;
}

/** The texts of every readiness prompt of a flow (text and why). */
export function readinessWords(flow: FlowDefinition): string[] {
  const ready = flow.steps.get('ready');
  if (!ready) return [];
  const words = (w: unknown) => (typeof w === 'string' ? w : '');
  return [ready.title, words(ready.text), words(ready.why)];
}
