/**
 * Renders what the engine describes — a prompt, answers just revealed, a break — as Discord
 * messages. It holds no conversation logic: everything comes from the prompt meta.
 * User-written text only ever goes into embeds (which never ping), escaped so markdown in an
 * answer cannot break the layout; `allowedMentions` names only the partner whose turn it is.
 */
import {
  ActionRowBuilder,
  type APIEmbed,
  type BaseMessageOptions,
  ButtonBuilder,
  ButtonStyle,
  escapeMarkdown,
  LabelBuilder,
  ModalBuilder,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
  TimestampStyles,
  time,
  userMention,
} from 'discord.js';
import type { AnswerRecord, InputSpec, Option, PartnerId } from '../engine/flow-kit.js';
import { answerText } from '../engine/flow-kit.js';
import { fillNames, type Prompt } from '../engine/prompt.js';
import type { SessionView } from '../engine/session.js';
import { encodeCustomId, FIELD } from './custom-ids.js';
import { type EmbedBlock, LIMITS, packMessages, sectionBlocks } from './split.js';

export const COLOR = { prompt: 0x6c8ebf, answer: 0x9aa5b1, calm: 0x7fb685, pause: 0xc9a66b } as const;

export type MessagePayload = BaseMessageOptions & {
  allowedMentions: NonNullable<BaseMessageOptions['allowedMentions']>;
};

/** Escapes every markdown construct, so an answer is shown exactly as typed and nothing else. */
export function safeText(text: string): string {
  return escapeMarkdown(text, {
    bulletedList: true,
    numberedList: true,
    heading: true,
    maskedLink: true,
    codeBlockContent: true,
    inlineCodeContent: true,
  });
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

const names = (view: SessionView) => (text: string) => fillNames(text, view.context.roles, view.nameOf);

const idOf = (view: SessionView, partner: PartnerId) => view.record.partners[partner].id;

const embedOf = (block: EmbedBlock): APIEmbed => {
  const embed: APIEmbed = { description: block.description };
  if (block.title) embed.title = block.title;
  if (block.footer) embed.footer = { text: block.footer };
  if (block.color !== undefined) embed.color = block.color;
  return embed;
};

/** Who is asked, said plainly: "Sam, it's your turn." / "Alex and Sam, you each answer this one." */
function turnLine(view: SessionView, prompt: Prompt): string {
  const mentions = prompt.awaiting.map((p) => userMention(idOf(view, p)));
  if (prompt.both && prompt.answered.length > 0) {
    return `${mentions.join(' and ')}, your answer is the one still to come.`;
  }
  if (prompt.both) return `${mentions.join(' and ')}, you each answer this one.`;
  return `${mentions.join(' and ')}, it's your turn.`;
}

/** The buttons that answer a prompt, from its input spec. */
function answerRows(prompt: Prompt): ActionRowBuilder<ButtonBuilder>[] {
  const input = prompt.input;
  if (input.kind === 'choice') {
    const buttons = input.options.map((option) =>
      new ButtonBuilder()
        .setCustomId(
          encodeCustomId(
            input.note
              ? { action: 'write', key: prompt.key, choice: option.value }
              : { action: 'choose', key: prompt.key, choice: option.value },
          ),
        )
        .setLabel(clip(option.label, LIMITS.buttonLabel))
        .setStyle(ButtonStyle.Primary),
    );
    const rows: ActionRowBuilder<ButtonBuilder>[] = [];
    for (let i = 0; i < buttons.length; i += 5)
      rows.push(new ActionRowBuilder<ButtonBuilder>().addComponents(buttons.slice(i, i + 5)));
    return rows;
  }
  const label = input.kind === 'list' ? 'Write your points' : 'Write your answer';
  return [
    new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder()
        .setCustomId(encodeCustomId({ action: 'write', key: prompt.key }))
        .setLabel(label)
        .setStyle(ButtonStyle.Primary),
    ),
  ];
}

const controlRow = () =>
  new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(encodeCustomId({ action: 'pause' }))
      .setLabel('Pause')
      .setStyle(ButtonStyle.Secondary),
    new ButtonBuilder()
      .setCustomId(encodeCustomId({ action: 'end' }))
      .setLabel('End')
      .setStyle(ButtonStyle.Secondary),
  );

function quoteLines(view: SessionView, prompt: Prompt): string {
  return prompt.quotes
    .map((q) => {
      const heading = q.label ? names(view)(q.label) : `${view.nameOf(q.by)} wrote`;
      const body = safeText(q.text)
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
      return `**${safeText(heading)}**\n${body}`;
    })
    .join('\n\n');
}

