/**
 * /export: either partner takes a private copy of what Mend keeps about the two of them — a readable
 * Markdown record and the complete JSON — e.g. for a counsellor. Only what they may see: their own
 * answers, and their partner's as their partner shared them (engine/export.ts decides). Sent to them
 * alone, split over several files and messages where Discord's limits ask for it.
 */
import { AttachmentBuilder, InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import { findCoupleRecords } from '../../engine/couple-records.js';
import { buildExport, isEmptyExport } from '../../engine/export.js';
import { exportFiles } from '../../engine/export-files.js';
import { defineCommand } from '../interaction.js';
import { notePayload, safeText } from '../note.js';
import { replyPrivately } from '../reply.js';
import { displayName } from '../starting.js';

/** Discord's limit per file for a server without boosts, when an interaction does not say its own. */
const DEFAULT_FILE_LIMIT = 10 * 1024 * 1024;
/** Discord takes at most ten attachments on one message. */
const FILES_PER_MESSAGE = 10;

const note = (partner: string, files: number, messages: number) =>
  [
    'Here is your copy: a readable record of your conversations, promises and summaries (Markdown), and everything Mend keeps about the two of you that you may see (JSON).',
    `These files are for you alone — nobody else was sent them. Answers ${partner} hasn’t shown you yet are not included, nor anything of ${partner}’s safety check. Discord messages already posted are not in it beyond the summaries.`,
    ...(messages > 1
      ? [`It is large, so it comes in ${files} files over ${messages} messages; the parts are numbered.`]
      : []),
  ].join('\n\n');

export default defineCommand({
  name: 'export',
  data: () =>
    new SlashCommandBuilder()
      .setName('export')
      .setDescription('Get a private copy of what Mend keeps about you and your partner')
      .setContexts(InteractionContextType.Guild)
      .addUserOption((option) => option.setName('partner').setDescription('Your partner').setRequired(true))
      .toJSON(),
  async execute(interaction, context) {
    const partner = interaction.options.getUser('partner', true);
    if (!interaction.inCachedGuild() || partner.bot || partner.id === interaction.user.id) {
      await replyPrivately(interaction, 'Please name your partner: `/export partner:@…`.');
      return { outcome: 'bad-partner' };
    }
    // Reading every record of theirs may take a moment: the reply comes when the files are ready.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const requester = { id: interaction.user.id, name: displayName(interaction.user, interaction.member.nickname) };
    const other = { id: partner.id, name: displayName(partner, interaction.options.getMember('partner')?.nickname) };
    const records = await findCoupleRecords(context.store, interaction.guildId, requester.id, other.id);
    const doc = buildExport({ records, flows: context.flows, requester, partner: other, now: context.now() });
    // Decided on what they may see, not on what is stored: a record only their partner's hold keeps
    // must look exactly like no record at all.
    if (isEmptyExport(doc)) {
      await interaction.editReply(
        notePayload(
          `Mend keeps nothing about you and ${safeText(other.name)} together, so there is nothing to export. If you meant someone else, try \`/export\` with their name.`,
        ),
      );
      return { outcome: 'nothing-to-export' };
    }
    const files = exportFiles(doc, interaction.attachmentSizeLimit || DEFAULT_FILE_LIMIT).map(
      (file) => new AttachmentBuilder(file.data, { name: file.name }),
    );
    const batches: AttachmentBuilder[][] = [];
    for (let i = 0; i < files.length; i += FILES_PER_MESSAGE) batches.push(files.slice(i, i + FILES_PER_MESSAGE));
    const [first = [], ...rest] = batches;
    const words = note(safeText(other.name), files.length, batches.length);
    await interaction.editReply({ ...notePayload(words, 'Your copy'), files: first });
    for (const batch of rest) {
      await interaction.followUp({ files: batch, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    }
    return { outcome: 'exported' };
  },
});
