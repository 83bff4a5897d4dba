/**
 * The safety pause in the engine: while it holds, every input is refused with words that say it goes
 * on only when both choose to; once both have, the question whose answer paused it may be skipped —
 * for whoever it still waited on, in one turn — and anything else about skipping is refused, changing
 * nothing. Sessions stored before any of this existed still load.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FlowDefinition } from '../../src/engine/flow-kit.js';
import { type Prompt, refOfKey } from '../../src/engine/prompt.js';
import { type SessionInput, SessionService, sessionKey } from '../../src/engine/session.js';
import type { Store } from '../../src/engine/store.js';
import { flowNamed, flows } from '../support/flows.js';
import { alex, answer, completionScript, inputId, partners, sam } from '../support/play.js';
import { sqliteCase } from '../support/stores.js';

const HARM = 'Honestly he hit me last week and I am scared';
const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const channel = 'after-safety';

let storeCase: ReturnType<typeof sqliteCase>;
let store: Store;
let writes: number;
let service: SessionService;

beforeEach(async () => {
  storeCase = sqliteCase();
  const opened = await storeCase.open();
  writes = 0;
  // The same store, counting writes: a skip for both partners is one turn and one write.
  store = Object.assign(Object.create(opened) as Store, {
    set: (key: string, value: unknown) => {
      writes++;
      return opened.set(key, value);
    },
    // Sessions are written with a compare-and-set: a write too.
    writeIf: (...args: Parameters<Store['writeIf']>) => {
      writes++;
      return opened.writeIf(...args);
    },
  });
  service = new SessionService({ store, flows, now: () => NOW });
});
afterEach(async () => {
  await store.close();
  await storeCase.cleanup();
});

const stored = async () => JSON.stringify(await store.get(sessionKey(channel)));
const view = async () => {
  const v = await service.view(channel);
  if (!v) throw new Error('no session');
  return v;
};
const prompt = async (): Promise<Prompt> => {
  const p = (await view()).prompt;
  if (!p) throw new Error('no prompt');
  return p;
};

/** Starts `flowId` and follows its scripted run until the prompt is `step`. */
async function reach(flowId: string, step: string): Promise<FlowDefinition> {
  const flow = flowNamed(flowId);
  await service.start({ channelId: channel, flowId, starter: alex, partner: sam });
  const script = completionScript(flow);
  let cursor = 0;
  for (;;) {
    const now = await prompt();
    if (now.step === step) return flow;
    while (
      cursor < script.length &&
      !(script[cursor]?.step === now.step && now.awaiting.includes(script[cursor]?.by ?? 'a'))
    )
      cursor++;
    const event = script[cursor++];
    if (!event) throw new Error(`${flowId}: the script never reaches ${step}`);
    const outcome = await answer(service, channel, event);
    if (!outcome.ok) throw new Error(outcome.rejection.message);
  }
}

const apply = (by: 'a' | 'b', input: Omit<SessionInput, 'id' | 'userId'>) =>
  service.apply(channel, { id: inputId(), userId: partners[by].id, ...input });

/**
 * `by` (by default whoever the prompt waits on first) writes something that speaks of harm at the
 * current prompt: the session pauses for both.
 */
async function pauseWithHarm(who?: 'a' | 'b', value: Record<string, unknown> = { text: HARM }) {
  const at = await prompt();
  const by = who ?? at.awaiting[0] ?? 'a';
  const outcome = await apply(by, { action: 'answer', step: at.key, value });
  expect(outcome.ok && outcome.safetyHold).toBe(true);
  expect((await view()).status).toBe('paused');
  return at;
}

const bothResume = async () => {
  expect((await apply('a', { action: 'resume' })).ok).toBe(true);
  expect((await view()).status).toBe('paused');
  expect((await apply('b', { action: 'resume' })).ok).toBe(true);
  expect((await view()).status).toBe('active');
};

/** Refused with `code`, and the stored session is exactly as it was. */
async function refused(by: 'a' | 'b', input: Omit<SessionInput, 'id' | 'userId'>, code: string): Promise<string> {
  const before = await stored();
  const outcome = await apply(by, input);
  expect(outcome.ok, 'should be refused').toBe(false);
  if (outcome.ok) return '';
  expect(outcome.rejection.code).toBe(code);
  expect(await stored()).toBe(before);
  return outcome.rejection.message;
}

