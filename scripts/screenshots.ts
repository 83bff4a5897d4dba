/**
 * `npm run screenshots`: plays one conversation on a fresh playground in Debian's Chromium, with
 * plausible words, and saves docs/playground/prompt.png (a partner's page at a question that
 * quotes the other) and docs/playground/summary.png (the summary at the end). Each answer is
 * chosen from what the page's form offers, so it works for any flow: `npm run screenshots -- <flow>`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import type { PartnerId } from '../src/engine/flow-types.js';
import { launchChromium } from '../test/support/browser.js';
import { movedOn, startCouple, startPlayground, versionOf } from '../test/support/playground.js';

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '../docs/playground');
const FLOW = process.argv[2] ?? 'tolerance-questions';
/** The same date in every run, so regenerated pictures differ only when the pages do. */
const NOW = Date.UTC(2026, 10, 14, 17, 30);

/** Gentle, middle-of-the-road choices where a form offers them (the first option otherwise). */
const PREFERRED = [
  'ready',
  'partly',
  'unsure',
  'finish',
  'none',
  'agree',
  'keep',
  'accept',
  'goOn',
  'free',
  'said',
  'yes',
  'finished',
  '1w',
];
const WORDS = [
  'I would like us to put our phones away at dinner, so we actually talk.',
  'Most evenings I can, though some Fridays work will still run late.',
  'I hear that dinner matters to you because it is the one time we are both home.',
  'That sounds fair to me. Let us try it for two weeks and see.',
];
const ITEMS = [
  'Scrolling on the phone during dinner',
  'Working late on most Fridays',
  'Leaving weekend plans to the last minute',
  'Not saying when something bothers me',
];

let words = 0;
/**
 * Words that fit what the form is about (the picture is read by people: an offer about phones must
 * not sit beside an item about work), else the next of the general ones.
 */
const FITTING: readonly { about: RegExp; heard: string; change: string; live: string }[] = [
  {
    about: /phone/i,
    heard: 'I hear that dinner matters to you because it is the one time we are both home.',
    change: 'I will leave my phone in the hall while we eat.',
    live: 'That sounds fair to me. Let us try it for two weeks and see.',
  },
  {
    about: /Fridays/,
    heard:
      'I hear that Friday evenings alone are hard for you, and that not knowing when I will be home is the worst of it.',
    change: 'Most evenings I can, though some Fridays work will still run late. I will text you by five when it does.',
    live: 'If I know by five, I can live with the late ones.',
  },
];
const nextWords = (context = ''): string => {
  const fit = FITTING.find((f) => f.about.test(context));
  if (fit) return /heard/i.test(context) ? fit.heard : /live with/i.test(context) ? fit.live : fit.change;
  return WORDS[words++ % WORDS.length] as string;
};

async function valuesOf(form: Locator, selector: string): Promise<string[]> {
  return form.locator(selector).evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
}

/** Answers whatever the page's form asks, like a calm person would. */
async function answer(page: Page): Promise<void> {
  const form = page.locator('form.answer');
  const kind = await form.getAttribute('data-kind');
  // The question and the item it is about, as the page shows them above the form.
  const about = (await page.locator('form.answer').locator('xpath=..').textContent()) ?? '';
  const before = await versionOf(page);
  if (kind === 'choice') {
    const offered = [
      ...(await valuesOf(form, 'button[name="choice"]')),
      ...(await valuesOf(form, 'input[name="choice"]')),
    ];
    const choice = PREFERRED.find((v) => offered.includes(v)) ?? offered[0] ?? '';
    const button = form.locator(`button[name="choice"][value="${choice}"]`);
    if ((await button.count()) > 0) await button.click();
    else {
      await form.locator(`input[name="choice"][value="${choice}"]`).check();
      await form.locator('textarea[name="note"]').fill(nextWords(about));
      await form.getByRole('button', { name: 'Send my answer' }).click();
      // Some choices take no note: refused kindly, it goes again without one.
      await page.locator(`.view:not([data-version="${before}"]), #problem`).first().waitFor();
      if ((await page.locator('#problem').count()) > 0) {
        await form.locator(`input[name="choice"][value="${choice}"]`).check();
        await form.locator('textarea[name="note"]').fill('');
        await form.getByRole('button', { name: 'Send my answer' }).click();
      }
    }
  } else if (kind === 'list') {
    const hint = (await form.locator('.hint').first().textContent()) ?? '';
    const least = Number(/at least (\d+)/.exec(hint)?.[1] ?? '1');
    await form.locator('textarea[name="items"]').fill(ITEMS.slice(0, Math.max(2, least)).join('\n'));
    await form.getByRole('button', { name: 'Send my answer' }).click();
  } else {
    await form.locator('textarea[name="text"]').fill(nextWords(about));
    const pick = form.locator('input[name="picks"]').first();
    if ((await pick.count()) > 0) await pick.check();
    await form.getByRole('button', { name: 'Send my answer' }).click();
  }
  await movedOn(page, before);
}

// The pages name their file as a newcomer's would be named (./data/playground.sqlite), kept here
// in a folder of its own so a real playground's conversations are never touched.
const scratch = mkdtempSync(join(tmpdir(), 'mend-screenshots-'));
process.chdir(scratch);
const world = await startPlayground(() => NOW, 'sqlite://./data/playground.sqlite');
const browser = await launchChromium();
try {
  const couple = await startCouple(
    browser,
    world.running.url,
    FLOW,
    { a: 'Alex', b: 'Sam' },
    { width: 820, height: 900 },
  );
  mkdirSync(OUT, { recursive: true });
  let promptShot = false;
  for (let turn = 0; turn < 200; turn++) {
    const { pages } = couple;
    if ((await pages.a.locator('.summary').count()) > 0) break;
    let answered = false;
    for (const p of ['a', 'b'] as PartnerId[]) {
      const page = pages[p];
      if ((await page.locator('form.answer').count()) === 0) continue;
      if (!promptShot && (await page.locator('.quotes').count()) > 0) {
        await page.screenshot({ path: `${OUT}/prompt.png`, fullPage: true });
        promptShot = true;
      }
      await answer(page);
      answered = true;
      break;
    }
    if (!answered) {
      // The other page is still hearing of the last answer: wait for a form on either, or the end.
      await Promise.race([
        pages.a.locator('form.answer, .summary').first().waitFor(),
        pages.b.locator('form.answer').waitFor(),
      ]);
    }
  }
  await couple.pages.a.locator('.summary').waitFor();
  // The top of the summary: the header, what matters at a glance, and the first answers in full.
  await couple.pages.a.screenshot({
    path: `${OUT}/summary.png`,
    fullPage: true,
    clip: { x: 0, y: 0, width: 820, height: 1800 },
  });
  if (!promptShot) throw new Error(`${FLOW}: no question quoted the other partner, so no prompt picture was taken`);
  await couple.close();
  process.stdout.write(`Wrote ${OUT}/prompt.png and ${OUT}/summary.png\n`);
} finally {
  await browser.close();
  await world.close();
  rmSync(scratch, { recursive: true, force: true });
}
