/**
 * A check-in, a week after admitting a mistake: Mend comes back at the time they chose, both say how
 * the promise has gone (sealed, shown together), and they choose to check in again later. The
 * conversation before it is played but not shown.
 */
import { admitMistake } from './admit-mistake.js';
import type { TranscriptScript } from './session.js';

const WEEK = 7 * 24 * 3_600_000;
const NOTE = 'A few words, if you like';

export const checkIn: TranscriptScript = {
  flowId: 'check-in',
  about:
    'A week after Alex promised Sam something in “Admitting a mistake”, Mend checks in: Alex says how it has gone, Sam how it has felt, and they choose to check in again in two weeks.',
  async play({ alex, sam, channel, robin, owner }, world) {
    // The conversation itself is in its own transcript (where the sooner of their two times is a week).
    await admitMistake.play({ alex, sam, channel, robin, owner }, world);
    await channel.summary();
    const from = world.discord.timeline().length;

    world.clock.advance(WEEK);
    await world.sweep();
    await alex.clicks('Partly');
    await alex.fills({
      [NOTE]: 'I told you twice when I was worried. Once I checked your phone again, and I said so.',
    });
    await sam.clicks('Partly');
    await sam.fills({ [NOTE]: 'It helps that you tell me. The time you checked still stung.' });
    await alex.clicks('Check in again');
    await sam.clicks('Check in again');
    await alex.clicks('In two weeks');
    await sam.clicks('In two weeks');
    return { from };
  },
};
