/**
 * The README's "Adding a flow" example is real code: it loads as a flow, and two partners can
 * complete it, with a summary that holds both answers.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { createActor } from 'xstate';
import type { FlowDefinition } from '../../src/engine/flow-kit.js';
import { resolvePrompt } from '../../src/engine/prompt.js';
import { summarize } from '../../src/engine/summary.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = join(root, 'test', '.readme-flow');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('the README’s example flow loads and completes', async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Adding a flow'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(code, 'no ts example under "Adding a flow"').toBeDefined();
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'example-flow.ts');
  writeFileSync(file, (code ?? '').replaceAll("'../src/", "'../../src/"));
  const flow = ((await import(file)) as { default: FlowDefinition }).default;
  expect(flow.kind).toBe('mend-flow');

  const actor = createActor(flow.machine, { input: {} }).start();
  for (const by of ['a', 'b'] as const) {
    const prompt = resolvePrompt(actor.getSnapshot(), flow.id);
    if (!prompt) throw new Error('the example asks nothing');
    actor.send({ type: 'ANSWER', by, step: prompt.step, value: { text: `wish of ${by}` } });
  }
  const snapshot = actor.getSnapshot();
  expect(snapshot.matches('completed')).toBe(true);
  const summary = summarize({
    flow,
    context: snapshot.context,
    status: 'completed',
    nameOf: (p) => (p === 'a' ? 'Alex' : 'Sam'),
    at: 0,
  });
  expect(summary.steps[0]?.title).toBe('What each wished for — Alex and Sam');
  expect(summary.steps[0]?.entries.map((e) => e.text)).toEqual(['wish of a', 'wish of b']);
});
