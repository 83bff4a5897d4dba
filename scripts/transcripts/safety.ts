/**
 * Two scenes of Mend's care for safety, as each partner reads them: the private check before a
 * couple's first conversation raising a concern (and lifted, later, by the one who raised it), and
 * an answer in a conversation that speaks of harm (the pause, and the offer to skip or end).
 */
import type { TranscriptScript } from './session.js';

export const safetyCheck: TranscriptScript = {
  flowId: 'needs-discovery',
  scene: { name: 'safety-check', title: 'The private check raises a concern' },
  endsWithSummary: false,
  about:
    'Before their first conversation, Sam’s private check raises a concern: Sam alone reads the resources, Alex reads only that joint conversations aren’t available, and only Sam can lift the pause.',
  async play({ alex, sam }) {
    await alex.starts('needs-discovery', { gate: 'leave' });
    await alex.passesTheGate();
    await sam.clicks('What Mend keeps');
    await sam.clicks('I agree');
    await sam.clicks('My private check');
    await sam.clicks('Not always');
    await sam.clicks('No');
    await sam.clicks('Yes, my own choice');
    await alex.starts('needs-discovery', { gate: 'leave' });
    await alex.types('safety');
    await sam.types('safety', { partner: alex });
    await sam.clicks('Lift the pause on joint conversations');
    await sam.clicks('Yes, lift it');
    await alex.starts('needs-discovery', { gate: 'leave' });
  },
};

export const safetyPause: TranscriptScript = {
  flowId: 'needs-discovery',
  scene: { name: 'safety-pause', title: 'An answer speaks of harm' },
  about:
    'Alex’s answer speaks of being hurt: the conversation pauses for both without naming anyone, only Alex reads the resources, and once both choose to go on they skip that question and end.',
  async play({ alex, sam }) {
    await alex.starts('needs-discovery');
    await alex.clicks('Write your answer');
    await alex.fills({ 'Your guess': 'More time together, without our phones.' });
    await sam.clicks('Write your answer');
    await sam.fills({ 'Your guess': 'To be left alone for a while after work.' });
    await alex.writes('Honestly, I am scared at home. He hit me last week.');
    await sam.types('talk');
    await sam.clicks('I am ready to continue');
    await alex.clicks('I am ready to continue');
    await sam.clicks('Skip that question');
    await alex.clicks('End');
    await alex.clicks('Yes, end it');
    await alex.looksOverTheRecord();
    await sam.looksOverTheRecord();
  },
};
