/**
 * Two partners in two browser contexts, on the real playground: start a conversation from its
 * first page, open each partner's link, and answer a prompt through its form the way a person
 * would (press the option, type the words, tick the picks). Waits by watching the page, never by
 * sleeping: a page has moved on once its view's version changed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AnswerValue, PartnerId } from '../../src/engine/flow-types.js';
import { type RunningPlayground, servePlayground } from '../../src/web/server.js';

export interface PlaygroundWorld {
  running: RunningPlayground;
  dir: string;
  close(): Promise<void>;
}

/** A playground on a free loopback port, over a SQLite file of its own in a temporary folder (or at `storeUrl`). */
export async function startPlayground(now?: () => number, storeUrl?: string): Promise<PlaygroundWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'mend-playground-'));
  const running = await servePlayground({
    host: '127.0.0.1',
    port: 0,
    storeUrl: storeUrl ?? `sqlite://${join(dir, 'playground.sqlite')}`,
    ...(now ? { now } : {}),
  });
  return {
    running,
    dir,
    async close() {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Couple {
  pages: Record<PartnerId, Page>;
  links: Record<PartnerId, string>;
  contexts: BrowserContext[];
  close(): Promise<void>;
}

/** Starts `flowId` from the first page as Alex (with Sam), and opens each partner's link in a context of its own. */
export async function startCouple(
  browser: Browser,
  url: string,
  flowId: string,
  names: Record<PartnerId, string> = { a: 'Alex', b: 'Sam' },
  viewport = { width: 900, height: 1000 },
): Promise<Couple> {
  const contexts = [
    await browser.newContext({ bypassCSP: true, viewport }),
    await browser.newContext({ bypassCSP: true, viewport }),
  ];
  const [contextA, contextB] = contexts as [BrowserContext, BrowserContext];
  const start = await contextA.newPage();
  await start.goto(url);
  await start.locator(`input[name="flow"][value="${flowId}"]`).check();
  await start.getByLabel('Your name').fill(names.a);
  await start.getByLabel('Your partner’s name').fill(names.b);
  await start.getByRole('button', { name: 'Start and get our two links' }).click();
  const linkOf = async (p: PartnerId) => (await start.locator(`a[data-partner="${p}"]`).getAttribute('href')) ?? '';
  const links = { a: await linkOf('a'), b: await linkOf('b') };
  await start.close();
  const pages = { a: await contextA.newPage(), b: await contextB.newPage() };
  await pages.a.goto(links.a);
  await pages.b.goto(links.b);
  return {
    pages,
    links,
    contexts,
    async close() {
      for (const context of contexts) await context.close();
    },
  };
}

export const versionOf = async (page: Page) => (await page.locator('.view').getAttribute('data-version')) ?? '';

/** Waits until the page's view is no longer the one of `version` (it reloaded, or was updated live). */
export async function movedOn(page: Page, version: string): Promise<void> {
  await page.locator(`.view:not([data-version="${version}"])`).waitFor();
}

/** The key of the prompt the page's form answers, once the page has a form for the step. */
export async function formFor(page: Page, step: string): Promise<string> {
  const form = page.locator(`form.answer[data-key^="${step}@"]`);
  await form.waitFor();
  return (await form.getAttribute('data-key')) ?? '';
}

/** Fills the page's answer form with `value` and sends it, as a person would; returns once the page moved on. */
export async function answerWith(page: Page, value: AnswerValue): Promise<void> {
  const form = page.locator('form.answer');
  const before = await versionOf(page);
  if (value.text !== undefined) await form.locator('textarea[name="text"]').fill(value.text);
  for (const pick of value.picks ?? []) await form.locator(`input[name="picks"][value="${pick}"]`).check();
  if (value.items !== undefined) await form.locator('textarea[name="items"]').fill(value.items.join('\n'));
  if (value.choice !== undefined) {
    const button = form.locator(`button[name="choice"][value="${value.choice}"]`);
    if ((await button.count()) > 0) {
      await button.click();
      await movedOn(page, before);
      return;
    }
    await form.locator(`input[name="choice"][value="${value.choice}"]`).check();
    if (value.note !== undefined) await form.locator('textarea[name="note"]').fill(value.note);
  }
  await form.getByRole('button', { name: 'Send my answer' }).click();
  await movedOn(page, before);
}

/** The words of an answer that must not be seen early (text, note, points). */
export const wordsOf = (value: AnswerValue): string[] =>
  [value.text, value.note, ...(value.items ?? [])].filter((w): w is string => Boolean(w));

/** What the page shows a reader, as text (hidden elements left out, which textContent would not). */
// biome-ignore lint/performance/useDomNodeTextContent: what is rendered is the point
export const shown = (page: Page, selector = 'main') => page.locator(selector).innerText();
