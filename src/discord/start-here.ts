/**
 * Starting where the command or button was used: through the gate first (gate/admit.ts) — a held
 * couple is told privately, a couple not yet through it sees the two private steps — then the
 * greeting (the reply to the interaction) and the first question.
 */
import type { RepliableInteraction } from 'discord.js';
import { startableFlow } from '../engine/flow-registry.js';
import { reject } from '../engine/rejections.js';
import type { StartRequest } from '../engine/session.js';
import type { BotContext, Handled } from './context.js';
import { admit } from './gate/admit.js';
import { replyPrivately } from './reply.js';
import { startIn } from './starting.js';

/**
 * Starts the session where the command or button was used, greets the two of them there, and asks
 * the first question (the reply to the interaction is the greeting). A refusal is private.
 */
export async function startHere(
  interaction: RepliableInteraction,
  context: BotContext,
  request: StartRequest & { guildId: string },
): Promise<Handled> {
  // Only the flows a couple can choose: a check-in is Mend's to start (an old or forged button).
  if (!startableFlow(context.flows, request.flowId)) {
    await replyPrivately(interaction, reject('unknown-flow').message);
    return { outcome: 'unknown-flow' };
  }
  const admission = await admit(context, request);
  if (admission.kind === 'held') {
    await replyPrivately(interaction, admission.message);
    return { outcome: 'not-available' };
  }
  if (admission.kind === 'waiting') {
    await interaction.reply(admission.payload);
    return { outcome: 'gate-shown' };
  }
  const started = await startIn(context, request);
  if (!started.ok) {
    await replyPrivately(interaction, started.message);
    return { outcome: started.code };
  }
  await interaction.reply(started.intro);
  await context.present.prompt(started.view);
  return { outcome: 'started', view: started.view };
}