/** The message that asks a prompt in the channel. Private prompts show only that someone is busy. */
export function promptMessages(view: SessionView, prompt: Prompt): MessagePayload[] {
  const fill = names(view);
  const footer = `${view.flow.title} · Pause or End are there for either of you, any time.`;
  if (prompt.private) {
    const who = prompt.awaiting.map((p) => view.nameOf(p)).join(' and ');
    return [
      {
        content: '',
        embeds: [
          embedOf({
            title: 'A moment to look over their words',
            description: `${safeText(who)} is taking a moment with what they wrote. It will only take a minute.`,
            color: COLOR.calm,
          }),
        ],
        components: [
          new ActionRowBuilder<ButtonBuilder>()
            .addComponents(
              new ButtonBuilder()
                .setCustomId(encodeCustomId({ action: 'open', key: prompt.key }))
                .setLabel('Continue (just for you)')
                .setStyle(ButtonStyle.Primary),
            )
            .toJSON(),
          controlRow().toJSON(),
        ],
        allowedMentions: { parse: [] },
      },
    ];
  }
  const parts = [safeText(fill(prompt.text))];
  if (prompt.why) parts.push(`*${safeText(fill(prompt.why))}*`);
  if (prompt.sealed) parts.push('🔒 Your answers stay hidden until you have both answered, then appear together.');
  const quoted = quoteLines(view, prompt);
  const blocks = sectionBlocks(clip(fill(prompt.title), LIMITS.embedTitle), parts.join('\n\n'), COLOR.prompt);
  if (quoted) blocks.push(...sectionBlocks('What was said', quoted, COLOR.answer));
  const last = blocks[blocks.length - 1];
  if (last) last.footer = footer;
  const messages = packMessages(blocks);
  return messages.map((embeds, i) => {
    const final = i === messages.length - 1;
    const payload: MessagePayload = {
      content: i === 0 ? turnLine(view, prompt) : '',
      embeds: embeds.map(embedOf),
      components: final ? [...answerRows(prompt).map((r) => r.toJSON()), controlRow().toJSON()] : [],
      allowedMentions: i === 0 ? { parse: [], users: prompt.awaiting.map((p) => idOf(view, p)) } : { parse: [] },
    };
    return payload;
  });
}

/** A private prompt, shown only to its author (as an ephemeral reply). */
export function privatePromptPayload(view: SessionView, prompt: Prompt): MessagePayload {
  const fill = names(view);
  const parts = [safeText(fill(prompt.text))];
  const quoted = quoteLines(view, prompt);
  if (quoted) parts.push(quoted);
  const blocks = sectionBlocks(clip(fill(prompt.title), LIMITS.embedTitle), parts.join('\n\n'), COLOR.calm);
  return {
    content: 'Only you can see this.',
    embeds: packMessages(blocks)[0]?.map(embedOf) ?? [],
    components: answerRows(prompt).map((r) => r.toJSON()),
    allowedMentions: { parse: [] },
  };
}

/** How an answer reads in the channel, attributed (by name, never a ping). */
export function answerMessages(view: SessionView, answers: AnswerRecord[]): MessagePayload[] {
  const blocks = answers.flatMap((answer) => {
    const spec = view.flow.steps.get(answer.step);
    const options = spec?.input.kind === 'choice' ? spec.input.options : undefined;
    const title = `${view.nameOf(answer.by)} · ${spec ? names(view)(spec.title) : answer.step}`;
    const about = answer.about ? `*About:* ${safeText(answer.about)}\n\n` : '';
    return sectionBlocks(title, `${about}${safeText(answerText(answer.value, options))}`, COLOR.answer);
  });
  return packMessages(blocks).map((embeds) => ({
    content: '',
    embeds: embeds.map(embedOf),
    allowedMentions: { parse: [] },
  }));
}

/** The prompt message once answered: the buttons go, the question stays readable. */
export function answeredPromptPayload(view: SessionView, prompt: Prompt, waitingOn: PartnerId[]): MessagePayload {
  const fill = names(view);
  const line =
    waitingOn.length > 0
      ? `✓ ${prompt.answered.map((p) => view.nameOf(p)).join(' and ')} answered — waiting for ${waitingOn.map((p) => view.nameOf(p)).join(' and ')}.`
      : '✓ Answered.';
  return {
    content: '',
    embeds: [
      embedOf({ title: clip(fill(prompt.title), LIMITS.embedTitle), description: safeText(line), color: COLOR.answer }),
    ],
    components: waitingOn.length > 0 ? [...answerRows(prompt).map((r) => r.toJSON()), controlRow().toJSON()] : [],
    allowedMentions: { parse: [] },
  };
}

