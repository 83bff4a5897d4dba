/**
 * Admitting a mistake, as a couple might go through it: roles agreed, an admission the coach
 * flags and its author rewrites from their own words, a reflection that needs a second round,
 * a promise made concrete on a second try, a question and its answer (corrected before it was
 * read), and a response that takes time.
 */
import type { TranscriptScript } from './session.js';

export const admitMistake: TranscriptScript = {
  flowId: 'admit-mistake',
  about:
    'Alex names something they did; Sam is heard. The private coaching, the rewrite, the reflection that needed a second round and the corrected answer are all here, as each of them saw it.',
  async play({ alex, sam }) {
    await alex.starts('admit-mistake');
    await alex.clicks('I will');
    await sam.clicks('Yes, that’s right for me');
    await alex.clicks('Yes, I’m ready');
    await sam.clicks('Yes, I’m ready');
    await alex.writes('I’m sorry you feel upset, but I only looked at your phone because you were acting strange.');
    await alex.clicks('Rewrite them');
    await alex.fills({
      'What I did': 'Last month I read the messages on your phone without asking, twice, and then I hid that I had.',
    });
    await alex.writes('I imagine it made you feel spied on, and foolish for having trusted me.');
    await sam.clicks('Write your answer');
    await sam.fills({
      'How it affected me': 'I felt exposed. I stopped writing to my sister because I didn’t know who was reading.',
      'Feelings that fit (optional)': ['Exposed', 'Betrayed'],
    });
    await alex.writes('You felt exposed, and you stopped writing to your sister.');
    await sam.clicks('There’s more');
    await sam.fills({ 'What’s missing, or what more (optional)': 'That it made me doubt myself, not only you.' });
    await alex.writes(
      'You felt exposed and stopped writing to your sister, and it made you doubt yourself, not only me.',
    );
    await sam.clicks('Yes, that’s it');
    await alex.writes('It makes sense that you’d doubt yourself: I hid it, so you couldn’t trust what you saw.');
    await sam.writes('Ask me before you touch my phone, and tell me when you feel worried.');
    await alex.writes('I’ll try to be better.');
    await alex.clicks('Rewrite them');
    await alex.fills({
      'What I will do':
        'I will never open your phone. When I feel worried, I will tell you that evening, in words, instead of checking.',
    });
    await sam.clicks('I’d like to ask something first');
    await sam.writes('Why did you hide it afterwards?');
    await alex.writes('Because I was ashamed.');
    await alex.clicks('Change my answer');
    await alex.fills({ 'My answer': 'Because I was ashamed of it, and afraid you would leave if you knew.' });
    await sam.clicks('I need time with this');
    await sam.fills({ 'Anything you’d like to add (optional)': 'Thank you for answering me straight.' });
    await alex.clicks('In a week');
    await sam.clicks('In two weeks');
    // Before the summary is posted, each looks over what it says at a glance.
    await sam.looksOverTheRecord('What I need now is time, not more words. That is not a no.');
    await alex.looksOverTheRecord();
  },
};
