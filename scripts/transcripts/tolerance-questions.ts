/**
 * The two tolerance questions: who goes first is proposed, turned round and agreed; each item is
 * said back (once with "there's more") before it is answered; one changes, one only partly, and
 * the part that stays is one the lister could live with.
 */
import type { TranscriptScript } from './session.js';

const CHANGE_NOTE = 'What could change, or what’s hard?';

export const toleranceQuestions: TranscriptScript = {
  flowId: 'tolerance-questions',
  about:
    'Sam names two things that trouble them; Alex says each back before answering whether they would change it, and Sam says whether they could live with what stays.',
  async play({ alex, sam }) {
    await alex.starts('tolerance-questions');
    await alex.clicks('Yes, I’m ready');
    await sam.clicks('Yes, I’m ready');
    await alex.clicks('I will name mine first');
    await sam.clicks('The other way round');
    await alex.clicks('Yes, that’s right for me');
    await sam.clicks('Write your list');
    await sam.fills({ 'One per line, up to five': 'Plans made without checking with me first\nYour phone at dinner' });

    await alex.writes('When I make plans without asking, you feel left out of our own week.');
    await sam.clicks('Yes, that’s it');
    await alex.writes('It makes sense: it is your week too.');
    await alex.clicks('Yes, I’d change this');
    await alex.fills({ [CHANGE_NOTE]: 'I will text you before I say yes to anything that takes an evening.' });

    await alex.writes('You would like dinner to be time with me, not with my phone.');
    await sam.clicks('There’s more');
    await sam.fills({ 'What’s missing, or what more (optional)': 'It makes me feel less interesting than a screen.' });
    await alex.writes('You want dinner with me, and the phone makes you feel less interesting than a screen.');
    await sam.clicks('Yes, that’s it');
    await alex.writes('That makes sense; I would not like it either.');
    await alex.clicks('Partly');
    await alex.fills({ [CHANGE_NOTE]: 'I will leave it in the hall, except on the nights I am on call.' });
    await sam.clicks('Yes, I could live with it');
    await sam.fills({ 'What makes it bearable, or not?': 'If on-call nights are the only ones.' });

    await alex.clicks('Let’s stop here for today');
    await sam.clicks('Let’s stop here for today');
    await alex.clicks('No check-in');
    await sam.clicks('No check-in');
    await sam.looksOverTheRecord();
    await alex.looksOverTheRecord('I would like us to come back to the rest soon, when we are both rested.');
  },
};
