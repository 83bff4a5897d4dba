/**
 * The couple's private channel: telling whether a channel is private to the two of them, and
 * making one when it is not (only the two partners and the bot can see it).
 */
import {
  ChannelType,
  type Guild,
  type GuildBasedChannel,
  OverwriteType,
  PermissionFlagsBits,
  type TextChannel,
} from 'discord.js';

/** What the bot needs in the couple's channel. */
export const BOT_CHANNEL_PERMISSIONS = [
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.ReadMessageHistory,
] as const;

/** Only permissions the bot itself holds can be granted in an overwrite, so keep these within the invite's. */
const PARTNER_PERMISSIONS = [
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.ReadMessageHistory,
] as const;

/**
 * The permissions the invite link asks for, and why: see the README's "Invite" section (a test
 * keeps the number there equal to this one).
 */
export const INVITE_PERMISSIONS = [
  PermissionFlagsBits.ViewChannel, // see the couple's channel and its slash commands
  PermissionFlagsBits.SendMessages, // post prompts, notices and the summary
  PermissionFlagsBits.EmbedLinks, // prompts and summaries are embeds
  PermissionFlagsBits.ReadMessageHistory, // edit its own earlier prompts (mark them answered)
  PermissionFlagsBits.ManageChannels, // create a private channel for a couple, when asked
].reduce((all, bit) => all | bit, 0n);

/**
 * Private to the couple: @everyone cannot view it, and both partners can. (Server admins and
 * anyone with Administrator still can — the README's privacy section says so.)
 */
export async function isPrivateToCouple(channel: GuildBasedChannel, partnerIds: [string, string]): Promise<boolean> {
  const guild = channel.guild;
  if (channel.permissionsFor(guild.roles.everyone)?.has(PermissionFlagsBits.ViewChannel)) return false;
  for (const id of partnerIds) {
    const member = guild.members.cache.get(id) ?? (await guild.members.fetch(id).catch(() => undefined));
    if (!member || !channel.permissionsFor(member)?.has(PermissionFlagsBits.ViewChannel)) return false;
  }
  return true;
}

export type CreateChannelResult =
  | { ok: true; channel: TextChannel }
  | { ok: false; reason: 'missing-permission' | 'failed'; message: string };

const slug = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 20) || 'partner';

export async function createCoupleChannel(
  guild: Guild,
  partners: [{ id: string; name: string }, { id: string; name: string }],
  botId: string,
): Promise<CreateChannelResult> {
  const me = guild.members.me ?? (await guild.members.fetchMe().catch(() => undefined));
  if (!me?.permissions.has(PermissionFlagsBits.ManageChannels)) {
    return {
      ok: false,
      reason: 'missing-permission',
      message:
        'I can’t create a private channel here: I need the **Manage Channels** permission. A server admin can grant it — or create a channel only the two of you (and Mend) can see, and type /talk there.',
    };
  }
  try {
    const channel = await guild.channels.create({
      name: `mend-${slug(partners[0].name)}-${slug(partners[1].name)}`,
      type: ChannelType.GuildText,
      topic: 'A private space for the two of you, with Mend.',
      permissionOverwrites: [
        { id: guild.roles.everyone.id, type: OverwriteType.Role, deny: [PermissionFlagsBits.ViewChannel] },
        { id: partners[0].id, type: OverwriteType.Member, allow: [...PARTNER_PERMISSIONS] },
        { id: partners[1].id, type: OverwriteType.Member, allow: [...PARTNER_PERMISSIONS] },
        { id: botId, type: OverwriteType.Member, allow: [...BOT_CHANNEL_PERMISSIONS] },
      ],
    });
    return { ok: true, channel };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 50013) {
      return {
        ok: false,
        reason: 'missing-permission',
        message:
          'Discord refused to let me create the channel (missing permissions). A server admin can give Mend **Manage Channels**, or make a private channel for you two and type /talk there.',
      };
    }
    return {
      ok: false,
      reason: 'failed',
      message:
        'Something went wrong creating your private channel. Nothing was started — please try again in a moment.',
    };
  }
}
