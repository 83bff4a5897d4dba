/** Who a message notifies. `everyone` and `here` are separate because Discord treats them so in `parse`. */
export interface Pings {
  users: string[];
  roles: string[];
  everyone: boolean;
  here: boolean;
}

export const NO_PINGS: Pings = Object.freeze({ users: [], roles: [], everyone: false, here: false }) as Pings;

/** The `allowed_mentions` object as the bot sent it (absent means Discord's default: parse everything). */
export interface AllowedMentions {
  parse?: (string | null)[] | null;
  users?: (string | null)[] | null;
  roles?: (string | null)[] | null;
  replied_user?: boolean | null;
}

/** What the sender and the guild allow beyond `allowed_mentions`. */
export interface PingRules {
  /** @everyone, @here and unmentionable roles only ping when the sender has Mention Everyone. */
  senderCanMentionEveryone: boolean;
  isRoleMentionable(roleId: string): boolean;
  /** Author of the message this one replies to, if any (pinged unless `replied_user` says no). */
  repliedUserId: string | null;
}

export interface MentionsInText {
  users: string[];
  roles: string[];
  everyone: boolean;
  here: boolean;
}

/**
 * Finds mention syntax in text. Code blocks are not excluded: the emulator errs on the side of "this could ping",
 * since its job is to catch user-written text that might notify someone.
 */
export function mentionsInText(text: string): MentionsInText {
  const users = [...text.matchAll(/<@!?(\d{15,21})>/g)].map((m) => m[1] as string);
  const roles = [...text.matchAll(/<@&(\d{15,21})>/g)].map((m) => m[1] as string);
  return {
    users: unique(users),
    roles: unique(roles),
    everyone: text.includes('@everyone'),
    here: text.includes('@here'),
  };
}

/**
 * Who Discord would notify for this text, following its rules: no `allowed_mentions` parses everything; with it,
 * a mention pings only if its type is in `parse` or its id is listed in `users`/`roles`. Embeds never ping, so
 * callers pass only message content (and Components V2 text displays).
 */
export function pingsOf(text: string, allowed: AllowedMentions | null | undefined, rules: PingRules): Pings {
  const found = mentionsInText(text);
  const parse = allowed ? (allowed.parse ?? []) : ['users', 'roles', 'everyone'];
  const listedUsers = new Set(allowed?.users ?? []);
  const listedRoles = new Set(allowed?.roles ?? []);
  const users = parse.includes('users') ? found.users : found.users.filter((id) => listedUsers.has(id));
  const roles = (parse.includes('roles') ? found.roles : found.roles.filter((id) => listedRoles.has(id))).filter(
    (id) => rules.senderCanMentionEveryone || rules.isRoleMentionable(id),
  );
  const mayPingEveryone = parse.includes('everyone') && rules.senderCanMentionEveryone;
  const pingsRepliedUser = allowed ? allowed.replied_user === true : true;
  if (rules.repliedUserId && pingsRepliedUser) users.push(rules.repliedUserId);
  return {
    users: unique(users),
    roles,
    everyone: mayPingEveryone && found.everyone,
    here: mayPingEveryone && found.here,
  };
}

export function mergePings(a: Pings, b: Pings): Pings {
  return {
    users: unique([...a.users, ...b.users]),
    roles: unique([...a.roles, ...b.roles]),
    everyone: a.everyone || b.everyone,
    here: a.here || b.here,
  };
}

/** Discord rejects `parse: ['users']` together with a `users` list (and the same for roles). */
export function allowedMentionsProblems(allowed: AllowedMentions | null | undefined): string[] {
  if (!allowed) return [];
  const problems: string[] = [];
  const parse = allowed.parse ?? [];
  if (parse.includes('users') && (allowed.users?.length ?? 0) > 0) {
    problems.push('allowed_mentions: parse ["users"] and a users list are mutually exclusive');
  }
  if (parse.includes('roles') && (allowed.roles?.length ?? 0) > 0) {
    problems.push('allowed_mentions: parse ["roles"] and a roles list are mutually exclusive');
  }
  return problems;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
