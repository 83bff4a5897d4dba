/**
 * Files the bot sent in answer to something a person did (an export): read back from the local
 * Discord, which keeps every attachment's bytes, in the order they came — the reply's first, then
 * each follow-up's.
 */
import type { APIMessage } from 'discord.js';
import type { BotResponse, LocalDiscord } from './discord/index.js';

export interface SentFile {
  name: string;
  text: string;
  bytes: number;
  /** The message it came on (files beyond one message's ten come in follow-ups). */
  message: APIMessage;
}

export function filesSentIn(discord: LocalDiscord, response: BotResponse): SentFile[] {
  const messages = [response.message, ...response.followUps].filter((m): m is APIMessage => m !== null);
  return messages.flatMap((message) =>
    message.attachments.map((attachment) => {
      const data = discord.attachment(message, attachment.filename);
      return { name: attachment.filename, text: data.toString('utf8'), bytes: data.length, message };
    }),
  );
}
