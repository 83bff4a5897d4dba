/**
 * What makes Mend a conversation, end to end through the local Discord: corrections before the
 * other has read an answer (and the kind refusal after), roles agreed or turned round or declined,
 * "not ready to accept", the question limit, an empty "add a rule", answers of invisible
 * characters, the feelings picker, the floor passing in a talk, and mirroring in tolerance.
 */
import { describe, expect } from 'vitest';
import type { AnswerValue } from '../../src/engine/flow-types.js';
import type { Person } from '../support/conversation.js';
import { flowNamed, listedFlowIds } from '../support/flows.js';
import { test } from '../support/mend-test.js';
import { completionScript } from '../support/play.js';

/** Shows nothing: zero-width spaces and joiners, a direction mark, a combining mark on nothing. */
const INVISIBLE = '\u200B\u200C\u200D\u2060\u200E\uFEFF\u0301'.repeat(4);

/** The two tolerance questions, both ready and agreed that Alex lists first: Alex's list is next. */
async function toToleranceList(alex: Person, sam: Person) {
  await alex.starts('tolerance-questions');
  await alex.clicks('Yes, I’m ready');
  await sam.clicks('Yes, I’m ready');
  await alex.clicks('I will name mine first');
  await sam.clicks('Yes, that’s right for me');
}

describe('corrections', () => {
  test('an open answer changed before the other has read it: the summary holds the new words', async ({
    couple: { alex, sam, channel },
  }) => {
    await toToleranceList(alex, sam);
    await alex.clicks('Write your list');
    await alex.fills({ 'One per line, up to five': 'Late replies' });
    await alex.clicks('Change my answer');
    await alex.fills({ 'One per line, up to five': 'Replies that come a day late' });
    await channel.shows('Alex changed their answer');
    await channel.shows('Replies that come a day late');
    await sam.writes('When I answer late, you feel put aside.');
    await alex.clicks('Yes, that’s it');
    await sam.writes('It makes sense to feel that way.');
    await sam.clicks('Yes, I’d change this');
    await sam.fills({});
    await alex.clicks('Let’s stop here for today');
    await sam.clicks('Let’s stop here for today');
    await alex.clicks('No check-in');
    await sam.clicks('No check-in');
    const summary = await channel.summary();
    expect(summary).toContain('Replies that come a day late');
    expect(summary).not.toContain('Late replies');
  });

  test('a sealed answer changed before the other answers: the old words appear nowhere', async ({
    world,
    couple: { alex, sam, channel },
  }) => {
    await alex.starts('needs-discovery');
    await alex.writes('First guess, taken back.');
    await alex.clicks('Change my answer');
    await alex.fills({ 'Your guess': 'Second guess, the one that stands.' });
    await alex.wasToldPrivately('It stays hidden until Sam has answered too');
    await sam.writes('Sam’s guess.');
    await world.plays(completionScript(flowNamed('needs-discovery')).slice(2));
    const summary = await channel.summary();
    expect(summary).toContain('Second guess, the one that stands.');
    for (const text of [channel.text(), alex.privateText(), sam.privateText()]) {
      expect(text).not.toContain('First guess, taken back.');
    }
  });

  test('once the other has answered after it, a change is refused kindly, and adding to it is offered', async ({
    world,
    couple: { alex, sam, channel },
  }) => {
    await toToleranceList(alex, sam);
    await alex.clicks('Write your list');
    await alex.fills({ 'One per line, up to five': 'Plans made without me' });
    await sam.writes('You feel left out of the plans.');
    const before = await world.storedSession();
    await alex.clicks('Change my answer', { onMessageShowing: 'What troubles you' });
    await alex.wasToldPrivately('Your partner has read that answer, so it stays as it is');
    expect(await world.storedSession()).toBe(before);
    await alex.clicks('Add to my answer');
    await alex.fills({ 'What you’d like to add': 'Mostly at weekends.' });
    await channel.shows('**Alex** adds to their answer: > Mostly at weekends.');
  });
});

