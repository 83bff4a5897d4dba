import {
  type APIMessage,
  type APIModalInteractionResponseCallbackData,
  InteractionResponseType,
  MessageFlags,
} from 'discord.js';
import type { InteractionRecord } from './interactions.js';
import type { MessageStore } from './messages.js';
import { waitForMessages } from './waiting.js';

export type BotResponseKind = 'pong' | 'message' | 'deferred-message' | 'deferred-update' | 'update' | 'modal';

const KIND_BY_CALLBACK: Record<number, BotResponseKind> = {
  [InteractionResponseType.Pong]: 'pong',
  [InteractionResponseType.ChannelMessageWithSource]: 'message',
  [InteractionResponseType.DeferredChannelMessageWithSource]: 'deferred-message',
  [InteractionResponseType.DeferredMessageUpdate]: 'deferred-update',
  [InteractionResponseType.UpdateMessage]: 'update',
  [InteractionResponseType.Modal]: 'modal',
};

const DEFAULT_WAIT_MS = 2000;

/**
 * The bot's first response to something a user did, as the user experiences it: a message (maybe ephemeral),
 * a "thinking…" placeholder, an updated message, or a modal. Message getters read the live state, so edits the
 * bot makes later are visible.
 */
export class BotResponse {
  private readonly versionsAtResponse: number;

  constructor(
    private readonly messages: MessageStore,
    readonly interaction: InteractionRecord,
  ) {
    this.versionsAtResponse = this.originalStored()?.versions.length ?? 0;
  }

  get interactionId(): string {
    return this.interaction.id;
  }

  get kind(): BotResponseKind {
    return KIND_BY_CALLBACK[this.interaction.firstResponse?.callbackType ?? -1] ?? 'pong';
  }

  get ephemeral(): boolean {
    return this.interaction.firstResponse?.ephemeral ?? false;
  }

  /** Time from dispatch to the bot's first callback, in ms. */
  get latencyMs(): number {
    return this.interaction.firstResponse?.latencyMs ?? Number.NaN;
  }

  /** The response message as it is now (`@original`), or null for a modal. */
  get message(): APIMessage | null {
    return this.originalStored()?.message ?? null;
  }

  get modal(): APIModalInteractionResponseCallbackData | null {
    return this.interaction.modal;
  }

  /** Follow-up messages (not counting one that became the deferred reply), oldest first. */
  get followUps(): APIMessage[] {
    // Read from the store rather than the interaction record: the store announces a message before the
    // webhook route has filed it as a follow-up.
    return this.messages
      .all()
      .filter((s) => s.interactionId === this.interaction.id && s.message.id !== this.interaction.originalMessageId)
      .map((s) => s.message);
  }

  /**
   * The reply once it says something: at once for a message or update; for a deferred reply, when the bot
   * has edited the placeholder (or followed up); for a deferred update, when the bot has edited the message.
   */
  waitForReply(timeoutMs = DEFAULT_WAIT_MS): Promise<APIMessage> {
    if (this.kind === 'modal' || this.kind === 'pong') {
      return Promise.reject(
        new Error(`${this.interaction.label}: the bot answered with a ${this.kind}, not a message`),
      );
    }
    return waitForMessages(
      this.messages,
      () => {
        const stored = this.originalStored();
        if (!stored) return undefined;
        if (this.kind === 'deferred-message' && ((stored.message.flags ?? 0) & MessageFlags.Loading) !== 0) {
          return undefined;
        }
        if (this.kind === 'deferred-update' && stored.versions.length <= this.versionsAtResponse) return undefined;
        return stored.message;
      },
      timeoutMs,
      () => `the bot to fill in its ${this.kind} response to ${this.interaction.label}`,
    );
  }

  /** The next follow-up (beyond those already sent) matching `predicate`. */
  waitForFollowUp(predicate: (message: APIMessage) => boolean = () => true, timeoutMs = DEFAULT_WAIT_MS) {
    return waitForMessages(
      this.messages,
      () => this.followUps.find(predicate),
      timeoutMs,
      () => `a follow-up to ${this.interaction.label}`,
    );
  }

  private originalStored() {
    const id = this.interaction.originalMessageId;
    return id ? this.messages.get(id) : undefined;
  }
}