describe('while a safety pause holds', () => {
  it('refuses answers, changes and breaks with words that say it goes on only when both choose to', async () => {
    await reach('needs-discovery', 'guess');
    const guess = await prompt();
    expect((await apply('a', { action: 'answer', step: guess.key, value: { text: 'Time together.' } })).ok).toBe(true);
    await pauseWithHarm('b');
    expect((await view()).context.pause).toMatchObject({ safety: true, ...refOfKey(guess.key) });

    const answerRefusal = await refused(
      'b',
      { action: 'answer', step: guess.key, value: { text: 'Something else.' } },
      'safety-paused',
    );
    expect(answerRefusal).toMatch(/only when you both choose to/);
    expect(answerRefusal).toMatch(/I am ready to continue/);
    expect(answerRefusal).not.toMatch(/\/talk/);
    await refused('a', { action: 'revise', step: guess.key, value: { text: 'New words.' } }, 'safety-paused');
    await refused('a', { action: 'add', step: guess.key, text: 'More.' }, 'safety-paused');
    await refused('a', { action: 'pause', until: NOW + 30 * 60_000 }, 'safety-paused');
    await refused('a', { action: 'skip', step: guess.key }, 'safety-paused');
    // Nothing of what paused it was kept.
    expect(await stored()).not.toContain('hit me');
  });

  it('is not lifted by one partner, however often they ask', async () => {
    await reach('admit-mistake', 'admission');
    await pauseWithHarm();
    for (let i = 0; i < 3; i++) expect((await apply('b', { action: 'resume' })).ok).toBe(true);
    expect((await view()).status).toBe('paused');
    expect((await view()).context.afterSafety).toBeNull();
  });
});

describe('new words that speak of harm', () => {
  it('pause it too when they change an answer, which stays as it was and is asked as before once both go on', async () => {
    await reach('needs-discovery', 'guess');
    const guess = await prompt();
    const words = { text: 'Time together.' };
    expect((await apply('a', { action: 'answer', step: guess.key, value: words })).ok).toBe(true);
    const changed = await apply('a', { action: 'revise', step: guess.key, value: { text: HARM } });
    expect(changed.ok && changed.safetyHold).toBe(true);
    expect((await view()).status).toBe('paused');
    expect((await view()).context.pending.a).toEqual(words);
    expect(await stored()).not.toContain('hit me');
    await bothResume();
    // Not the question that paused it: nothing to skip, and the answer given stands.
    await refused('b', { action: 'skip', step: (await prompt()).key }, 'not-skippable');
    expect(await prompt()).toMatchObject({ step: 'guess', answered: ['a'], awaiting: ['b'] });
  });

  it('pause it too when they are added to an answer already read', async () => {
    await reach('ground-rules', 'topic');
    const topic = await prompt();
    for (const by of ['a', 'b'] as const) {
      expect((await apply(by, { action: 'answer', step: topic.key, value: { text: 'Money' } })).ok).toBe(true);
    }
    const added = await apply('a', { action: 'add', step: topic.key, text: 'He slapped me when we argued.' });
    expect(added.ok && added.safetyHold).toBe(true);
    expect((await view()).status).toBe('paused');
    expect(await stored()).not.toContain('slapped');
  });
});

describe('skipping the question a safety pause set aside', () => {
  it('skips a one-partner question for its author, whichever partner asks, in one turn and one write', async () => {
    await reach('admit-mistake', 'admission');
    const asked = await pauseWithHarm();
    const author = asked.awaiting[0];
    await bothResume();
    const again = await prompt();
    expect(again.step).toBe('admission');
    expect((await view()).context.afterSafety).toEqual(refOfKey(again.key));

    writes = 0;
    // Either partner may skip: here the one who did not write it.
    const outcome = await apply(author === 'a' ? 'b' : 'a', { action: 'skip', step: again.key });
    expect(outcome.ok).toBe(true);
    expect(writes).toBe(1);
    if (!outcome.ok) return;
    expect(outcome.skipped).toBe(true);
    expect(outcome.view.prompt?.step).toBe('impactGuess');
    expect(outcome.shown).toEqual([{ ...refOfKey(again.key), by: author, value: { skipped: true } }]);
    expect(outcome.view.context.answers.filter((a) => a.step === 'admission')).toHaveLength(1);
    expect(asked.key).not.toBe(again.key);
    expect(await stored()).not.toContain('hit me');
  });

  it('skips a question both were still to answer, for both', async () => {
    await reach('needs-discovery', 'guess');
    await pauseWithHarm();
    await bothResume();
    const again = await prompt();
    expect(again.awaiting).toEqual(['a', 'b']);
    writes = 0;
    const outcome = await apply('a', { action: 'skip', step: again.key });
    expect(outcome.ok && outcome.view.prompt?.step).toBe('interests');
    expect(writes).toBe(1);
    const answers = (await view()).context.answers.filter((a) => a.step === 'guess');
    expect(answers.map((a) => [a.by, a.value])).toEqual([
      ['a', { skipped: true }],
      ['b', { skipped: true }],
    ]);
  });

  it('keeps the answer the other had already given, and shows it beside the skipped one', async () => {
    await reach('ground-rules', 'topic');
    const topic = await prompt();
    const words = { text: 'How we split the money' };
    expect((await apply('a', { action: 'answer', step: topic.key, value: words })).ok).toBe(true);
    await pauseWithHarm('b');
    await bothResume();
    const again = await prompt();
    expect(again).toMatchObject({ step: 'topic', awaiting: ['b'], answered: ['a'] });
    const outcome = await apply('a', { action: 'skip', step: again.key });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.view.prompt?.step).toBe('talkMode');
    expect(outcome.shown.map((a) => [a.by, a.value])).toEqual([
      ['a', words],
      ['b', { skipped: true }],
    ]);
  });

  it('stays possible after an ordinary break taken before skipping', async () => {
    await reach('admit-mistake', 'admission');
    await pauseWithHarm();
    await bothResume();
    expect((await apply('a', { action: 'pause', until: NOW + 30 * 60_000 })).ok).toBe(true);
    expect((await apply('b', { action: 'resume' })).ok).toBe(true);
    const outcome = await apply('a', { action: 'skip', step: (await prompt()).key });
    expect(outcome.ok && outcome.view.prompt?.step).toBe('impactGuess');
  });

  it('a skipped answer cannot be changed afterwards, nor added to', async () => {
    await reach('admit-mistake', 'admission');
    await pauseWithHarm();
    await bothResume();
    const again = await prompt();
    const author = again.awaiting[0] ?? 'a';
    expect((await apply('a', { action: 'skip', step: again.key })).ok).toBe(true);
    await refused(
      author,
      { action: 'revise', step: again.key, value: { text: 'I read your messages.' } },
      'no-such-answer',
    );
    await refused(author, { action: 'add', step: again.key, text: 'More.' }, 'no-such-answer');
  });
});

