import {
  ApplicationCommandUpdateRequestSchema,
  CreateGuildChannelRequestSchema,
  CreateMessageInteractionCallbackRequestSchema,
  IncomingWebhookRequestPartialSchema,
  IncomingWebhookUpdateRequestPartialSchema,
  MessageCreateRequestSchema,
  MessageEditRequestPartialSchema,
  ModalInteractionCallbackRequestSchema,
  PongInteractionCallbackRequestSchema,
  UpdateMessageInteractionCallbackRequestSchema,
} from 'discord-api-spec/zod';
import { config, locales, type ZodMiniType } from 'zod/mini';
import type { $ZodIssue } from 'zod/v4/core';
import { isRecord, type Json } from './json.js';
import { modalLimitProblems } from './limits.js';
import { allowedMentionsProblems } from './mentions.js';

/** The request bodies the emulator checks, one per kind of route. */
export type RequestBodyKind =
  | 'interaction-callback'
  | 'webhook-execute'
  | 'webhook-edit'
  | 'message-create'
  | 'message-edit'
  | 'guild-channel-create'
  | 'commands-bulk-overwrite';

// zod/mini ships without messages ("Invalid input" everywhere); English ones make violations readable.
config(locales.en());

const MAX_COMMANDS_PER_SCOPE = 100;
/** Discord's rule for chat input command and option names (lowercase where the script has case). */
const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/**
 * Checks a request body against Discord's published schema (discord-api-spec), plus the rules that sit outside
 * the schema but that Discord enforces at the same point (allowed_mentions exclusivity, command names, modal
 * limits). Message limits are checked on the resulting message by the caller, since edits are partial.
 */
export function requestBodyProblems(kind: RequestBodyKind, body: unknown): string[] {
  switch (kind) {
    case 'interaction-callback':
      return interactionCallbackProblems(body);
    case 'webhook-execute':
      return [...schemaProblems(IncomingWebhookRequestPartialSchema, body), ...mentionProblems(body)];
    case 'webhook-edit':
      return [...schemaProblems(IncomingWebhookUpdateRequestPartialSchema, body), ...mentionProblems(body)];
    case 'message-create':
      return [...schemaProblems(MessageCreateRequestSchema, body), ...mentionProblems(body)];
    case 'message-edit':
      return [...schemaProblems(MessageEditRequestPartialSchema, body), ...mentionProblems(body)];
    case 'guild-channel-create':
      return schemaProblems(CreateGuildChannelRequestSchema, withNumericPermissions(body));
    case 'commands-bulk-overwrite':
      return commandListProblems(body);
  }
}

function interactionCallbackProblems(body: unknown): string[] {
  if (!isRecord(body)) return ['body: must be an object'];
  switch (body.type) {
    case 1:
      return schemaProblems(PongInteractionCallbackRequestSchema, body);
    case 4:
    case 5:
      return [...schemaProblems(CreateMessageInteractionCallbackRequestSchema, body), ...mentionProblems(body.data)];
    case 6:
    case 7:
      return [...schemaProblems(UpdateMessageInteractionCallbackRequestSchema, body), ...mentionProblems(body.data)];
    case 9: {
      const problems = schemaProblems(ModalInteractionCallbackRequestSchema, body);
      return isRecord(body.data) ? [...problems, ...modalLimitProblems(body.data).map((p) => `data.${p}`)] : problems;
    }
    default:
      return [
        `type: ${String(body.type)} is not an interaction callback type the emulator supports (1, 4, 5, 6, 7, 9)`,
      ];
  }
}

function commandListProblems(body: unknown): string[] {
  if (!Array.isArray(body)) return ['body: a bulk overwrite takes an array of commands'];
  const problems: string[] = [];
  if (body.length > MAX_COMMANDS_PER_SCOPE) {
    problems.push(`body: ${body.length} commands (max ${MAX_COMMANDS_PER_SCOPE})`);
  }
  const names = new Set<string>();
  body.forEach((command, i) => {
    problems.push(...schemaProblems(ApplicationCommandUpdateRequestSchema, withNumericPermissions(command), `[${i}]`));
    if (!isRecord(command)) return;
    const type = command.type ?? 1;
    const key = `${String(type)}:${String(command.name)}`;
    if (names.has(key)) problems.push(`[${i}].name: "${String(command.name)}" is registered twice`);
    names.add(key);
    if (type === 1) problems.push(...chatInputNameProblems(command, `[${i}]`));
  });
  return problems;
}

function chatInputNameProblems(command: Json, at: string): string[] {
  const problems: string[] = [];
  const name = typeof command.name === 'string' ? command.name : '';
  if (!CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase()) {
    problems.push(`${at}.name: "${name}" must be 1-32 lowercase letters, digits, - or _`);
  }
  const options = Array.isArray(command.options) ? command.options.filter(isRecord) : [];
  for (const [i, option] of options.entries()) {
    problems.push(...chatInputNameProblems({ ...option, type: 1 }, `${at}.options[${i}]`));
  }
  return problems;
}

function mentionProblems(payload: unknown): string[] {
  if (!isRecord(payload) || !isRecord(payload.allowed_mentions)) return [];
  return allowedMentionsProblems(payload.allowed_mentions);
}

/**
 * The spec types permission bit sets as integers, but Discord's API takes (and discord.js sends) them as strings,
 * which is the only exact form for bits above 2^53. Validate a copy with the strings turned into numbers.
 */
function withNumericPermissions(body: unknown): unknown {
  if (!isRecord(body)) return body;
  const copy: Json = { ...body };
  if (typeof copy.default_member_permissions === 'string' && /^\d+$/.test(copy.default_member_permissions)) {
    copy.default_member_permissions = Number(copy.default_member_permissions);
  }
  if (Array.isArray(copy.permission_overwrites)) {
    copy.permission_overwrites = copy.permission_overwrites.map((overwrite: unknown) => {
      if (!isRecord(overwrite)) return overwrite;
      const numeric = (v: unknown) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v);
      return { ...overwrite, allow: numeric(overwrite.allow), deny: numeric(overwrite.deny) };
    });
  }
  return copy;
}

function schemaProblems(schema: ZodMiniType, body: unknown, at = ''): string[] {
  const result = schema.safeParse(body);
  return result.success ? [] : describeIssues(result.error.issues, at);
}

/**
 * Flattens zod issues into "path: message" lines. For a union that matched no branch, it reports the branch that
 * came closest (fewest issues), which is the one the bot meant to send.
 */
function describeIssues(issues: readonly $ZodIssue[], at: string): string[] {
  return issues.flatMap((issue) => {
    const path = `${at}${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`;
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const closest = [...issue.errors].sort((a, b) => branchDistance(a) - branchDistance(b))[0] ?? [];
      if (closest.length > 0) return describeIssues(closest, path);
    }
    return [`${path.replace(/^\./, '') || 'body'}: ${issue.message}`];
  });
}

/** A branch whose `type` literal did not match is a different kind of component: rank it after all others. */
function branchDistance(issues: readonly $ZodIssue[]): number {
  const wrongType = issues.some((i) => i.path.length === 1 && i.path[0] === 'type');
  return issues.length + (wrongType ? 1000 : 0);
}
