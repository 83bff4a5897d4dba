import { isRecord, type Json, records } from './json.js';

/**
 * Discord's documented limits that its OpenAPI spec does not encode, or encodes more loosely (it allows 4000
 * characters of content on message create; a bot gets 2000). Each check returns readable problems; an empty
 * list means Discord would accept the payload.
 */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooterText: 2048,
  embedAuthorName: 256,
  embedTotalCharacters: 6000,
  customId: 100,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  selectOptions: 25,
  selectOptionText: 100,
  selectPlaceholder: 150,
  componentsV2Total: 40,
  modalTitle: 45,
  modalTopLevelComponents: 5,
  textInputLabel: 45,
  textInputLength: 4000,
  textInputPlaceholder: 100,
  labelLabel: 45,
  labelDescription: 100,
  attachments: 10,
  /** Per file, for a server without boosts (10 MiB); interactions say so in `attachment_size_limit`. */
  attachmentBytes: 10 * 1024 * 1024,
} as const;

/** Message flag: the message uses Components V2 (no content or embeds; up to 40 components of any kind). */
export const IS_COMPONENTS_V2 = 1 << 15;

const ComponentTypes = {
  ActionRow: 1,
  Button: 2,
  StringSelect: 3,
  TextInput: 4,
  UserSelect: 5,
  RoleSelect: 6,
  MentionableSelect: 7,
  ChannelSelect: 8,
  Section: 9,
  TextDisplay: 10,
  Container: 17,
  Label: 18,
} as const;

const SELECT_TYPES: readonly number[] = [
  ComponentTypes.StringSelect,
  ComponentTypes.UserSelect,
  ComponentTypes.RoleSelect,
  ComponentTypes.MentionableSelect,
  ComponentTypes.ChannelSelect,
];

const LINK_BUTTON_STYLE = 5;
const PREMIUM_BUTTON_STYLE = 6;

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function tooLong(where: string, value: unknown, max: number): string[] {
  const length = text(value).length;
  return length > max ? [`${where}: ${length} characters (max ${max})`] : [];
}

/** Content, embeds and components of a message as it will stand (after an edit is applied). */
export function messageLimitProblems(message: Json): string[] {
  const problems: string[] = [];
  const flags = typeof message.flags === 'number' ? message.flags : 0;
  const isV2 = (flags & IS_COMPONENTS_V2) !== 0;
  problems.push(...tooLong('content', message.content, LIMITS.content));
  problems.push(...embedProblems(message.embeds));
  if (isV2) {
    if (text(message.content).length > 0) problems.push('content: not allowed with the IS_COMPONENTS_V2 flag');
    if (records(message.embeds).length > 0) problems.push('embeds: not allowed with the IS_COMPONENTS_V2 flag');
  }
  problems.push(...messageComponentProblems(message.components, isV2));
  return problems;
}

/** A message's attachments as they will stand: at most 10. */
export function attachmentCountProblems(count: number): string[] {
  return count > LIMITS.attachments ? [`attachments: ${count} files (max ${LIMITS.attachments} per message)`] : [];
}

/** Files over the server's per-file size limit (Discord answers these 413, Request entity too large). */
export function attachmentSizeProblems(files: readonly { name: string; size: number }[], maxBytes: number): string[] {
  return files.flatMap((file, i) =>
    file.size > maxBytes ? [`files[${i}]: "${file.name}" is ${file.size} bytes (max ${maxBytes} per file)`] : [],
  );
}

export function embedProblems(value: unknown): string[] {
  const embeds = records(value);
  const problems: string[] = [];
  if (embeds.length > LIMITS.embeds) problems.push(`embeds: ${embeds.length} embeds (max ${LIMITS.embeds})`);
  let total = 0;
  embeds.forEach((embed, i) => {
    const at = `embeds[${i}]`;
    problems.push(...tooLong(`${at}.title`, embed.title, LIMITS.embedTitle));
    problems.push(...tooLong(`${at}.description`, embed.description, LIMITS.embedDescription));
    const fields = records(embed.fields);
    if (fields.length > LIMITS.embedFields) {
      problems.push(`${at}.fields: ${fields.length} fields (max ${LIMITS.embedFields})`);
    }
    fields.forEach((field, j) => {
      if (text(field.name).length === 0) problems.push(`${at}.fields[${j}].name: must not be empty`);
      if (text(field.value).length === 0) problems.push(`${at}.fields[${j}].value: must not be empty`);
      problems.push(...tooLong(`${at}.fields[${j}].name`, field.name, LIMITS.embedFieldName));
      problems.push(...tooLong(`${at}.fields[${j}].value`, field.value, LIMITS.embedFieldValue));
      total += text(field.name).length + text(field.value).length;
    });
    const footer = isRecord(embed.footer) ? embed.footer : {};
    const author = isRecord(embed.author) ? embed.author : {};
    problems.push(...tooLong(`${at}.footer.text`, footer.text, LIMITS.embedFooterText));
    problems.push(...tooLong(`${at}.author.name`, author.name, LIMITS.embedAuthorName));
    total += text(embed.title).length + text(embed.description).length;
    total += text(footer.text).length + text(author.name).length;
  });
  if (total > LIMITS.embedTotalCharacters) {
    problems.push(`embeds: ${total} characters in total across all embeds (max ${LIMITS.embedTotalCharacters})`);
  }
  return problems;
}

