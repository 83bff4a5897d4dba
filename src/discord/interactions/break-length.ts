/** The break length picked from Pause's menu: the break starts, for both, with its return time. */
import { BREAKS } from '../../engine/break-lengths.js';
import type { SessionInput } from '../../engine/session.js';
import { applyControl } from '../controls.js';
import { defineSelect, noArgs } from '../interaction.js';
import { replyPrivately } from '../reply.js';

const MINUTE = 60_000;

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
