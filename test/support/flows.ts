/**
 * The flows in flows/, loaded once for the tests, and `flowNamed(id)`: the flow, or an error that names the
 * ones there are.
 */
import type { FlowDefinition } from '../../src/engine/flow-kit.js';
import { type FlowRegistry, loadFlows } from '../../src/engine/flow-registry.js';

export const flows: FlowRegistry = await loadFlows();

export function flowNamed(id: string): FlowDefinition {
  const flow = flows.get(id);
  if (!flow) throw new Error(`There is no flow "${id}" in flows/ (there are: ${[...flows.keys()].join(', ')})`);
  return flow;
}
