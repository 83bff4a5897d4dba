/**
 * A partner's link is the only key to their page: a missing, malformed, wrong or erased token
 * opens nothing and changes nothing, and one partner's link cannot answer for the other — there
 * is no field to say who is answering; the token alone decides.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AnswerValue, PartnerId } from '../../src/engine/flow-types.js';
import { reject } from '../../src/engine/rejections.js';
import { flowNamed } from '../support/flows.js';
import { completionScript } from '../support/play.js';
import { type PlaygroundWorld, startPlayground } from '../support/playground.js';
import { foundOnDisk } from '../support/sqlite-disk.js';

let world: PlaygroundWorld;
beforeAll(async () => {
  world = await startPlayground();
});
afterAll(() => world?.close());

const url = (path: string) => `${world.running.url}${path}`;

async function post(path: string, fields: Record<string, string | string[]>): Promise<Response> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  return fetch(url(path), { method: 'POST', body, redirect: 'manual' });
}

/** Starts a conversation through the first page's form; returns each partner's path. */
async function start(flowId: string, names = { a: 'Alex', b: 'Sam' }): Promise<Record<PartnerId, string>> {
  const response = await post('/start', { flow: flowId, nameA: names.a, nameB: names.b });
  expect(response.status).toBe(200);
  const page = await response.text();
  const link = (p: PartnerId) =>
    new URL(page.match(new RegExp(`href="([^"]+)"[^>]*data-partner="${p}"`))?.[1] ?? '').pathname;
  return { a: link('a'), b: link('b') };
}

/** The key of the prompt a partner's page offers a form for, if any. */
async function formKey(path: string): Promise<string | undefined> {
  const page = await (await fetch(url(`${path}/live`))).text();
  return page.match(/<form class="answer"[^>]*data-key="([^"]+)"/)?.[1];
}

const fieldsOf = (key: string, value: AnswerValue): Record<string, string | string[]> => ({
  key,
  ...(value.choice !== undefined ? { choice: value.choice } : {}),
  ...(value.note !== undefined ? { note: value.note } : {}),
  ...(value.text !== undefined ? { text: value.text } : {}),
  ...(value.picks ? { picks: value.picks } : {}),
  ...(value.items ? { items: value.items.join('\n') } : {}),
});

describe('partner links', () => {
  test('a missing, malformed or wrong token opens nothing, and posting with one changes nothing', async () => {
    const links = await start('ground-rules');
    const token = links.a.slice('/p/'.length);
    const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const before = await (await fetch(url(`${links.a}/live`))).text();
    for (const path of ['/p/', '/p', '/p/not-a-token', `/p/${wrong}`, `/p/${wrong}/live`, `/p/${wrong}/events`]) {
      const response = await fetch(url(path));
      expect(response.status, path).toBe(404);
      const text = await response.text();
      expect(text, path).toContain('This link doesn’t open a conversation');
      expect(text, path).not.toContain('Alex');
    }
    for (const action of ['answer', 'pause', 'resume', 'end', 'skip', 'erase']) {
      const response = await post(`/p/${wrong}/${action}`, { key: 'ready@1', choice: 'ready', minutes: '20' });
      expect(response.status, action).toBe(404);
    }
    // Nothing changed for the real partner (the same view, to its version).
    expect(await (await fetch(url(`${links.a}/live`))).text()).toBe(before);
  });

  test('Delete this conversation erases it from the file, for both, and both links stop working', async () => {
    const flow = flowNamed('ground-rules');
    const script = completionScript(flow);
    // Names no other conversation in this file has, so finding them means finding this one.
    const names = { a: 'Marisol', b: 'Tobiah' };
    const links = await start(flow.id, names);
    const words: string[] = [names.a, names.b];
    for (const event of script) {
      const key = await formKey(links[event.by]);
      expect((await post(`${links[event.by]}/answer`, fieldsOf(key ?? '', event.value))).status).toBe(303);
      if (event.value.text) {
        words.push(event.value.text);
        break;
      }
    }
    const file = join(world.dir, 'playground.sqlite');
    expect(foundOnDisk(file, words)).toHaveLength(words.length);
    expect((await post(`${links.b}/erase`, {})).status).toBe(200);
    for (const link of [links.a, links.b]) expect((await fetch(url(link))).status).toBe(404);
    // Gone from the file, its log and its index, not only from the rows.
    expect(foundOnDisk(file, words)).toEqual([]);
  });

  test('one partner’s link cannot answer for the other', async () => {
    const flow = flowNamed('admit-mistake');
    // Worked out before any request: it takes the process's CPU for a few seconds.
    const script = completionScript(flow);
    const links = await start(flow.id);
    // Play until a question only one partner answers, then answer it with the other's link.
    for (const event of script) {
      const spec = flow.steps.get(event.step);
      const mine = links[event.by];
      const theirs = links[event.by === 'a' ? 'b' : 'a'];
      const key = await formKey(mine);
      expect(key?.startsWith(`${event.step}@`)).toBe(true);
      if (spec?.to !== 'both' && key) {
        expect(await formKey(theirs)).toBeUndefined();
        const before = await (await fetch(url(`${mine}/live`))).text();
        // Even a form that claims to be the other partner's is theirs who holds the link.
        const refused = await post(`${theirs}/answer`, {
          ...fieldsOf(key, event.value),
          by: event.by,
          partner: event.by,
        });
        expect(refused.status).toBe(409);
        expect(await refused.text()).toContain(reject('not-your-turn').message.replaceAll("'", '&#39;'));
        expect(await (await fetch(url(`${mine}/live`))).text()).toBe(before);
        // The right link answers it.
        expect((await post(`${mine}/answer`, fieldsOf(key, event.value))).status).toBe(303);
        expect(await formKey(mine)).not.toBe(key);
        return;
      }
      expect((await post(`${mine}/answer`, fieldsOf(key ?? '', event.value))).status).toBe(303);
    }
    throw new Error(`${flow.id} never asked one partner alone`);
  });
});
