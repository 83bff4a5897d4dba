/**
 * An error response exactly as Discord shapes it (`{ message, code, errors? }`), thrown by route handlers and
 * turned into the HTTP response by the router. discord.js turns these into `DiscordAPIError` with the same code.
 */
export class DiscordHttpError extends Error {
  /** Why the emulator answered this way, kept in the request log (Discord itself never says). */
  note: string | null = null;

  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Record<string, unknown>,
  ) {
    super(message);
  }

  withNote(note: string): this {
    this.note = note;
    return this;
  }

  body(): Record<string, unknown> {
    return { message: this.message, code: this.code, ...(this.errors ? { errors: this.errors } : {}) };
  }
}

export const unauthorized = () => new DiscordHttpError(401, 0, '401: Unauthorized');
export const notFound = () => new DiscordHttpError(404, 0, '404: Not Found');
export const unknownChannel = () => new DiscordHttpError(404, 10003, 'Unknown Channel');
export const unknownGuild = () => new DiscordHttpError(404, 10004, 'Unknown Guild');
export const unknownUser = () => new DiscordHttpError(404, 10013, 'Unknown User');
export const unknownMember = () => new DiscordHttpError(404, 10007, 'Unknown Member');
export const unknownMessage = () => new DiscordHttpError(404, 10008, 'Unknown Message');
export const unknownWebhook = () => new DiscordHttpError(404, 10015, 'Unknown Webhook');
export const unknownApplication = () => new DiscordHttpError(404, 10002, 'Unknown Application');
export const unknownInteraction = () => new DiscordHttpError(404, 10062, 'Unknown interaction');
export const missingAccess = () => new DiscordHttpError(403, 50001, 'Missing Access');
export const missingPermissions = () => new DiscordHttpError(403, 50013, 'Missing Permissions');
export const cannotEditOthersMessage = () =>
  new DiscordHttpError(403, 50005, 'Cannot edit a message authored by another user');
export const emptyMessage = () => new DiscordHttpError(400, 50006, 'Cannot send an empty message');
export const invalidWebhookToken = () => new DiscordHttpError(401, 50027, 'Invalid Webhook Token');
export const entityTooLarge = () => new DiscordHttpError(413, 40005, 'Request entity too large');
export const alreadyAcknowledged = () => new DiscordHttpError(400, 40060, 'Interaction has already been acknowledged.');

/** 400 Invalid Form Body, with each problem keyed by its path so discord.js prints them all. */
export function invalidFormBody(problems: readonly string[]): DiscordHttpError {
  const errors: Record<string, unknown> = {};
  for (const [index, problem] of problems.entries()) {
    const separator = problem.indexOf(': ');
    const path = separator > 0 ? problem.slice(0, separator) : `problem${index}`;
    const message = separator > 0 ? problem.slice(separator + 2) : problem;
    const entry = (errors[path] ?? { _errors: [] }) as { _errors: { code: string; message: string }[] };
    entry._errors.push({ code: 'LOCAL_DISCORD_VALIDATION', message });
    errors[path] = entry;
  }
  return new DiscordHttpError(400, 50035, 'Invalid Form Body', errors);
}