export function messageComponentProblems(value: unknown, isV2: boolean): string[] {
  const topLevel = records(value);
  const problems: string[] = [];
  const customIds = new CustomIdRegistry('components');
  if (!isV2) {
    if (topLevel.length > LIMITS.actionRows) {
      problems.push(`components: ${topLevel.length} action rows (max ${LIMITS.actionRows})`);
    }
    topLevel.forEach((row, i) => {
      if (row.type !== ComponentTypes.ActionRow) {
        problems.push(`components[${i}]: type ${String(row.type)} needs the IS_COMPONENTS_V2 flag; use action rows`);
      }
    });
  } else {
    const total = countComponents(topLevel);
    if (total > LIMITS.componentsV2Total) {
      problems.push(`components: ${total} components in total (max ${LIMITS.componentsV2Total})`);
    }
  }
  walkComponents(topLevel, 'components', (component, at) => {
    if (component.type === ComponentTypes.ActionRow) problems.push(...actionRowProblems(component, at));
    if (component.type === ComponentTypes.Button) problems.push(...buttonProblems(component, at));
    if (SELECT_TYPES.includes(component.type as number)) problems.push(...selectProblems(component, at));
    problems.push(...customIds.add(component, at));
  });
  return problems;
}

function actionRowProblems(row: Json, at: string): string[] {
  const children = records(row.components);
  const problems: string[] = [];
  if (children.length === 0) problems.push(`${at}: an action row needs at least one component`);
  const buttons = children.filter((c) => c.type === ComponentTypes.Button);
  const selects = children.filter((c) => SELECT_TYPES.includes(c.type as number));
  if (buttons.length > LIMITS.buttonsPerRow) {
    problems.push(`${at}: ${buttons.length} buttons in one row (max ${LIMITS.buttonsPerRow})`);
  }
  if (selects.length > 0 && children.length > 1) problems.push(`${at}: a select menu must be alone in its action row`);
  return problems;
}

function buttonProblems(button: Json, at: string): string[] {
  const problems = tooLong(`${at}.label`, button.label, LIMITS.buttonLabel);
  const hasCustomId = typeof button.custom_id === 'string';
  if (button.style === LINK_BUTTON_STYLE) {
    if (typeof button.url !== 'string') problems.push(`${at}: a link button needs a url`);
    if (hasCustomId) problems.push(`${at}: a link button cannot have a custom_id`);
  } else if (button.style !== PREMIUM_BUTTON_STYLE && !hasCustomId) {
    problems.push(`${at}: a button with style ${String(button.style)} needs a custom_id`);
  }
  if (text(button.label).length === 0 && !isRecord(button.emoji) && button.style !== PREMIUM_BUTTON_STYLE) {
    problems.push(`${at}: a button needs a label or an emoji`);
  }
  return problems;
}

function selectProblems(select: Json, at: string): string[] {
  const problems = tooLong(`${at}.placeholder`, select.placeholder, LIMITS.selectPlaceholder);
  const min = typeof select.min_values === 'number' ? select.min_values : 1;
  const max = typeof select.max_values === 'number' ? select.max_values : 1;
  if (min > max) problems.push(`${at}: min_values ${min} is greater than max_values ${max}`);
  if (select.type !== ComponentTypes.StringSelect) return problems;
  const options = records(select.options);
  if (options.length === 0) problems.push(`${at}.options: a string select needs at least one option`);
  if (options.length > LIMITS.selectOptions) {
    problems.push(`${at}.options: ${options.length} options (max ${LIMITS.selectOptions})`);
  }
  if (max > options.length) problems.push(`${at}: max_values ${max} is more than its ${options.length} options`);
  const values = new Set<string>();
  options.forEach((option, i) => {
    for (const key of ['label', 'value', 'description'] as const) {
      problems.push(...tooLong(`${at}.options[${i}].${key}`, option[key], LIMITS.selectOptionText));
    }
    const value = text(option.value);
    if (values.has(value)) problems.push(`${at}.options[${i}].value: "${value}" is used twice`);
    values.add(value);
  });
  return problems;
}