/** The answer form for a prompt: a modal whose fields come from the input spec. */
export function answerModal(view: SessionView, prompt: Prompt, choice?: Option): ModalBuilder {
  const fill = names(view);
  const modal = new ModalBuilder()
    .setCustomId(encodeCustomId({ action: 'form', key: prompt.key, ...(choice ? { choice: choice.value } : {}) }))
    .setTitle(clip(fill(prompt.title), LIMITS.modalTitle));
  const input: InputSpec = prompt.input;
  if (input.kind === 'text') {
    modal.addLabelComponents(
      new LabelBuilder()
        .setLabel(clip(fill(input.label), LIMITS.inputLabel))
        .setDescription(clip(fill(prompt.text), 100))
        .setTextInputComponent(
          new TextInputBuilder()
            .setCustomId(FIELD.text)
            .setStyle(TextInputStyle.Paragraph)
            .setMinLength(Math.max(1, input.min))
            .setMaxLength(Math.min(input.max, LIMITS.inputValue))
            .setRequired(true)
            .setPlaceholder(clip(input.placeholder ?? 'Take your time.', 100)),
        ),
    );
    if (input.picker) {
      modal.addLabelComponents(
        new LabelBuilder().setLabel(clip(input.picker.label, LIMITS.inputLabel)).setStringSelectMenuComponent(
          new StringSelectMenuBuilder()
            .setCustomId(FIELD.picks)
            .setRequired(false)
            .setMinValues(0)
            .setMaxValues(Math.min(input.picker.max, input.picker.options.length))
            .addOptions(
              input.picker.options
                .slice(0, LIMITS.selectOptions)
                .map((o) => ({ label: clip(o.label, 100), value: o.value })),
            ),
        ),
      );
    }
  } else if (input.kind === 'list') {
    modal.addLabelComponents(
      new LabelBuilder()
        .setLabel(clip(fill(input.label), LIMITS.inputLabel))
        .setDescription(clip(`One per line: at least ${input.min}, at most ${input.max}.`, 100))
        .setTextInputComponent(
          new TextInputBuilder()
            .setCustomId(FIELD.items)
            .setStyle(TextInputStyle.Paragraph)
            .setMaxLength(Math.min(input.max * (input.itemMax + 1), LIMITS.inputValue))
            .setRequired(true)
            .setPlaceholder(clip(input.placeholder ?? 'One point per line', 100)),
        ),
    );
  } else if (input.note) {
    modal.addLabelComponents(
      new LabelBuilder()
        .setLabel(clip(input.note.label, LIMITS.inputLabel))
        .setDescription(clip(`You chose: ${choice?.label ?? ''}`, 100))
        .setTextInputComponent(
          new TextInputBuilder()
            .setCustomId(FIELD.note)
            .setStyle(TextInputStyle.Paragraph)
            .setRequired(input.note.min > 0)
            .setMaxLength(Math.min(input.note.max, LIMITS.inputValue))
            .setPlaceholder(clip(input.note.placeholder ?? 'A few words, if you like.', 100)),
        ),
    );
  }
  return modal;
}

/** The break message: who asked, until when, and how to pick it up again. */
export function pausedPayload(view: SessionView): MessagePayload {
  const pause = view.context.pause;
  const who = pause && pause.by !== 'system' ? view.nameOf(pause.by) : 'Mend';
  const until = pause?.until ? ` until ${time(Math.floor(pause.until / 1000), TimestampStyles.ShortDateTime)}` : '';
  const safety = pause?.safety
    ? 'This conversation is paused for now. It will continue only when you both confirm, and talking with a counsellor first may help.'
    : `${safeText(who)} asked for a break${until}. Take the time you need — nothing you wrote is lost.`;
  return {
    content: '',
    embeds: [embedOf({ title: 'On a break', description: safety, color: COLOR.pause })],
    components: [
      new ActionRowBuilder<ButtonBuilder>()
        .addComponents(
          new ButtonBuilder()
            .setCustomId(encodeCustomId({ action: 'resume' }))
            .setLabel(pause?.safety ? 'I am ready to continue' : 'Pick it up again')
            .setStyle(ButtonStyle.Primary),
          new ButtonBuilder()
            .setCustomId(encodeCustomId({ action: 'end' }))
            .setLabel('End')
            .setStyle(ButtonStyle.Secondary),
        )
        .toJSON(),
    ],
    allowedMentions: { parse: [] },
  };
}

/** A plain, calm note (no buttons) — for ephemeral replies and channel notices. */
export function notePayload(text: string, title?: string): MessagePayload {
  return {
    content: '',
    embeds: [embedOf({ ...(title ? { title } : {}), description: text, color: COLOR.calm })],
    allowedMentions: { parse: [] },
  };
}

export const mentionOf = userMention;
