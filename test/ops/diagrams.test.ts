import { describe, expect, it } from 'vitest';
import { generateDocs, readDocs, renderFlowDiagram, staleDocs, whoAnswers } from '../../scripts/diagrams.js';
import { loadFlows } from '../../src/engine/flow-registry.js';

const flows = await loadFlows();

describe('flow diagrams', () => {
  it('docs/flows matches the machines (run `npm run diagrams` after changing a flow)', () => {
    const problems = staleDocs(generateDocs(flows.values()), readDocs());
    expect(
      problems,
      `${problems.join('\n')}\nThe flow diagrams are out of date: run \`npm run diagrams\` and commit docs/flows.`,
    ).toEqual([]);
  });

  it('notices a diagram that differs, one missing, and one whose flow is gone', () => {
    const generated = generateDocs(flows.values());
    const onDisk = new Map(generated);
    onDisk.set('ground-rules.md', `${onDisk.get('ground-rules.md')}\nedited by hand\n`);
    onDisk.delete('README.md');
    onDisk.set('old-flow.md', '# gone');
    expect(staleDocs(generated, onDisk)).toEqual([
      'docs/flows/ground-rules.md no longer matches its machine',
      'docs/flows/README.md is missing',
      'docs/flows/old-flow.md belongs to no flow',
    ]);
  });

  it('is deterministic', async () => {
    const again = generateDocs((await loadFlows()).values());
    expect([...again]).toEqual([...generateDocs(flows.values())]);
  });

  for (const flow of flows.values()) {
    it(`${flow.id}: every step is drawn with who answers it, inside the kit's shell`, () => {
      const diagram = renderFlowDiagram(flow);
      expect(diagram.startsWith('stateDiagram-v2\n')).toBe(true);
      for (const [step, prompt] of flow.steps) {
        const id = `active_${step.replaceAll('.', '_')}`;
        expect(diagram).toContain(`as ${id}`);
        expect(diagram).toContain(`${id} : ${whoAnswers(prompt)}`);
      }
      for (const line of [
        '[*] --> active',
        'active --> paused : PAUSE',
        'paused --> active : RESUME [canResume, back to the same step]',
        'active --> ended : END',
        'paused --> ended : END',
        'active --> completed : done',
        'ended --> [*]',
      ]) {
        expect(diagram).toContain(line);
      }
      expect(diagram).toContain('declined --> [*]');
    });
  }
});
