/**
 * Needs discovery: each guesses first (kept back), both answer about themselves (revealed in
 * pairs), they choose once to say back what they heard, and each guess appears beside the real
 * answer before each picks one need of the other's to act on.
 */
import type { TranscriptScript } from './session.js';

export const needsDiscovery: TranscriptScript = {
  flowId: 'needs-discovery',
  about:
    'Alex and Sam guess what the other needs, answer for themselves, say back what they heard once, and see each guess beside the real answer.',
  async play({ alex, sam }) {
    await alex.starts('needs-discovery');
    await alex.clicks('Write your answer');
    await alex.fills({
      'Your guess': 'More time together, without our phones.',
      'Needs that might fit (optional)': ['Connection: time together'],
    });
    await sam.clicks('Write your answer');
    await sam.fills({
      'Your guess': 'To be left alone for a while after work.',
      'Needs that might fit (optional)': ['Autonomy: space of my own'],
    });
    await alex.writes('Running again, and the allotment.');
    await sam.writes('Drawing, and my friends from the choir.');
    await alex.clicks('Let’s say back what we heard');
    await sam.clicks('Let’s say back what we heard');
    await alex.writes('You are drawn to drawing, and to your friends from the choir.');
    await sam.clicks('Yes, that’s it');
    await alex.writes('That makes sense; they have been yours for years.');
    await sam.writes('Running again, and the allotment.');
    await alex.clicks('Yes, that’s it');
    await sam.writes('Makes sense: you come back calmer.');
    await alex.writes('When you make tea without asking.');
    await sam.writes('When you plan a surprise for the two of us.');
    await alex.clicks('Let’s go on');
    await sam.clicks('Let’s go on');
    await alex.clicks('Write your answer');
    await alex.fills({
      'What you’d like': 'Ask me how my day really was, and wait for the answer.',
      'The needs behind it (optional)': ['Connection: being heard and understood'],
    });
    await sam.clicks('Write your answer');
    await sam.fills({
      'What you’d like': 'Half an hour alone when I get home, without it meaning anything.',
      'The needs behind it (optional)': ['Autonomy: space of my own'],
    });
    await alex.clicks('Let’s go on');
    await sam.clicks('Let’s go on');
    await alex.writes('That you tell me when plans change.');
    await sam.writes('That you are there for bedtime.');
    await alex.clicks('Let’s go on');
    await sam.clicks('Let’s go on');
    await alex.writes('More evenings that are just ours.');
    await sam.writes('Less keeping score.');
    await alex.clicks('Let’s go on');
    await sam.clicks('Let’s go on');
    await alex.writes('I guessed time together; you asked for time alone.');
    await sam.writes('I was close about you, but I missed the waiting.');
    await alex.clicks('Write your answer');
    await alex.fills({
      'What you’ll do': 'I will leave you the first half hour when you get home.',
      'Their need you’ll act on (optional)': ['Autonomy: space of my own'],
    });
    await sam.clicks('Write your answer');
    await sam.fills({
      'What you’ll do': 'I will ask about your day at dinner, and wait.',
      'Their need you’ll act on (optional)': ['Connection: being heard and understood'],
    });
    await alex.clicks('In two weeks');
    await sam.clicks('No check-in');
    await alex.looksOverTheRecord();
    await sam.looksOverTheRecord();
  },
};