describe('a skip is refused, changing nothing', () => {
  it('before any safety pause', async () => {
    await reach('admit-mistake', 'admission');
    const message = await refused('a', { action: 'skip', step: (await prompt()).key }, 'not-skippable');
    expect(message).toMatch(/nothing was changed/);
  });

  it('for a key that is not the question now (stale, or the one asked before the pause)', async () => {
    await reach('admit-mistake', 'admission');
    const asked = await pauseWithHarm();
    await bothResume();
    await refused('a', { action: 'skip', step: asked.key }, 'stale-step');
    await refused('a', { action: 'skip', step: 'admission@1' }, 'stale-step');
    await refused('a', { action: 'skip' }, 'stale-step');
  });

  it('once the set-aside question has been skipped, for the question that follows', async () => {
    await reach('admit-mistake', 'admission');
    await pauseWithHarm();
    await bothResume();
    expect((await apply('a', { action: 'skip', step: (await prompt()).key })).ok).toBe(true);
    await refused('b', { action: 'skip', step: (await prompt()).key }, 'not-skippable');
  });

  it('for a choice, whose note spoke of harm: it is answered again instead', async () => {
    await reach('ground-rules', 'rules.noShouting');
    await pauseWithHarm('b', { choice: 'cannot', note: HARM });
    await bothResume();
    const again = await prompt();
    expect(again.step).toBe('rules.noShouting');
    const message = await refused('a', { action: 'skip', step: again.key }, 'choice-not-skippable');
    expect(message).toMatch(/answer it again, or end here/);
    const answered = await apply('b', { action: 'answer', step: again.key, value: { choice: 'agree' } });
    expect(answered.ok).toBe(true);
  });

  it('after the conversation has ended', async () => {
    await reach('admit-mistake', 'admission');
    await pauseWithHarm();
    await bothResume();
    const again = await prompt();
    expect((await apply('b', { action: 'end' })).ok).toBe(true);
    await refused('a', { action: 'skip', step: again.key }, 'finished');
  });

  it('for someone who is not one of the two', async () => {
    await reach('admit-mistake', 'admission');
    await pauseWithHarm();
    await bothResume();
    const before = await stored();
    const outcome = await service.apply(channel, {
      id: inputId(),
      userId: '999',
      action: 'skip',
      step: (await prompt()).key,
    });
    expect(!outcome.ok && outcome.rejection.code).toBe('not-partner');
    expect(await stored()).toBe(before);
  });
});

describe('sessions stored before the skip existed', () => {
  it('load without `afterSafety` (and with a safety pause that names no step), and run on', async () => {
    await reach('needs-discovery', 'guess');
    await pauseWithHarm();
    const record = (await store.get(sessionKey(channel))) as { snapshot: { context: Record<string, unknown> } };
    const { afterSafety: _new, ...context } = record.snapshot.context;
    const { step: _step, seq: _seq, ...pause } = context.pause as Record<string, unknown>;
    await store.set(sessionKey(channel), {
      ...record,
      snapshot: { ...record.snapshot, context: { ...context, pause } },
    });
    expect(await stored()).not.toContain('afterSafety');

    const loaded = await view();
    expect(loaded.status).toBe('paused');
    expect(loaded.context.afterSafety).toBeNull();
    await bothResume();
    // The pause named no step, so there is nothing to skip: the question is simply asked again.
    const again = await prompt();
    expect(again.step).toBe('guess');
    await refused('a', { action: 'skip', step: again.key }, 'not-skippable');
    expect((await apply('a', { action: 'answer', step: again.key, value: { text: 'Time together.' } })).ok).toBe(true);
  });
});
