/** The break length picked from Pause's menu: the break starts, for both, with its return time. */
import type { SessionInput } from '../../engine/session.js';
import { applyControl } from '../controls.js';
import { defineSelect, noArgs } from '../interaction.js';
import { replyPrivately } from '../reply.js';

const MINUTE = 60_000;

/** Break lengths offered (20 minutes to 24 hours, as PRODUCT.md asks); 0 = no set time. */
export const BREAKS = [
  { value: '20', label: '20 minutes', minutes: 20 },
  { value: '60', label: 'An hour', minutes: 60 },
  { value: '180', label: 'Three hours', minutes: 180 },
  { value: '720', label: 'Until later today (12 hours)', minutes: 720 },
  { value: '1440', label: 'Until tomorrow (24 hours)', minutes: 1440 },
  { value: '0', label: 'No set time — we’ll pick it up', minutes: 0 },
] as const;

export default defineSelect({
  name: 'break',
  ...noArgs,
  async run(interaction, context) {
    const choice = BREAKS.find((b) => b.value === interaction.values[0]);
    if (!choice) {
      await replyPrivately(interaction, 'Please choose one of the break lengths on the list.');
      return { outcome: 'unknown-break' };
    }
    const input: Omit<SessionInput, 'userId'> = { id: `pause:${interaction.id}`, action: 'pause' };
    if (choice.minutes > 0) input.until = context.now() + choice.minutes * MINUTE;
    return applyControl(interaction, context, input, 'Your break has started. Nothing you wrote is lost.');
  },
});
