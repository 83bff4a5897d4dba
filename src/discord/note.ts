/**
 * The plain pieces every Discord message of Mend is made of: its colours, markdown-safe text, an
 * embed from a block, and a calm note. User-written text only ever goes into embeds (which never
 * ping), escaped so markdown in an answer cannot break the layout.
 */
import { type APIEmbed, type BaseMessageOptions, escapeMarkdown } from 'discord.js';
import type { EmbedBlock } from './split.js';

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

export const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export const embedOf = (block: EmbedBlock): APIEmbed => {
  const embed: APIEmbed = { description: block.description };
  if (block.title) embed.title = block.title;
  if (block.footer) embed.footer = { text: block.footer };
  if (block.color !== undefined) embed.color = block.color;
  return embed;
};

/** A plain, calm note (no buttons) — for ephemeral replies and channel notices. */
export function notePayload(text: string, title?: string): MessagePayload {
  return {
    content: '',
    embeds: [embedOf({ ...(title ? { title } : {}), description: text, color: COLOR.calm })],
    allowedMentions: { parse: [] },
  };
}
