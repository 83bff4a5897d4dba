/**
 * The transcripts in docs/transcripts are what the flows say now: each is played again through the
 * local Discord and must match the committed file (run `npm run transcripts` after changing a flow
 * or its wording).
 */
import { describe, expect, it } from 'vitest';
import { generateTranscripts, readTranscripts, SCRIPTS } from '../../scripts/transcripts.js';
import { flows } from '../support/flows.js';

describe('transcripts', () => {
  it('docs/transcripts matches what each partner sees today (run `npm run transcripts` after a change)', async () => {
    const generated = await generateTranscripts();
    const onDisk = readTranscripts();
    expect([...onDisk.keys()].sort()).toEqual([...generated.keys()].sort());
    for (const [name, text] of generated) {
      expect(onDisk.get(name), `docs/transcripts/${name} is out of date: run npm run transcripts`).toBe(text);
    }
  }, 60_000);

  it('every flow has a transcript', () => {
    const flowRuns = SCRIPTS.filter((s) => s.scene === undefined);
    expect(flowRuns.map((s) => s.flowId).sort()).toEqual([...flows.keys()].sort());
  });
});
