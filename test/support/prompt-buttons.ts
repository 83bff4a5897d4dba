/**
 * Reading the bot's messages and forms the way a partner does: by what they show. A prompt is a message with
 * buttons that answer it — a button per choice (labelled as the flow's option), or a "write" button that opens
 * the answer form — next to "Pause" and "End". Nothing here knows how the bot encodes its custom ids; the ids
 * read off a message are only handed back to the local Discord to click what a person would click. Shared by
 * the end-to-end tests and bench/e2e.
 */
import {
  type APIMessage,
  type APIModalInteractionResponseCallbackData,
  type APISelectMenuOption,
  ComponentType,
} from 'discord.js';
import type { AnswerValue, InputSpec } from '../../src/engine/flow-types.js';

/** The controls on every prompt in the channel. */
export const CONTROL_LABELS = { pause: 'Pause', end: 'End' } as const;

/** The buttons that open the answer form of a text or a list prompt. */
export const WRITE_LABELS = { text: 'Write your answer', list: 'Write your list' } as const;

/** The button on "… is still writing" that takes its author back to their form (after a rewrite). */
export const CONTINUE_LABEL = 'Continue writing';

/** Discord's limit on a button label; longer option labels are shown cut, ending in "…". */
const BUTTON_LABEL_MAX = 80;

export interface ButtonSeen {
  label: string;
  disabled: boolean;
  /** What the local Discord needs to click it (links and premium buttons have none). */
  customId: string | undefined;
}

export interface SelectSeen {
  customId: string;
  placeholder: string | undefined;
  options: APISelectMenuOption[];
}

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null;

/** Every component of a message or modal, nested ones included (rows, labels, sections, containers). */
function walk(components: unknown, visit: (component: Node) => void) {
  if (!Array.isArray(components)) return;
  for (const component of components) {
    if (!isNode(component)) continue;
    visit(component);
    walk(component.components, visit);
    if (isNode(component.component)) walk([component.component], visit);
    if (isNode(component.accessory)) walk([component.accessory], visit);
  }
}

export function buttonsOf(message: APIMessage): ButtonSeen[] {
  const buttons: ButtonSeen[] = [];
  walk(message.components, (c) => {
    if (c.type !== ComponentType.Button) return;
    buttons.push({
      label: typeof c.label === 'string' ? c.label : '',
      disabled: c.disabled === true,
      customId: typeof c.custom_id === 'string' ? c.custom_id : undefined,
    });
  });
  return buttons;
}

export function selectsOf(message: APIMessage): SelectSeen[] {
  const selects: SelectSeen[] = [];
  walk(message.components, (c) => {
    if (c.type !== ComponentType.StringSelect || typeof c.custom_id !== 'string') return;
    selects.push({
      customId: c.custom_id,
      placeholder: typeof c.placeholder === 'string' ? c.placeholder : undefined,
      options: Array.isArray(c.options) ? (c.options as APISelectMenuOption[]) : [],
    });
  });
  return selects;
}

export const buttonLabels = (message: APIMessage): string[] => buttonsOf(message).map((b) => b.label);

/** A button with this label that can be clicked (not disabled, not a link). */
export const hasButton = (message: APIMessage, label: string): boolean =>
  buttonsOf(message).some((b) => b.label === label && !b.disabled && b.customId !== undefined);

/** A message that asks something: it has buttons beyond "Pause" and "End" (choices, write, continue). */
export const isPrompt = (message: APIMessage): boolean =>
  buttonsOf(message).some((b) => !Object.values<string>(CONTROL_LABELS).includes(b.label));

/** How Discord shows an option's label on a button. */
export const buttonLabelFor = (label: string): string =>
  label.length <= BUTTON_LABEL_MAX ? label : `${label.slice(0, BUTTON_LABEL_MAX - 1)}…`;

/**
 * The button a person clicks to give `value` to a prompt asking `input`: the choice's own button (which opens a
 * form when the choice takes a note), or the write button of a text or list prompt.
 */
