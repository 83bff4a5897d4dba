/** What a transcript script gets to play with: the couple, acting through the local Discord. */
import type { Couple } from '../../test/support/conversation.js';
import type { MendWorld } from '../../test/support/mend-world.js';

export interface TranscriptScript {
  flowId: string;
  /** One or two sentences on what this session shows a reviewer. */
  about: string;
  play(couple: Couple, world: MendWorld): Promise<void>;
}
