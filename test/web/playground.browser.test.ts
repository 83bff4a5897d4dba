/**
 * The playground in a real browser (Debian's Chromium through playwright-core): two contexts, the
 * two partners, play every listed flow to its summary through the pages' own forms — taking a
 * break and picking it up again, having a bad answer refused kindly with nothing changed, and
 * checking that a sealed answer is on neither partner's page before both are in. The prompt and
 * summary pages have no serious or critical axe-core violations.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkAnswer } from '../../src/engine/answer-schema.js';
import { listedFlows } from '../../src/engine/flow-registry.js';
import type { PartnerId } from '../../src/engine/flow-types.js';
import { otherPartner } from '../../src/engine/flow-types.js';
import { FOLLOW_UP_DELAYS, FOLLOW_UP_STEP } from '../../src/engine/follow-up.js';
import { launchChromium, seriousViolations } from '../support/browser.js';
import { flows } from '../support/flows.js';
import { completionScript } from '../support/play.js';
import {
  answerWith,
  formFor,
  movedOn,
  type PlaygroundWorld,
  shown,
  startCouple,
  startPlayground,
  versionOf,
  wordsOf,
} from '../support/playground.js';

let world: PlaygroundWorld;
let browser: Browser;

beforeAll(async () => {
  [world, browser] = await Promise.all([startPlayground(), launchChromium()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

/** A distinctive piece of an answer's words, as a page shows it. */
const marker = (words: string) => words.slice(0, 24);

describe('two partners play every flow in the browser', () => {
  for (const flow of listedFlows(flows)) {
    test(`${flow.id}: to its summary, with a break, a refusal and sealed answers kept until both are in`, async () => {
      // Worked out before the pages open: it holds this process (and the server in it) for a moment.
      const script = completionScript(flow);
      const couple = await startCouple(browser, world.running.url, flow.id);
      const { pages } = couple;
      try {
        const first = script[0];
        if (!first) throw new Error(`${flow.id} has no answers to give`);

        // The first prompt, on the page of whoever answers it: nothing serious for axe.
        await formFor(pages[first.by], first.step);
        expect(await seriousViolations(pages[first.by])).toEqual([]);

        // A break, asked for by one, is shown to the other live; the other picks it up again.
        const beforeBreak = await versionOf(pages.b);
        await pages.a.getByLabel('Take a break').selectOption('20');
        await pages.a.getByRole('button', { name: 'Pause' }).click();
        await pages.a.getByRole('heading', { name: 'On a break' }).waitFor();
        await movedOn(pages.b, beforeBreak);
        await pages.b.getByRole('heading', { name: 'On a break' }).waitFor();
        expect(await shown(pages.b)).toContain('Alex asked for a break until');
        await pages.b.getByRole('button', { name: 'Pick it up again' }).click();
        await formFor(pages[first.by], first.step);
        await formFor(pages.a, first.step).catch(() => undefined);

        let refused = false;
        let sealedPairs = 0;
        for (const [i, event] of script.entries()) {
          const page = pages[event.by];
          const other = pages[otherPartner(event.by)];
          const key = await formFor(page, event.step);
          const spec = flow.steps.get(event.step);
          const input = spec?.input;

          // Once per flow, a written answer left empty: the engine's own kind words, and nothing changes.
          if (!refused && input && input.kind !== 'choice') {
            refused = true;
            const empty = input.kind === 'text' ? { text: '' } : { items: [''] };
            const expected = checkAnswer(input, empty);
            if (expected.ok) throw new Error('an empty answer should be refused');
            const otherVersion = await versionOf(other);
            await page.getByRole('button', { name: 'Send my answer' }).click();
            await page.locator('#problem').waitFor();
            expect((await page.locator('#problem').textContent())?.trim()).toBe(expected.message);
            expect(await page.locator('form.answer').getAttribute('data-key')).toBe(key);
            expect(await versionOf(other)).toBe(otherVersion);
          }

          const otherVersion = await versionOf(other);
          await answerWith(page, event.value);

          // A sealed answer given first: the other partner's page does not show it, even after it updated.
          const next = script[i + 1];
          const sealedFirst = spec?.sealed === true && next?.step === event.step && next.by !== event.by;
          if (sealedFirst) {
            sealedPairs++;
            await movedOn(other, otherVersion);
            for (const words of wordsOf(event.value)) expect(await shown(other)).not.toContain(marker(words));
          }
          const previous = script[i - 1];
          const sealedSecond =
            spec?.sealed === true && !spec.revealWith && previous?.step === event.step && previous.by !== event.by;
          if (sealedSecond && previous) {
            // Both are in: revealed to both together.
            await movedOn(other, otherVersion);
            for (const p of ['a', 'b'] as PartnerId[]) {
              for (const words of [...wordsOf(previous.value), ...wordsOf(event.value)]) {
                expect(await shown(pages[p])).toContain(marker(words));
              }
            }
          }
        }
        expect(refused).toBe(true);
        // Every flow that asks a sealed question was checked at it (each starts with one: are you ready?).
        const asksSealed = script.some((e) => flow.steps.get(e.step)?.sealed);
        expect(sealedPairs > 0).toBe(asksSealed);

        // A time picked to come back is answered truthfully: the playground itself will not.
        const timePicked = script.some(
          (e) => e.step === FOLLOW_UP_STEP && FOLLOW_UP_DELAYS[e.value.choice ?? ''] !== undefined,
        );
        for (const p of ['a', 'b'] as PartnerId[]) {
          await pages[p].locator('.summary').waitFor();
          const summary = await shown(pages[p], '.summary');
          expect(summary).toContain('You went through every step together.');
          expect(summary.includes('The playground will not come back to you then')).toBe(timePicked);
        }
        expect(await seriousViolations(pages.b)).toEqual([]);
      } finally {
        await couple.close();
      }
    }, 120_000);
  }
});

