/**
 * The couple record's gate: consent and the safety check per partner, a hold only its raiser can lift, and
 * what survives an erasure. The private check's own rules: which answers are a concern.
 */
import { describe, expect, it } from 'vitest';
import { Couples, gateOf, keptAfterErasure } from '../../src/engine/couples.js';
import { concernIn, isAnswerTrail, isComplete, SAFETY_CHECK } from '../../src/engine/safety-check.js';
import { openStore } from '../../src/engine/store.js';

const open = async () => new Couples(await openStore({ url: 'sqlite://:memory:' }), () => 1_000);

describe('the gate', () => {
  it('asks for both consents, then both checks, then opens', async () => {
    const couples = await open();
    expect(gateOf(await couples.find('g', 'a', 'b'), ['a', 'b'])).toEqual({ kind: 'consent', missing: ['a', 'b'] });
    await couples.agree('g', 'a', 'b', 'c');
    await couples.agree('g', 'b', 'a', 'c');
    expect(gateOf(await couples.find('g', 'b', 'a'), ['a', 'b'])).toEqual({ kind: 'check', missing: ['a', 'b'] });
    await couples.checkedSafety('g', 'a', 'b', 'c', false);
    await couples.checkedSafety('g', 'b', 'a', 'c', false);
    expect(gateOf(await couples.find('g', 'a', 'b'), ['a', 'b'])).toEqual({ kind: 'open' });
  });

  it('a waiting conversation is taken once, and only when the gate is open', async () => {
    const couples = await open();
    await couples.wait('g', 'a', 'b', 'c', 'ground-rules');
    expect(await couples.takeWaiting('g', 'a', 'b', 'c')).toBeUndefined();
    for (const [me, other] of [
      ['a', 'b'],
      ['b', 'a'],
    ] as const) {
      await couples.agree('g', me, other, 'c');
      await couples.checkedSafety('g', me, other, 'c', false);
    }
    const [first, second] = await Promise.all([
      couples.takeWaiting('g', 'a', 'b', 'c'),
      couples.takeWaiting('g', 'b', 'a', 'c'),
    ]);
    expect([first?.flowId, second?.flowId].filter(Boolean)).toEqual(['ground-rules']);
  });

  it('"not now" withdraws that partner’s consent and drops what waited', async () => {
    const couples = await open();
    await couples.agree('g', 'a', 'b', 'c');
    await couples.wait('g', 'a', 'b', 'c', 'ground-rules');
    expect((await couples.decline('g', 'a', 'b', 'c'))?.flowId).toBe('ground-rules');
    const record = await couples.find('g', 'a', 'b');
    expect(record?.consent).toEqual({});
    expect(record?.waiting).toBeUndefined();
  });

  it('a hold is lifted only by the partner who raised it', async () => {
    const couples = await open();
    await couples.checkedSafety('g', 'b', 'a', 'c', true);
    expect(await couples.liftHold('g', 'a', 'b', 'c')).toBe(false);
    expect(gateOf(await couples.find('g', 'a', 'b'), ['a', 'b'])).toEqual({ kind: 'held', raisedBy: 'b' });
    // A later reassuring check by either does not lift it either.
    await couples.checkedSafety('g', 'a', 'b', 'c', false);
    await couples.checkedSafety('g', 'b', 'a', 'c', false);
    expect((await couples.find('g', 'a', 'b'))?.hold?.raisedBy).toBe('b');
    expect(await couples.liftHold('g', 'b', 'a', 'c')).toBe(true);
    expect((await couples.find('g', 'a', 'b'))?.hold).toBeUndefined();
  });

  it('an erasure keeps only a hold the other partner raised, and nothing else', async () => {
    const couples = await open();
    await couples.agree('g', 'a', 'b', 'c');
    const held = await couples.checkedSafety('g', 'b', 'a', 'c', true);
    expect(keptAfterErasure(held, 'b')).toBeUndefined();
    expect(keptAfterErasure(held, 'a')).toEqual({
      guildId: 'g',
      partnerIds: ['a', 'b'],
      channelId: '',
      channelIds: [],
      updatedAt: held.updatedAt,
      consent: {},
      checked: {},
      hold: { raisedBy: 'b', at: 1_000 },
    });
    expect(keptAfterErasure({ ...held, hold: undefined } as never, 'a')).toBeUndefined();
  });
});

describe('the private check', () => {
  const reassuring = SAFETY_CHECK.map((q) => q.options.find((o) => o.reassuring)?.code ?? '').join('');

  it('is a concern unless every answer is the reassuring one', () => {
    expect(isComplete(reassuring)).toBe(true);
    expect(concernIn(reassuring)).toBe(false);
    for (const [index, question] of SAFETY_CHECK.entries()) {
      for (const option of question.options.filter((o) => !o.reassuring)) {
        const trail = `${reassuring.slice(0, index)}${option.code}${reassuring.slice(index + 1)}`;
        expect(concernIn(trail), `${question.text} → ${option.label}`).toBe(true);
      }
    }
  });

  it('takes only answers its questions offer', () => {
    expect(isAnswerTrail('')).toBe(true);
    expect(isAnswerTrail('y')).toBe(true);
    expect(isAnswerTrail('x')).toBe(false);
    expect(isAnswerTrail(`${reassuring}y`)).toBe(false);
    expect(isComplete('y')).toBe(false);
  });
});