describe('both agree who is who', () => {
  test('the other partner agrees to the proposed roles', async ({ world, couple: { alex, sam } }) => {
    await alex.starts('admit-mistake');
    await alex.clicks('I’d like Sam to');
    await sam.clicks('Yes, that’s right for me');
    expect((await world.session())?.context.roles).toMatchObject({ owner: 'b', hurt: 'a' });
  });

  test('the other partner turns it round, and the first agrees to that', async ({ world, couple: { alex, sam } }) => {
    await alex.starts('admit-mistake');
    await alex.clicks('I will');
    await sam.clicks('The other way round');
    await alex.sees('Sam would rather turn it round. Sam names something they did that hurt Alex');
    await alex.clicks('Yes, that’s right for me');
    expect((await world.session())?.context.roles).toMatchObject({ owner: 'b', hurt: 'a' });
  });

  test('the other partner declines: the conversation ends kindly, and the summary says who said not now', async ({
    couple: { alex, sam, channel },
  }) => {
    await alex.starts('tolerance-questions');
    await alex.clicks('Yes, I’m ready');
    await sam.clicks('Yes, I’m ready');
    await alex.clicks('I will name mine first');
    await sam.clicks('Not now');
    const summary = await channel.summary();
    expect(summary).toContain('Sam said “not now” at “Does that work for you?”');
    expect(summary).not.toContain('You agreed');
  });
});

/** Admitting a mistake, played up to the hurt partner's response (Alex names, Sam was hurt). */
async function toResponse(alex: Person, sam: Person) {
  await alex.starts('admit-mistake');
  await alex.clicks('I will');
  await sam.clicks('Yes, that’s right for me');
  await alex.clicks('Yes, I’m ready');
  await sam.clicks('Yes, I’m ready');
  await alex.writes('I read your messages on your phone without asking.');
  await alex.writes('I imagine it made you feel spied on.');
  await sam.writes('I felt exposed.');
  await alex.writes('You felt exposed.');
  await sam.clicks('Yes, that’s it');
  await alex.writes('It makes sense to feel exposed.');
  await sam.writes('Ask before you touch my phone.');
  await alex.writes('I will never open your phone, and I will ask you instead.');
}

describe('the response to an apology', () => {
  test('“I’m not ready to accept this” is recorded with respect, with a next step that fits', async ({
    couple: { alex, sam, channel },
  }) => {
    await toResponse(alex, sam);
    await sam.clicks('I’m not ready to accept this');
    await sam.fills({});
    await alex.clicks('No check-in');
    await sam.clicks('No check-in');
    const summary = await channel.summary();
    expect(summary).toContain('Sam is not ready to accept this yet. That is Sam’s to decide.');
    expect(summary).toContain('trust can’t be hurried');
  });

  test('at the question limit the other questions are kept for next time, and the response is asked again', async ({
    couple: { alex, sam, channel },
  }) => {
    await toResponse(alex, sam);
    for (const n of [1, 2, 3]) {
      await sam.clicks('I’d like to ask something first');
      await sam.writes(`Question ${n}?`);
      await alex.writes(`Answer ${n}.`);
    }
    await sam.sees('You’ve asked 3 questions today');
    expect(channel.buttons()).not.toContain('I’d like to ask something first');
    await sam.clicks('Keep my other questions for next time');
    await sam.fills({ 'The questions you’d like to keep': 'Who else knew?' });
    await sam.sees('Your other questions are kept for next time');
    await sam.clicks('I need time with this');
    await sam.fills({});
    await alex.clicks('In a week');
    await sam.clicks('No check-in');
    const summary = await channel.summary();
    // The sooner of their two times is kept: one of them wanted a check-in.
    expect(summary).toContain('Mend will check in with you both in a week');
    expect(summary).toContain('Questions Sam kept for next time');
    expect(summary).toContain('Who else knew?');
  });
});

describe('refusals that change nothing', () => {
  test('“Add a rule” with nothing in it is refused, with a clear message', async ({ world, couple: { alex, sam } }) => {
    await alex.starts('ground-rules');
    await world.plays(completionScript(flowNamed('ground-rules')).slice(0, 10));
    const before = await world.storedSession();
    await alex.clicks('Add a rule');
    await alex.fills({ 'Your rule': INVISIBLE });
    await alex.wasToldPrivately('“Add a rule” needs a few words in “Your rule”');
    expect(await world.storedSession()).toBe(before);
    await sam.sees('A rule of your own');
  });

  test.for([...listedFlowIds])(
    '%s: an answer of only invisible characters is refused on every text input, and the store is unchanged',
    async (flowId, { world, couple }) => {
      const flow = flowNamed(flowId);
      await couple.alex.starts(flowId);
      let refused = 0;
      for (const event of completionScript(flow)) {
        const spec = flow.steps.get(event.step);
        const input = spec?.input;
        const person = world.partner(event.by);
        const invisible: AnswerValue | undefined =
          input?.kind === 'text'
            ? { ...event.value, text: INVISIBLE }
            : input?.kind === 'list'
              ? { items: [INVISIBLE, INVISIBLE, INVISIBLE] }
              : input?.kind === 'choice' && event.value.choice && input.note?.requiredFor?.includes(event.value.choice)
                ? { ...event.value, note: INVISIBLE }
                : undefined;
        if (invisible) {
          const before = await world.storedSession();
          const reply = await person.answers(invisible, event.step);
          expect(reply.ephemeral, `${flowId}: ${event.step}`).toBe(true);
          expect(await world.storedSession(), `${flowId}: ${event.step} changed the store`).toBe(before);
          refused++;
        }
        await person.answers(event.value, event.step);
      }
      expect(refused).toBeGreaterThan(0);
      await couple.channel.summary();
      expect(world.discord.violations()).toEqual([]);
    },
  );
});

