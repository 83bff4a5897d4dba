import {
  type APIModalInteractionResponseCallbackData,
  type APIModalSubmission,
  type APIModalSubmissionComponent,
  type APISelectMenuOption,
  ComponentType,
  type ModalSubmitComponent,
} from 'discord.js';

/** Answers by custom_id: a string for a text input, a list of option values for a string select. */
export type ModalAnswers = Readonly<Record<string, string | readonly string[]>>;

interface Field {
  customId: string;
  describe: string;
}

/**
 * Builds `data` of a MODAL_SUBMIT from the modal the bot actually returned, in the shape discord.js 14.28 parses:
 * legacy rows come back as `{ type: 1, components: [{ type: 4, custom_id, value }] }`, labels as
 * `{ type: 18, component: { type: 4, custom_id, value } }` or `{ type: 18, component: { type: 3, custom_id,
 * values } }`, text displays as `{ type: 10 }`. Refuses what the Discord client would not submit: answers for
 * fields the modal does not have, a missing required field, text outside min/max length, values not offered.
 */
export function buildModalSubmission(modal: APIModalInteractionResponseCallbackData, answers: ModalAnswers) {
  const fields: Field[] = [];
  for (const component of modal.components) {
    const inner =
      component.type === ComponentType.Label
        ? component.component
        : component.type === ComponentType.ActionRow
          ? component.components[0]
          : undefined;
    if (inner && 'custom_id' in inner) fields.push({ customId: inner.custom_id, describe: describeField(inner) });
  }
  for (const customId of Object.keys(answers)) {
    if (!fields.some((f) => f.customId === customId)) {
      const known = fields.map((f) => f.describe).join(', ') || 'none';
      throw new Error(`Modal "${modal.custom_id}" has no field "${customId}" (it has: ${known})`);
    }
  }
  const components = modal.components.map((component): APIModalSubmissionComponent => {
    switch (component.type) {
      case ComponentType.ActionRow: {
        const input = component.components[0];
        if (!input || input.type !== ComponentType.TextInput) {
          throw new Error(`Modal "${modal.custom_id}": an action row without a text input cannot be submitted`);
        }
        const value = textAnswer(modal, input, answers[input.custom_id]);
        return {
          type: ComponentType.ActionRow,
          id: component.id,
          components: [{ type: ComponentType.TextInput, id: input.id, custom_id: input.custom_id, value }],
        };
      }
      case ComponentType.Label: {
        const inner = component.component;
        let submitted: ModalSubmitComponent;
        if (inner.type === ComponentType.TextInput) {
          const value = textAnswer(modal, inner, answers[inner.custom_id]);
          submitted = { type: ComponentType.TextInput, id: inner.id, custom_id: inner.custom_id, value };
        } else if (inner.type === ComponentType.StringSelect) {
          const values = selectAnswer(modal, inner, answers[inner.custom_id]);
          submitted = { type: ComponentType.StringSelect, id: inner.id, custom_id: inner.custom_id, values };
        } else {
          throw new Error(`Modal "${modal.custom_id}": component type ${inner.type} is not supported yet`);
        }
        return { type: ComponentType.Label, id: component.id, component: submitted };
      }
      case ComponentType.TextDisplay:
        return { type: ComponentType.TextDisplay, id: component.id };
      default:
        throw new Error(`Modal "${modal.custom_id}": unexpected top-level component`);
    }
  });
  const submission: APIModalSubmission = { custom_id: modal.custom_id, components };
  return submission;
}

function describeField(component: { type: ComponentType; custom_id: string }): string {
  return `${component.type === ComponentType.TextInput ? 'text' : 'select'} "${component.custom_id}"`;
}

interface TextInputShape {
  custom_id: string;
  required?: boolean;
  min_length?: number;
  max_length?: number;
}

function textAnswer(
  modal: APIModalInteractionResponseCallbackData,
  input: TextInputShape,
  answer: string | readonly string[] | undefined,
): string {
  const where = `Modal "${modal.custom_id}", text "${input.custom_id}"`;
  if (answer !== undefined && typeof answer !== 'string') throw new Error(`${where}: expects a string`);
  const value = answer ?? '';
  const required = input.required ?? true;
  if (required && value.length === 0) throw new Error(`${where}: is required (Discord would not submit it empty)`);
  if (value.length > 0 && input.min_length !== undefined && value.length < input.min_length) {
    throw new Error(`${where}: ${value.length} characters, the bot asked for at least ${input.min_length}`);
  }
  const max = input.max_length ?? 4000;
  if (value.length > max) throw new Error(`${where}: ${value.length} characters, the bot allows at most ${max}`);
  return value;
}

interface StringSelectShape {
  custom_id: string;
  required?: boolean;
  min_values?: number;
  max_values?: number;
  options: APISelectMenuOption[];
}

function selectAnswer(
  modal: APIModalInteractionResponseCallbackData,
  select: StringSelectShape,
  answer: string | readonly string[] | undefined,
): string[] {
  const where = `Modal "${modal.custom_id}", select "${select.custom_id}"`;
  if (answer !== undefined && typeof answer === 'string') throw new Error(`${where}: expects a list of values`);
  const values = [...(answer ?? [])];
  const required = select.required ?? true;
  if (!required && values.length === 0) return values;
  return checkSelectValues(where, select, values);
}

/** The rules a string select enforces in the Discord client, shared by modals and message selects. */
export function checkSelectValues(where: string, select: StringSelectShape, values: string[]): string[] {
  const offered = select.options.map((o) => o.value);
  const unknown = values.filter((v) => !offered.includes(v));
  if (unknown.length > 0)
    throw new Error(`${where}: ${unknown.join(', ')} not offered (offered: ${offered.join(', ')})`);
  const min = select.min_values ?? 1;
  const max = select.max_values ?? 1;
  if (values.length < min || values.length > max) {
    throw new Error(`${where}: ${values.length} values chosen, the bot allows ${min} to ${max}`);
  }
  return values;
}
