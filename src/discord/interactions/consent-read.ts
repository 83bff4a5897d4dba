/**
 * "What Mend keeps", on the gate message: shows the one who clicked, privately, what Mend keeps,
 * where, for how long and who can see the channel, with "I agree" and "Not now".
 */
import { buttonRows } from '../components.js';
import { consentNote } from '../gate/consent-note.js';
import { defineButton } from '../interaction.js';
import { replyPrivately } from '../reply.js';
import consent from './consent.js';
import { partnerOfPair } from './pair.js';

export default defineButton<{ a: string; b: string }>({
  name: 'consent-read',
  encode: ({ a, b }) => [a, b],
  parse: ([a, b]) => (a && b ? { a, b } : undefined),
  async run(interaction, context, pair) {
    const partner = await partnerOfPair(interaction, pair);
    if (!partner) return { outcome: 'not-partner' };
    await replyPrivately(interaction, consentNote(context.keeping), {
      title: 'What Mend keeps',
      components: buttonRows(
        { customId: consent.customId({ partner, answer: 'yes' }), label: 'I agree' },
        { customId: consent.customId({ partner, answer: 'no' }), label: 'Not now', style: 'secondary' },
      ),
    });
    return { outcome: 'consent-shown' };
  },
});
