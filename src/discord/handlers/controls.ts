/**
 * Pause, break length, end (with a confirmation) and resume — open to either partner from any
 * prompt, and refused kindly to anyone else.
 */
import {
  ActionRowBuilder,
  ButtonBuilder,
  type ButtonInteraction,
  ButtonStyle,
  MessageFlags,
  StringSelectMenuBuilder,
  type StringSelectMenuInteraction,
} from 'discord.js';
import { partnerOf, type SessionInput } from '../../engine/session.js';
import type { BotContext } from '../context.js';
import { encodeCustomId } from '../custom-ids.js';
import { postPrompt, publishOutcome } from '../publish.js';
import { notePayload } from '../render.js';
import { noteSession } from '../trace.js';
import { channelOf } from './answer.js';

const ephemeral = MessageFlags.Ephemeral;
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

/** Who is asking, when it is one of the two partners; otherwise a kind refusal is sent. */
async function partnerOrRefuse(
  interaction: ButtonInteraction | StringSelectMenuInteraction,
  context: BotContext,
): Promise<boolean> {
  const view = await context.sessions.view(channelOf(interaction));
  noteSession(interaction, view);
  if (!view) {
    await interaction.reply({
      ...notePayload('There is no conversation running here right now. Type /talk to start one.'),
      flags: ephemeral,
    });
    return false;
  }
  if (!partnerOf(view.record, interaction.user.id)) {
    await interaction.reply({
      ...notePayload(
        'This conversation belongs to two other people, so I kept it as it was. Thanks for understanding.',
      ),
      flags: ephemeral,
    });
    return false;
  }
  return true;
}

export async function askBreakLength(interaction: ButtonInteraction, context: BotContext): Promise<string> {
  if (!(await partnerOrRefuse(interaction, context))) return 'refused';
  await interaction.reply({
    ...notePayload('How long a break would help? I’ll remind you both when it’s time.', 'Take a break'),
    components: [
      new ActionRowBuilder<StringSelectMenuBuilder>()
        .addComponents(
          new StringSelectMenuBuilder()
            .setCustomId(encodeCustomId({ action: 'break' }))
            .setPlaceholder('Choose how long')
            .addOptions(BREAKS.map((b) => ({ label: b.label, value: b.value }))),
        )
        .toJSON(),
    ],
    flags: ephemeral,
  });
  return 'asked-break-length';
}

async function applyControl(
  interaction: ButtonInteraction | StringSelectMenuInteraction,
  context: BotContext,
  input: Omit<SessionInput, 'userId'>,
  done: string,
): Promise<string> {
  const channelId = channelOf(interaction);
  const outcome = await context.sessions.apply(channelId, { ...input, userId: interaction.user.id });
  noteSession(interaction, outcome.ok ? outcome.previous : outcome.view);
  if (!outcome.ok) {
    await interaction.reply({ ...notePayload(outcome.rejection.message), flags: ephemeral });
    return outcome.rejection.code;
  }
  await interaction.update({ ...notePayload(done), components: [] });
  await publishOutcome(context, outcome);
  return 'accepted';
}

export async function startBreak(interaction: StringSelectMenuInteraction, context: BotContext): Promise<string> {
  const choice = BREAKS.find((b) => b.value === interaction.values[0]);
  if (!choice) {
    await interaction.reply({
      ...notePayload('Please choose one of the break lengths on the list.'),
      flags: ephemeral,
    });
    return 'unknown-break';
  }
  const input: Omit<SessionInput, 'userId'> = { id: `pause:${interaction.id}`, action: 'pause' };
  if (choice.minutes > 0) input.until = context.now() + choice.minutes * MINUTE;
  return applyControl(interaction, context, input, 'Your break has started. Nothing you wrote is lost.');
}

export async function confirmEnd(interaction: ButtonInteraction, context: BotContext): Promise<string> {
  if (!(await partnerOrRefuse(interaction, context))) return 'refused';
  await interaction.reply({
    ...notePayload(
      'End this conversation now? Everything written so far goes into the summary for you both. You can always start again later.',
      'End the conversation?',
    ),
    components: [
      new ActionRowBuilder<ButtonBuilder>()
        .addComponents(
          new ButtonBuilder()
            .setCustomId(encodeCustomId({ action: 'end-confirm' }))
            .setLabel('Yes, end it')
            .setStyle(ButtonStyle.Danger),
        )
        .toJSON(),
    ],
    flags: ephemeral,
  });
  return 'asked-to-confirm-end';
}

export async function endNow(interaction: ButtonInteraction, context: BotContext): Promise<string> {
  return applyControl(
    interaction,
    context,
    { id: `end:${interaction.id}`, action: 'end' },
    'The conversation has ended.',
  );
}

export async function resume(interaction: ButtonInteraction, context: BotContext): Promise<string> {
  const channelId = channelOf(interaction);
  const view = await context.sessions.view(channelId);
  if (!(await partnerOrRefuse(interaction, context)) || !view) return 'refused';
  if (view.status !== 'paused') {
    // Not on a break: "show where we are" — post the current prompt again.
    await interaction.reply({ ...notePayload('Here is where you are.'), flags: ephemeral });
    await postPrompt(context, view);
    return 'reposted';
  }
  const outcome = await context.sessions.apply(channelId, {
    id: `resume:${interaction.id}`,
    userId: interaction.user.id,
    action: 'resume',
  });
  if (!outcome.ok) {
    await interaction.reply({ ...notePayload(outcome.rejection.message), flags: ephemeral });
    return outcome.rejection.code;
  }
  if (outcome.view.status === 'paused') {
    await interaction.reply({
      ...notePayload('Thank you. The conversation continues once your partner confirms too.'),
      flags: ephemeral,
    });
    return 'resume-vote';
  }
  await interaction.reply({ ...notePayload('Welcome back. Picking up where you left off.'), flags: ephemeral });
  await publishOutcome(context, outcome);
  return 'resumed';
}