export function answerButtonLabel(input: InputSpec, value: AnswerValue): string {
  switch (input.kind) {
    case 'text':
      return WRITE_LABELS.text;
    case 'list':
      return WRITE_LABELS.list;
    case 'choice': {
      const option = input.options.find((o) => o.value === value.choice);
      if (!option) {
        const offered = input.options.map((o) => o.value).join(', ');
        throw new Error(`No option "${String(value.choice)}" on this prompt (its options: ${offered})`);
      }
      return buttonLabelFor(option.label);
    }
  }
}

// ---- forms ---------------------------------------------------------------------------------------------------

export interface FormField {
  /** What the local Discord fills the field in by. */
  customId: string;
  /** What the person reads above it. */
  label: string;
  kind: 'text' | 'select';
  required: boolean;
  options: APISelectMenuOption[];
}

/** The fields of a form as a person sees them, top to bottom. */
export function formFields(modal: APIModalInteractionResponseCallbackData): FormField[] {
  const fields: FormField[] = [];
  for (const top of modal.components as unknown as Node[]) {
    // A Label wraps one field and names it; a legacy row holds one text input that carries its own label.
    const inner = isNode(top.component) ? top.component : Array.isArray(top.components) ? top.components[0] : null;
    if (!isNode(inner) || typeof inner.custom_id !== 'string') continue;
    const label = typeof top.label === 'string' ? top.label : typeof inner.label === 'string' ? inner.label : '';
    const kind = inner.type === ComponentType.StringSelect ? 'select' : 'text';
    fields.push({
      customId: inner.custom_id,
      label,
      kind,
      required: inner.required !== false,
      options: kind === 'select' && Array.isArray(inner.options) ? (inner.options as APISelectMenuOption[]) : [],
    });
  }
  return fields;
}

/**
 * What a person types into the answer form for `value`: the words (text, the points one per line, or the note)
 * into its text box, the picks into its picker. Keyed by the ids read off the form (see `formSubmission`).
 */
export function formAnswersFor(
  modal: APIModalInteractionResponseCallbackData,
  value: AnswerValue,
): Record<string, string | string[]> {
  const fields = formFields(modal);
  const textBoxes = fields.filter((f) => f.kind === 'text');
  const pickers = fields.filter((f) => f.kind === 'select');
  const words = [value.text, value.items?.join('\n'), value.note].filter((w): w is string => w !== undefined);
  if (words.length > textBoxes.length) {
    throw new Error(`The form "${modal.title}" has ${textBoxes.length} text boxes for ${words.length} texts`);
  }
  const answers: Record<string, string | string[]> = {};
  words.forEach((w, i) => {
    answers[(textBoxes[i] as FormField).customId] = w;
  });
  if (value.picks) {
    const picker = pickers[0];
    if (!picker) throw new Error(`The form "${modal.title}" has no picker for ${value.picks.join(', ')}`);
    answers[picker.customId] = value.picks;
  }
  return answers;
}

/**
 * Turns answers keyed by field label (or id) — select answers by option label (or value) — into what the local
 * Discord submits. Refuses a field or an option the form does not show.
 */
export function formSubmission(
  modal: APIModalInteractionResponseCallbackData,
  answers: Readonly<Record<string, string | readonly string[]>>,
): Record<string, string | string[]> {
  const fields = formFields(modal);
  const submission: Record<string, string | string[]> = {};
  for (const [name, answer] of Object.entries(answers)) {
    const field = fields.find((f) => f.label === name) ?? fields.find((f) => f.customId === name);
    if (!field) {
      const shown = fields.map((f) => `"${f.label}"`).join(', ') || 'none';
      throw new Error(`The form "${modal.title}" has no field "${name}" (it shows: ${shown})`);
    }
    if (field.kind === 'text') {
      if (typeof answer !== 'string') throw new Error(`"${field.label}" is a text box: give it a string`);
      submission[field.customId] = answer;
      continue;
    }
    const picked = typeof answer === 'string' ? [answer] : [...answer];
    submission[field.customId] = picked.map((p) => {
      const option = field.options.find((o) => o.label === p) ?? field.options.find((o) => o.value === p);
      if (!option) {
        const offered = field.options.map((o) => `"${o.label}"`).join(', ');
        throw new Error(`"${field.label}" offers no "${p}" (it offers: ${offered})`);
      }
      return option.value;
    });
  }
  return submission;
}
