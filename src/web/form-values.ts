/**
 * A submitted form read back into an answer, by what the step asks (its input spec). The engine
 * checks it; this only collects the fields, so a refusal can hand every word back as typed.
 */
import type { AnswerValue, InputSpec } from '../engine/flow-types.js';

export type FormBody = Record<string, string | File | (string | File)[]>;

const strings = (value: FormBody[string] | undefined): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');

export const field = (body: FormBody, name: string): string | undefined => strings(body[name])[0];

export function answerFromForm(body: FormBody, input: InputSpec): AnswerValue {
  switch (input.kind) {
    case 'text': {
      const value: AnswerValue = { text: field(body, 'text') ?? '' };
      const picks = strings(body.picks);
      if (picks.length > 0) value.picks = picks;
      return value;
    }
    case 'list':
      return { items: (field(body, 'items') ?? '').split(/\r?\n/) };
    case 'choice': {
      const value: AnswerValue = { choice: field(body, 'choice') ?? '' };
      const note = field(body, 'note');
      if (note?.trim()) value.note = note;
      return value;
    }
  }
}
