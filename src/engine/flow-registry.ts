/**
 * Finds every flow: each file in flows/ whose default export is a flow definition. Adding a flow
 * is adding one file there and nothing else.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FlowDefinition } from './flow-kit.js';

export type FlowRegistry = ReadonlyMap<string, FlowDefinition>;

const flowsDir = fileURLToPath(new URL('../../flows/', import.meta.url));

const isFlow = (value: unknown): value is FlowDefinition =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'mend-flow';

/** Loads flows/ once; the order is the file order, which is the order users see them in. */
export async function loadFlows(dir = flowsDir): Promise<FlowRegistry> {
  const files = readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .sort();
  const flows = new Map<string, FlowDefinition>();
  for (const file of files) {
    const module = (await import(pathToFileURL(`${dir}/${file}`).href)) as { default?: unknown };
    if (!isFlow(module.default)) continue;
    if (flows.has(module.default.id)) throw new Error(`Two flows share the id "${module.default.id}" (${file})`);
    flows.set(module.default.id, module.default);
  }
  return flows;
}

/** The flows a couple can choose (/talk's list, the buttons under a summary): not those Mend starts itself. */
export const listedFlows = (flows: FlowRegistry): FlowDefinition[] => [...flows.values()].filter((f) => f.listed);

/** A flow a couple may start by name: known, and listed. */
export const startableFlow = (flows: FlowRegistry, id: string): FlowDefinition | undefined => {
  const flow = flows.get(id);
  return flow?.listed ? flow : undefined;
};
