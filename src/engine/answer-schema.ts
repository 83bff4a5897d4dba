/**
 * Turns a step's InputSpec into a zod schema, so every answer is checked before it reaches a
 * machine. Messages are written for the person who typed the answer: what is wrong and what to do.
 * Emptiness and minimum lengths count what can be seen (visible-text.ts): an answer of zero-width
 * characters is as empty as one of spaces.
 */
import { z } from 'zod';
import type { AnswerValue, InputSpec } from './flow-types.js';
import { trimInvisible, visibleLength } from './visible-text.js';

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const tooLong = (what: string, max: number) =>
  `${capitalise(what)} can be at most ${max} characters — please shorten it a little.`;

/** Required words: something visible, at least `min` visible characters, at most `max` characters. */
const boundedText = (what: string, min: number, max: number) =>
  z
    .string({ error: `Please write ${what}.` })
    .transform(trimInvisible)
    .refine((s) => visibleLength(s) > 0, { message: `${capitalise(what)} can't be empty — a few words are enough.` })
    .refine((s) => visibleLength(s) >= min, {
      message: `${capitalise(what)} needs at least ${min} characters — a little more, please.`,
    })
    .refine((s) => s.length <= max, { message: tooLong(what, max) });

/** Optional words: nothing visible counts as nothing written. */
const optionalText = (what: string, max: number) =>
  z
    .string()
    .transform(trimInvisible)
    .refine((s) => s.length <= max, { message: tooLong(what, max) })
    .transform((s) => (visibleLength(s) > 0 ? s : undefined))
    .optional();

function textSchema(spec: Extract<InputSpec, { kind: 'text' }>): z.ZodType<AnswerValue> {
  const picks = spec.picker
    ? z
        .array(z.enum(spec.picker.options.map((o) => o.value) as [string, ...string[]]), {
          error: 'One of those choices is not on the list.',
        })
        .max(spec.picker.max, { message: `Please pick at most ${spec.picker.max}.` })
        .refine((a) => new Set(a).size === a.length, { message: 'Each choice can be picked once.' })
        .optional()
    : z.undefined({ error: 'This step has no list to pick from.' }).optional();
  return z
    .object({ text: boundedText('your answer', spec.min, spec.max), picks }, { error: 'Please write your answer.' })
    .strict()
    .transform(({ text, picks: chosen }): AnswerValue => (chosen?.length ? { text, picks: chosen } : { text }));
}

function choiceSchema(spec: Extract<InputSpec, { kind: 'choice' }>): z.ZodType<AnswerValue> {
  const values = spec.options.map((o) => o.value) as [string, ...string[]];
  const noteSpec = spec.note;
  const note = noteSpec
    ? noteSpec.min > 0
      ? boundedText('the note', noteSpec.min, noteSpec.max)
      : optionalText('the note', noteSpec.max)
    : z.undefined({ error: 'This step takes no note.' }).optional();
  return z
    .object(
      {
        choice: z.enum(values, { error: `Please choose one of: ${spec.options.map((o) => o.label).join(', ')}.` }),
        note,
      },
      { error: 'Please choose one of the options.' },
    )
    .strict()
    .superRefine(({ choice, note: written }, ctx) => {
      if (written !== undefined && noteSpec?.onlyFor !== undefined && !noteSpec.onlyFor.includes(choice)) {
        ctx.addIssue({ code: 'custom', message: 'This choice takes no note.' });
      }
      if (noteSpec?.requiredFor?.includes(choice) && written === undefined) {
        const label = spec.options.find((o) => o.value === choice)?.label ?? choice;
        const what = noteSpec.labelFor?.[choice] ?? noteSpec.label;
        ctx.addIssue({
          code: 'custom',
          message: `“${label}” needs a few words in “${what}” — write them, or choose another option.`,
        });
      }
    })
    .transform(({ choice, note: n }): AnswerValue => (n ? { choice, note: n } : { choice }));
}

function listSchema(spec: Extract<InputSpec, { kind: 'list' }>): z.ZodType<AnswerValue> {
  const item = z
    .string()
    .transform(trimInvisible)
    .refine((s) => s.length <= spec.itemMax, {
      message: `Each point can be at most ${spec.itemMax} characters — please shorten the long one.`,
    });
  return z
    .object(
      { items: z.array(item, { error: 'Please write your points, one per line.' }) },
      { error: 'Please write your points, one per line.' },
    )
    .strict()
    .transform(({ items }) => ({ items: items.filter((s) => visibleLength(s) > 0) }))
    .refine(({ items }) => items.length >= spec.min, {
      message:
        spec.min === spec.max && spec.min > 1
          ? `Please write exactly ${spec.min}, one per line.`
          : spec.min === 1
            ? 'Please write at least one point.'
            : `Please write at least ${spec.min} points, one per line — you have room for up to ${spec.max}.`,
    })
    .refine(({ items }) => items.length <= spec.max, {
      message:
        spec.min === spec.max && spec.min > 1
          ? `Please keep it to ${spec.max}, one per line.`
          : `Please keep it to at most ${spec.max} points.`,
    });
}

export function answerSchema(spec: InputSpec): z.ZodType<AnswerValue> {
  switch (spec.kind) {
    case 'text':
      return textSchema(spec);
    case 'choice':
      return choiceSchema(spec);
    case 'list':
      return listSchema(spec);
  }
}

export type AnswerCheck = { ok: true; value: AnswerValue } | { ok: false; message: string };

/** Cached per spec object: specs are static, and building schemas on every turn is waste. */
const schemas = new WeakMap<InputSpec, z.ZodType<AnswerValue>>();

export function checkAnswer(spec: InputSpec, value: unknown): AnswerCheck {
  let schema = schemas.get(spec);
  if (!schema) {
    schema = answerSchema(spec);
    schemas.set(spec, schema);
  }
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, message: result.error.issues[0]?.message ?? 'That answer could not be used.' };
}