describe('an answer that speaks of harm, in the browser', () => {
  test('pauses for both, says so to its author alone, keeps none of it, and once both continue offers to skip', async () => {
    const flow = listedFlows(flows).find((f) => completionScript(f).some((e) => e.value.text !== undefined));
    if (!flow) throw new Error('no listed flow asks for words');
    const script = completionScript(flow);
    const couple = await startCouple(browser, world.running.url, flow.id);
    const { pages } = couple;
    try {
      const at = script.findIndex((e) => e.value.text !== undefined);
      for (const event of script.slice(0, at)) {
        await formFor(pages[event.by], event.step);
        await answerWith(pages[event.by], event.value);
      }
      const event = script[at];
      if (!event) throw new Error('unreachable');
      const writer = pages[event.by];
      const other = pages[otherPartner(event.by)];
      await formFor(writer, event.step);
      const otherVersion = await versionOf(other);
      await answerWith(writer, { ...event.value, text: 'he hit me last week and I am scared' });

      await writer.getByRole('heading', { name: 'You don’t have to carry this alone' }).waitFor();
      expect(await shown(writer, '.private')).toContain('he hit me last week'); // given back, to them alone
      await movedOn(other, otherVersion);
      await other.getByRole('heading', { name: 'On a break' }).waitFor();
      for (const page of [writer, other]) expect(await shown(page, '#live')).not.toContain('hit me');
      expect(await shown(other)).not.toContain('carry this alone');

      // One tap does not lift it; both do.
      await other.getByRole('button', { name: 'I am ready to continue' }).click();
      await other.getByText('You have chosen to continue.').waitFor();
      await writer.getByRole('button', { name: 'I am ready to continue' }).click();
      for (const page of [writer, other]) await page.getByRole('heading', { name: 'Before you go on' }).waitFor();
      await other.getByRole('button', { name: 'Skip that question' }).click();
      await other
        .locator('.view[data-status="active"] section.prompt, .view[data-status="active"] section.pause')
        .first()
        .waitFor();
      for (const page of [writer, other]) {
        await page.getByRole('heading', { name: 'Before you go on' }).waitFor({ state: 'detached' });
        expect(await shown(page)).not.toContain('hit me');
      }
      expect(await shown(writer, '.transcript')).toContain('(skipped after a pause)');
    } finally {
      await couple.close();
    }
  }, 60_000);
});

describe('calm and accessible', () => {
  test('works by keyboard alone, updates live without a reload, fits a phone, and prints only the summary', async () => {
    const flow = listedFlows(flows)[0];
    if (!flow) throw new Error('no flows');
    const [first] = completionScript(flow);
    const couple = await startCouple(
      browser,
      world.running.url,
      flow.id,
      { a: 'Alex', b: 'Sam' },
      { width: 375, height: 740 },
    );
    const { pages } = couple;
    try {
      if (!first) throw new Error('unreachable');
      const page = pages[first.by];
      const other = pages[otherPartner(first.by)];
      await formFor(page, first.step);

      // A phone's width: nothing runs off the side.
      for (const p of [page, other]) {
        const overflow = await p.evaluate(() => {
          const root = (
            globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }
          ).document.documentElement;
          return root.scrollWidth - root.clientWidth;
        });
        expect(overflow).toBeLessThanOrEqual(0);
      }

      // The other page is updated in place: a mark left on it survives the update.
      await other.evaluate(() => {
        (globalThis as unknown as { stillHere: boolean }).stillHere = true;
      });
      const otherVersion = await versionOf(other);

      // Keyboard alone: Tab from the top to the first way to answer, and press it.
      const before = await versionOf(page);
      let reached = false;
      for (let tab = 0; tab < 40 && !reached; tab++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(() => {
          const active = (
            globalThis as unknown as { document: { activeElement: { closest(s: string): unknown } | null } }
          ).document.activeElement;
          return Boolean(active?.closest('form.answer button, form.answer input, form.answer textarea'));
        });
      }
      expect(reached).toBe(true);
      if (first.value.choice === undefined) await page.keyboard.type('Words typed from the keyboard alone, in full.');
      else if ((await page.locator('form.answer button[name="choice"]').count()) === 0)
        await page.keyboard.press('Space');
      await page.keyboard.press('Enter');
      await movedOn(page, before);
      await movedOn(other, otherVersion);
      expect(await other.evaluate(() => (globalThis as unknown as { stillHere?: boolean }).stillHere)).toBe(true);

      // Ending, and the summary: both see it; in print, only the summary shows.
      await other.getByText('End the conversation').click();
      await other.getByRole('button', { name: 'Yes, end it here' }).click();
      for (const p of [page, other]) await p.locator('.summary').waitFor();
      expect(await seriousViolations(other)).toEqual([]);
      await other.emulateMedia({ media: 'print' });
      expect(await other.locator('.summary').isVisible()).toBe(true);
      for (const hidden of ['.site', '.turn', 'footer.site-footer', '.actions']) {
        expect(await other.locator(hidden).first().isVisible(), hidden).toBe(false);
      }
    } finally {
      await couple.close();
    }
  }, 60_000);
});
