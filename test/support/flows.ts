/**
 * The flows in flows/, loaded once for the tests, and `flowNamed(id)`: the flow, or an error that names the
 * ones there are.
 */
import type { FlowDefinition } from '../../src/engine/flow-kit.js';
import { type FlowRegistry, listedFlows, loadFlows } from '../../src/engine/flow-registry.js';

export const flows: FlowRegistry = await loadFlows();

/** The ids of the flows a couple can start (/talk's list): not the check-in, which Mend starts itself. */
export const listedFlowIds: readonly string[] = listedFlows(flows).map((f) => f.id);

export function flowNamed(id: string): FlowDefinition {
  const flow = flows.get(id);
  if (!flow) throw new Error(`There is no flow "${id}" in flows/ (there are: ${[...flows.keys()].join(', ')})`);
  return flow;
}