/** A modal (interaction callback type 9), in the legacy action-row form or the Label form. */
export function modalLimitProblems(modal: Json): string[] {
  const problems: string[] = [];
  if (text(modal.title).length === 0) problems.push('title: must not be empty');
  problems.push(...tooLong('title', modal.title, LIMITS.modalTitle));
  problems.push(...tooLong('custom_id', modal.custom_id, LIMITS.customId));
  const topLevel = records(modal.components);
  if (topLevel.length === 0) problems.push('components: a modal needs at least one component');
  if (topLevel.length > LIMITS.modalTopLevelComponents) {
    problems.push(`components: ${topLevel.length} top-level components (max ${LIMITS.modalTopLevelComponents})`);
  }
  const customIds = new CustomIdRegistry('components');
  topLevel.forEach((component, i) => {
    const at = `components[${i}]`;
    if (component.type === ComponentTypes.ActionRow) {
      const children = records(component.components);
      const input = children[0];
      if (children.length !== 1 || input?.type !== ComponentTypes.TextInput) {
        problems.push(`${at}: an action row in a modal must hold exactly one text input`);
      }
      if (input) {
        if (text(input.label).length === 0) problems.push(`${at}.components[0].label: a text input in a row needs one`);
        problems.push(...textInputProblems(input, `${at}.components[0]`), ...customIds.add(input, at));
      }
    } else if (component.type === ComponentTypes.Label) {
      if (text(component.label).length === 0) problems.push(`${at}.label: must not be empty`);
      problems.push(...tooLong(`${at}.label`, component.label, LIMITS.labelLabel));
      problems.push(...tooLong(`${at}.description`, component.description, LIMITS.labelDescription));
      const inner = isRecord(component.component) ? component.component : null;
      if (!inner) problems.push(`${at}.component: a label must wrap one component`);
      else {
        if (inner.type === ComponentTypes.TextInput) problems.push(...textInputProblems(inner, `${at}.component`));
        if (SELECT_TYPES.includes(inner.type as number)) problems.push(...selectProblems(inner, `${at}.component`));
        problems.push(...customIds.add(inner, `${at}.component`));
      }
    } else if (component.type !== ComponentTypes.TextDisplay) {
      problems.push(`${at}: type ${String(component.type)} cannot be a top-level modal component`);
    }
  });
  return problems;
}

function textInputProblems(input: Json, at: string): string[] {
  const problems = [
    ...tooLong(`${at}.label`, input.label, LIMITS.textInputLabel),
    ...tooLong(`${at}.placeholder`, input.placeholder, LIMITS.textInputPlaceholder),
  ];
  const min = typeof input.min_length === 'number' ? input.min_length : 0;
  const max = typeof input.max_length === 'number' ? input.max_length : LIMITS.textInputLength;
  if (max > LIMITS.textInputLength) problems.push(`${at}.max_length: ${max} (max ${LIMITS.textInputLength})`);
  if (min > max) problems.push(`${at}: min_length ${min} is greater than max_length ${max}`);
  problems.push(...tooLong(`${at}.value`, input.value, max));
  return problems;
}

class CustomIdRegistry {
  private readonly seen = new Map<string, string>();
  constructor(private readonly scope: string) {}

  add(component: Json, at: string): string[] {
    if (typeof component.custom_id !== 'string') return [];
    const id = component.custom_id;
    const problems = tooLong(`${at}.custom_id`, id, LIMITS.customId);
    const first = this.seen.get(id);
    if (first) problems.push(`${at}.custom_id: "${id}" is already used at ${first} (must be unique in ${this.scope})`);
    else this.seen.set(id, at);
    return problems;
  }
}

/** Visits every component, including those nested in rows, sections (and their accessory), containers and labels. */
export function walkComponents(components: Json[], at: string, visit: (component: Json, at: string) => void) {
  components.forEach((component, i) => {
    const here = `${at}[${i}]`;
    visit(component, here);
    walkComponents(records(component.components), `${here}.components`, visit);
    if (isRecord(component.accessory)) visit(component.accessory, `${here}.accessory`);
    if (isRecord(component.component)) visit(component.component, `${here}.component`);
  });
}

function countComponents(components: Json[]): number {
  let count = 0;
  walkComponents(components, '', () => {
    count += 1;
  });
  return count;
}
