/**
 * Follow-up messages through an interaction's own webhook (`POST /webhooks/{app}/{token}`), which
 * Discord does not count against the bot's global limit of 50 requests/s. discord.js's own
 * `interaction.followUp` goes through the client's REST, whose client-side global counter holds
 * every request it makes to 50/s, webhooks included; so these go through a REST instance of their
 * own, without the bot token and without that global counter (per-route limits still apply).
 */
import { MessagePayload, makeURLSearchParams, REST, type RepliableInteraction, Routes } from 'discord.js';
import type { MessagePayload as Payload } from './note.js';

/** An interaction token lasts 15 minutes; a minute is kept in hand for a slow request. */
export const INTERACTION_TOKEN_USABLE_MS = 14 * 60_000;

export class InteractionWebhooks {
  private readonly rest: REST;

  /** `now` is the bot's clock: a token is too old once 14 minutes of it have passed since the interaction. */
  constructor(
    apiUrl: string,
    private readonly now: () => number = Date.now,
  ) {
    // Only Discord's own (per-webhook) limits: the global one does not apply to interaction endpoints.
    this.rest = new REST({ api: apiUrl, globalRequestsPerSecond: Number.MAX_SAFE_INTEGER });
  }

  /** True while the interaction's token can still carry a follow-up (acknowledged, and young enough). */
  usable(interaction: RepliableInteraction): boolean {
    const acknowledged = interaction.replied || interaction.deferred;
    return acknowledged && this.now() - interaction.createdTimestamp < INTERACTION_TOKEN_USABLE_MS;
  }

  /**
   * Posts `message` as a follow-up of `interaction` (in the interaction's channel, visible as its
   * flags say) and returns the id of the message it made.
   */
  async followUp(interaction: RepliableInteraction, message: Payload & { flags?: number }): Promise<string> {
    const payload = MessagePayload.create(interaction.webhook, message).resolveBody();
    const { body, files } = await payload.resolveFiles();
    // wait=true: Discord answers with the message, whose id a summary's history line links to.
    const created = (await this.rest.post(Routes.webhook(interaction.applicationId, interaction.token), {
      body,
      files: files ?? undefined,
      query: makeURLSearchParams({ wait: true }),
      auth: false,
    })) as { id: string };
    return created.id;
  }

  destroy(): void {
    this.rest.clearHashSweeper();
    this.rest.clearHandlerSweeper();
  }
}