describe('the methods, in full', () => {
  test('the feelings picker: the feelings chosen are shown by name beside the words', async ({
    couple: { alex, sam, channel },
  }) => {
    await alex.starts('admit-mistake');
    await alex.clicks('I will');
    await sam.clicks('Yes, that’s right for me');
    await alex.clicks('Yes, I’m ready');
    await sam.clicks('Yes, I’m ready');
    await alex.writes('I read your messages on your phone without asking.');
    await alex.writes('I imagine it made you feel spied on.');
    await sam.clicks('Write your answer');
    await sam.fills({
      'How it affected me': 'I stopped writing to anyone.',
      'Feelings that fit (optional)': ['Exposed', 'Betrayed'],
    });
    await channel.shows('**Sam** > Exposed, Betrayed > I stopped writing to anyone.');
  });

  test('the floor passes in the talk: speaker, listener, paraphrase, and a check, until both have nothing more', async ({
    world,
    couple: { alex, sam, channel },
  }) => {
    await alex.starts('ground-rules');
    const script = completionScript(flowNamed('ground-rules'));
    const toMode = script.findIndex((e) => e.step === 'talkMode');
    await world.plays(script.slice(0, toMode));
    await alex.clicks('Take turns with the floor');
    await sam.clicks('Take turns with the floor');
    await channel.shows('The floor is yours');
    await sam.clicks('I’ve said my piece');
    await sam.fills({ 'The gist, if you want it written (optional)': 'I feel alone with the nights.' });
    await alex.writes('You feel alone at night.');
    await sam.clicks('Not quite');
    await sam.fills({ 'What was missed (optional)': 'With the nights, not at night.' });
    await alex.writes('You feel alone with the nights, with how hard they are.');
    await sam.clicks('Yes, that’s it');
    await alex.clicks('Nothing more from me');
    await sam.clicks('Nothing more from me');
    await alex.sees('What you agree on');
    expect((await world.session())?.prompt?.step).toBe('agreed');
    await channel.shows('**Alex** > You feel alone with the nights, with how hard they are.');
  });

  test('mirroring in tolerance: each item is said back and checked before question one', async ({
    world,
    couple: { alex, sam, channel },
  }) => {
    await toToleranceList(alex, sam);
    await alex.clicks('Write your list');
    await alex.fills({ 'One per line, up to five': 'Your phone at dinner' });
    await sam.sees('Before you answer it: in your own words, what do you hear Alex asking of you here?');
    await sam.writes('You want dinner to be time together.');
    await alex.clicks('There’s more');
    await alex.fills({ 'What’s missing, or what more (optional)': 'I feel less interesting than a screen.' });
    await sam.writes('You want dinner together, and the phone makes you feel less interesting.');
    await alex.clicks('Yes, that’s it');
    await sam.writes('It makes sense; I would feel the same.');
    await sam.sees('Would you be willing to change this');
    expect((await world.session())?.prompt?.step).toBe('change');
    await channel.shows('**Sam** *About:* Your phone at dinner > It makes sense; I would feel the same.');
  });
});

describe('after the summary', () => {
  test('either partner starts another conversation with the same partner from a button under the summary', async ({
    world,
    couple: { alex, sam, channel },
  }) => {
    await alex.starts('tolerance-questions');
    await alex.clicks('Yes, I’m ready');
    await sam.clicks('Not now');
    await channel.summary();
    const next = flowNamed('needs-discovery');
    // One button per conversation a couple can choose, all five of them, within Discord's row limits.
    const titles = listedFlowIds.map((id) => flowNamed(id).title);
    expect(titles).toHaveLength(5);
    for (const title of titles) expect(channel.buttons()).toContain(title);
    await sam.clicks(next.title);
    const view = await world.session();
    expect(view?.flow.id).toBe(next.id);
    expect(view?.record.partners.a.id).toBe(sam.id);
    expect(view?.record.partners.b.id).toBe(alex.id);
    await channel.shows('Your guess first');
    expect(world.discord.violations()).toEqual([]);
  });
});
