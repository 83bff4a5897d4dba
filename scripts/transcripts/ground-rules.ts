/**
 * Ground rules for a hard talk: one base rule one of them can't promise yet (with why), a rule of
 * their own (the first try, invisible characters only, is refused), a topic each, and the talk
 * with the floor passing between them, a paraphrase that needed a second go, and the points each
 * agrees on.
 */
import type { TranscriptScript } from './session.js';

const NOTE = 'What would help you keep it? (optional)';

export const groundRules: TranscriptScript = {
  flowId: 'ground-rules',
  about:
    'Alex and Sam agree how they will talk, then talk taking turns with the floor: each says back what they heard before answering.',
  async play({ alex, sam }) {
    await alex.starts('ground-rules');
    await alex.clicks('Yes, I’m ready');
    await sam.clicks('Yes, I’m ready');
    for (let rule = 1; rule <= 4; rule++) {
      await alex.clicks('I’ll keep this rule');
      await alex.fills({});
      if (rule === 2) {
        await sam.clicks('I can’t promise this one');
        await sam.fills({ [NOTE]: 'I cut in when I’m scared of being misunderstood. I can ask for a pause instead.' });
      } else {
        await sam.clicks('I’ll keep this rule');
        await sam.fills({});
      }
    }
    await alex.clicks('Add a rule');
    await alex.fills({ 'Your rule': '\u200B\u200B' });
    await alex.clicks('Add a rule');
    await alex.fills({ 'Your rule': 'If one of us starts to cry, we stop for a minute and sit together.' });
    await sam.clicks('Nothing to add');
    await sam.clicks('Yes, I’ll keep it');
    await sam.fills({});
    await alex.clicks('Nothing to add');
    await sam.clicks('Nothing to add');
    await alex.writes('How we split the evenings since the baby came.');
    await sam.writes('Feeling alone with the night feeds.');
    await alex.clicks('Take turns with the floor');
    await sam.clicks('Take turns with the floor');
    await sam.clicks('I’ve said my piece');
    await sam.fills({
      'The gist, if you want it written (optional)': 'I feel alone at night, and I need you to take a feed.',
    });
    await alex.writes('You feel alone at night and want me to take a feed.');
    await sam.clicks('Not quite');
    await sam.fills({ 'What was missed (optional)': 'Not only the feed: I need to know you see how hard it is.' });
    await alex.writes('You feel alone, and you need me to see how hard the nights are, not only to help.');
    await sam.clicks('Yes, that’s it');
    await alex.clicks('I’ve said my piece');
    await alex.fills({
      'The gist, if you want it written (optional)': 'I’m exhausted too, and I go quiet instead of saying so.',
    });
    await sam.writes('You’re exhausted too, and you go quiet rather than say it.');
    await alex.clicks('Yes, that’s it');
    await sam.clicks('Nothing more from me');
    await alex.clicks('Nothing more from me');
    await alex.clicks('Write your list');
    await alex.fills({
      'Points we agree on':
        'The nights are hard for both of us\nWe take turns with the late feed\nWe say it when we are too tired',
    });
    await sam.clicks('Write your list');
    await sam.fills({
      'Points we agree on':
        'The nights are hard for both of us\nWe take turns with the late feed\nWe ask for a pause rather than cut in',
    });
    await alex.clicks('In a month');
    await sam.clicks('In a month');
    await alex.looksOverTheRecord();
    await sam.looksOverTheRecord();
  },
};
