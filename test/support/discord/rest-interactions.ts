import {
  type APIMessageInteractionMetadata,
  type APIModalInteractionResponseCallbackData,
  ApplicationIntegrationType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
} from 'discord.js';
import {
  type EmulatorCore,
  interactionRuleBroken,
  type Route,
  type RouteRequest,
  refuseIfInvalid,
  validateBody,
} from './context.js';
import {
  alreadyAcknowledged,
  DiscordHttpError,
  invalidWebhookToken,
  unknownInteraction,
  unknownMessage,
  unknownWebhook,
} from './errors.js';
import type { InteractionRecord } from './interactions.js';
import { isRecord, type Json } from './json.js';
import { walkComponents } from './limits.js';
import { deleteMessage, editMessage, postMessage } from './message-writes.js';
import type { StoredMessage } from './messages.js';

/**
 * Interaction responses and follow-ups, with Discord's rules: one first response within the deadline, a modal
 * only as the first response, update types only for component (or component-opened modal) interactions,
 * follow-ups and edits only after acknowledgement and within the token's lifetime. No Authorization header:
 * the token in the path (URL-encoded by discord.js) is the credential.
 */
export const interactionRoutes: Route[] = [
  {
    method: 'POST',
    template: '/interactions/:interaction_id/:interaction_token/callback',
    auth: 'token-in-path',
    handle: (request, core) => respond(request, core),
  },
  {
    method: 'POST',
    template: '/webhooks/:application_id/:interaction_token',
    auth: 'token-in-path',
    handle: (request, core) => followUp(request, core),
  },
  {
    method: 'GET',
    template: '/webhooks/:application_id/:interaction_token/messages/:message_id',
    auth: 'token-in-path',
    handle: (request, core) => {
      const record = acknowledgedInteraction(request, core);
      return { status: 200, body: interactionMessage(request, core, record).message };
    },
  },
  {
    method: 'PATCH',
    template: '/webhooks/:application_id/:interaction_token/messages/:message_id',
    auth: 'token-in-path',
    handle: (request, core) => {
      const record = acknowledgedInteraction(request, core);
      const stored = interactionMessage(request, core, record);
      validateBody(core, request, 'webhook-edit');
      const payload = isRecord(request.body) ? request.body : {};
      return { status: 200, body: editMessage(core, request, stored, payload, request.files).message };
    },
  },
  {
    method: 'DELETE',
    template: '/webhooks/:application_id/:interaction_token/messages/:message_id',
    auth: 'token-in-path',
    handle: (request, core) => {
      const record = acknowledgedInteraction(request, core);
      deleteMessage(core, interactionMessage(request, core, record));
      return { status: 204 };
    },
  },
];

function respond(request: RouteRequest, core: EmulatorCore) {
  const record = core.interactions.get(request.params.interaction_id ?? '');
  if (!record || record.token !== request.params.interaction_token) {
    throw interactionRuleBroken(
      core,
      request,
      'callback for an interaction the local Discord never sent',
      unknownInteraction(),
    );
  }
  // Measured as the callback arrives, before the emulator's own checks add time.
  const latencyMs = core.interactions.elapsedMs(record);
  const body = isRecord(request.body) ? request.body : {};
  if (record.firstResponse) {
    const reason =
      body.type === InteractionResponseType.Modal
        ? `${record.label}: a modal must be the first response, but the interaction was already acknowledged`
        : `${record.label}: second response to an interaction already acknowledged (use editReply or followUp)`;
    throw interactionRuleBroken(core, request, reason, alreadyAcknowledged());
  }
  if (core.interactions.isPastDeadline(record)) {
    const reason = `${record.label}: first response after ${Math.round(latencyMs)} ms (deadline ${core.interactions.deadlineMs} ms)`;
    throw interactionRuleBroken(core, request, reason, unknownInteraction());
  }
  try {
    validateBody(core, request, 'interaction-callback');
    checkCallbackTypeFits(core, request, record, body.type);
    const resource = applyCallback(request, core, record, body);
    const ephemeral = resource.message ? isEphemeral(resource.message) : false;
    core.interactions.acknowledge(record, body.type as InteractionResponseType, ephemeral, latencyMs);
    if (request.query.get('with_response') !== 'true') return { status: 204 };
    return { status: 200, body: callbackResponse(record, body.type as number, resource.message) };
  } catch (error) {
    if (error instanceof DiscordHttpError) core.interactions.refuseFirstResponse(record, error.note ?? error.message);
    throw error;
  }
}

