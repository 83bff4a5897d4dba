/**
 * Gratitude: each writes three things the other did lately (sealed, shown together; Sam's first try
 * has only two), each says in a line how it felt to read theirs, and they ask for another in a week.
 * A week on, Mend starts the next one in their channel.
 */
import type { TranscriptScript } from './session.js';

const WEEK = 7 * 24 * 3_600_000;
const LIST = 'Three things, one per line';

export const gratitude: TranscriptScript = {
  flowId: 'gratitude',
  about:
    'Alex and Sam each name three things the other did lately that they appreciated, say in a line how it felt to read them, and choose to do it again in a week; a week later Mend starts the next one.',
  async play({ alex, sam, channel }, world) {
    await alex.starts('gratitude');
    await sam.clicks('Write your list');
    await sam.fills({ [LIST]: 'You picked me up from the station in the rain\nYou let me sleep in on Sunday' });
    await sam.clicks('Write your list');
    await sam.fills({
      [LIST]:
        'You picked me up from the station in the rain\nYou let me sleep in on Sunday\nYou asked about my sister, and listened',
    });
    await alex.clicks('Write your list');
    await alex.fills({
      [LIST]:
        'You laughed at my awful joke at dinner\nYou made the phone call I was dreading\nYou left a note on the fridge',
    });
    await sam.writes('I didn’t know the note mattered. I’m glad I wrote it.');
    await alex.writes('Warm. I forget you notice the small things.');
    await alex.clicks('In a week');
    await sam.clicks('In a week');
    await sam.looksOverTheRecord();
    await alex.looksOverTheRecord();
    await channel.summary();

    world.clock.advance(WEEK);
    const nextWeek = channel.mark();
    await world.sweep();
    await channel.shows('Three things you appreciated', nextWeek);
  },
};
