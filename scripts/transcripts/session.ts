/** What a transcript script gets to play with: the couple, acting through the local Discord. */
import type { Couple } from '../../test/support/conversation.js';
import type { MendWorld } from '../../test/support/mend-world.js';

export interface TranscriptScript {
  flowId: string;
  /** The file's name (without .md) and heading, for a scene beyond a flow's own run; default: the flow's. */
  scene?: { name: string; title: string };
  /** Whether the scene ends with the summary posted (default true); the transcript waits for it. */
  endsWithSummary?: boolean;
  /** One or two sentences on what this session shows a reviewer. */
  about: string;
  /**
   * Plays the scene. It may return where the transcript starts (an index into the local Discord's
   * timeline), so a scene can set the stage without showing it.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: most scenes return nothing; void lets them say so without `return undefined`.
  play(couple: Couple, world: MendWorld): Promise<void | { from: number }>;
}