function checkCallbackTypeFits(core: EmulatorCore, request: RouteRequest, record: InteractionRecord, type: unknown) {
  const fromMessage =
    record.type === InteractionType.MessageComponent ||
    (record.type === InteractionType.ModalSubmit && record.sourceMessageId !== null);
  const problems: string[] = [];
  if (type === InteractionResponseType.Pong) problems.push('type: PONG (1) only answers a PING interaction');
  // A modal submit may always be deferred-updated (that just closes the modal); updating needs a message.
  const deferUpdateFits = fromMessage || record.type === InteractionType.ModalSubmit;
  if (type === InteractionResponseType.DeferredMessageUpdate && !deferUpdateFits) {
    problems.push(`type: 6 (deferUpdate) answers a component or a modal submit, not ${record.label}`);
  }
  if (type === InteractionResponseType.UpdateMessage && !fromMessage) {
    problems.push(`type: 7 (update) edits a component's message, but ${record.label} has none`);
  }
  if (type === InteractionResponseType.Modal && record.type === InteractionType.ModalSubmit) {
    problems.push('type: a modal cannot be answered with another modal');
  }
  refuseIfInvalid(core, request, problems);
}

interface AppliedCallback {
  message: StoredMessage | null;
}

function applyCallback(
  request: RouteRequest,
  core: EmulatorCore,
  record: InteractionRecord,
  body: Json,
): AppliedCallback {
  const data = isRecord(body.data) ? body.data : {};
  const ephemeral = (Number(data.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
  switch (body.type) {
    case InteractionResponseType.ChannelMessageWithSource: {
      const stored = postMessage(core, request, {
        ...interactionMessageBase(core, record, ephemeral),
        payload: data,
        files: request.files,
      });
      record.originalMessageId = stored.message.id;
      return { message: stored };
    }
    case InteractionResponseType.DeferredChannelMessageWithSource: {
      // The "Bot is thinking…" message: empty, flagged Loading, replaced by the first edit or follow-up.
      const stored = core.messages.create({
        ...interactionMessageBase(core, record, ephemeral),
        payload: {},
        systemFlags: MessageFlags.Loading | (ephemeral ? MessageFlags.Ephemeral : 0),
      });
      record.originalMessageId = stored.message.id;
      return { message: stored };
    }
    case InteractionResponseType.DeferredMessageUpdate:
      record.originalMessageId = record.sourceMessageId;
      return { message: record.sourceMessageId ? sourceMessage(core, record) : null };
    case InteractionResponseType.UpdateMessage: {
      record.originalMessageId = record.sourceMessageId;
      return { message: editMessage(core, request, sourceMessage(core, record), data, request.files) };
    }
    case InteractionResponseType.Modal: {
      // As Discord does, give every modal component a numeric id (echoed back in the submission).
      const modal = structuredClone(data);
      let nextId = 1;
      walkComponents(Array.isArray(modal.components) ? modal.components.filter(isRecord) : [], 'components', (c) => {
        if (typeof c.id !== 'number') c.id = nextId++;
      });
      // Validated above against the spec's modal schema and the modal limits.
      record.modal = modal as unknown as APIModalInteractionResponseCallbackData;
      return { message: null };
    }
    default:
      return { message: null };
  }
}

function sourceMessage(core: EmulatorCore, record: InteractionRecord): StoredMessage {
  const stored = record.sourceMessageId ? core.messages.get(record.sourceMessageId) : undefined;
  if (!stored) throw unknownMessage().withNote('the message this component was on no longer exists');
  return stored;
}

function followUp(request: RouteRequest, core: EmulatorCore) {
  const record = acknowledgedInteraction(request, core);
  validateBody(core, request, 'webhook-execute');
  const payload = isRecord(request.body) ? request.body : {};
  const original = record.originalMessageId ? core.messages.get(record.originalMessageId) : undefined;
  let stored: StoredMessage;
  if (
    record.firstResponse?.callbackType === InteractionResponseType.DeferredChannelMessageWithSource &&
    original &&
    ((original.message.flags ?? 0) & MessageFlags.Loading) !== 0
  ) {
    // Discord turns the first follow-up after a deferred reply into that reply, keeping the deferral's
    // ephemeral choice.
    stored = editMessage(core, request, original, payload, request.files);
  } else {
    const ephemeral = (Number(payload.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
    stored = postMessage(core, request, {
      ...interactionMessageBase(core, record, ephemeral),
      type: MessageType.Default,
      payload,
      files: request.files,
    });
  }
  record.followUpIds.push(stored.message.id);
  return request.query.get('wait') === 'true' ? { status: 200, body: stored.message } : { status: 204 };
}

/** The interaction behind a webhook token, if the bot may use that token now. */
function acknowledgedInteraction(request: RouteRequest, core: EmulatorCore): InteractionRecord {
  const record = core.interactions.byToken(request.params.interaction_token ?? '');
  if (request.params.application_id !== core.state.applicationId || !record) {
    throw interactionRuleBroken(
      core,
      request,
      'webhook call with an unknown application id or token',
      unknownWebhook(),
    );
  }
  if (core.interactions.isTokenExpired(record)) {
    throw interactionRuleBroken(
      core,
      request,
      `${record.label}: interaction token used after it expired`,
      invalidWebhookToken(),
    );
  }
  if (!record.firstResponse) {
    const reason = `${record.label}: follow-up or edit before the interaction was acknowledged`;
    throw interactionRuleBroken(core, request, reason, unknownWebhook());
  }
  return record;
}

function interactionMessage(request: RouteRequest, core: EmulatorCore, record: InteractionRecord): StoredMessage {
  const requested = request.params.message_id ?? '';
  const id = requested === '@original' ? record.originalMessageId : requested;
  const belongs = id !== null && (id === record.originalMessageId || record.followUpIds.includes(id));
  const stored = belongs ? core.messages.get(id) : undefined;
  if (!stored) {
    const reason =
      requested === '@original'
        ? `${record.label}: @original does not exist (the first response was type ${record.firstResponse?.callbackType})`
        : `${record.label}: message ${requested} is not a response of this interaction`;
    throw interactionRuleBroken(core, request, reason, unknownMessage());
  }
  return stored;
}

function interactionMessageBase(core: EmulatorCore, record: InteractionRecord, ephemeral: boolean) {
  return {
    channelId: record.channelId,
    type: record.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Default,
    visibleTo: ephemeral ? record.userId : null,
    interactionId: record.id,
    webhookId: core.state.applicationId,
    interactionMetadata: interactionMetadata(core, record),
    systemFlags: ephemeral ? MessageFlags.Ephemeral : 0,
  };
}

function interactionMetadata(core: EmulatorCore, record: InteractionRecord): APIMessageInteractionMetadata {
  const common = {
    id: record.id,
    user: core.state.apiUser(record.userId),
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: record.guildId },
  };
  if (record.type === InteractionType.MessageComponent) {
    return { ...common, type: InteractionType.MessageComponent, interacted_message_id: record.sourceMessageId ?? '' };
  }
  if (record.type === InteractionType.ModalSubmit) {
    const opener = record.openedBy ? core.interactions.get(record.openedBy) : undefined;
    const triggering = opener
      ? interactionMetadata(core, opener)
      : { ...common, type: InteractionType.ApplicationCommand as const };
    return {
      ...common,
      type: InteractionType.ModalSubmit,
      triggering_interaction_metadata: triggering as Extract<
        APIMessageInteractionMetadata,
        { type: InteractionType.ApplicationCommand | InteractionType.MessageComponent }
      >,
    };
  }
  return { ...common, type: InteractionType.ApplicationCommand };
}

function isEphemeral(stored: StoredMessage): boolean {
  return ((stored.message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
}

/** The `?with_response=true` body: the interaction callback object plus the resource (message) it created. */
function callbackResponse(record: InteractionRecord, type: number, stored: StoredMessage | null) {
  const loading = stored ? ((stored.message.flags ?? 0) & MessageFlags.Loading) !== 0 : false;
  return {
    interaction: {
      id: record.id,
      type: record.type,
      activity_instance_id: null,
      response_message_id: stored?.message.id ?? null,
      response_message_loading: stored ? loading : null,
      response_message_ephemeral: stored ? isEphemeral(stored) : null,
    },
    resource: {
      type,
      ...(stored && type !== InteractionResponseType.DeferredMessageUpdate ? { message: stored.message } : {}),
    },
  };
}
