/**
 * Turns a step's InputSpec into a zod schema, so every answer is checked before it reaches a
 * machine. Messages are written for the person who typed the answer: what is wrong and what to do.
 */
import { z } from 'zod';
import type { AnswerValue, InputSpec } from './flow-kit.js';

const boundedText = (what: string, min: number, max: number) =>
  z
    .string({ error: `Please write ${what}.` })
    .transform((s) => s.trim())
    .refine((s) => s.length > 0, { message: `${capitalise(what)} can't be empty — a few words are enough.` })
    .refine((s) => s.length >= min, {
      message: `${capitalise(what)} needs at least ${min} characters — a little more, please.`,
    })
    .refine((s) => s.length <= max, {
      message: `${capitalise(what)} can be at most ${max} characters — please shorten it a little.`,
    });

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function answerSchema(spec: InputSpec): z.ZodType<AnswerValue> {
  switch (spec.kind) {
    case 'text': {
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
    case 'choice': {
      const values = spec.options.map((o) => o.value) as [string, ...string[]];
      const note = spec.note
        ? spec.note.min > 0
          ? boundedText('the note', spec.note.min, spec.note.max)
          : z
              .string()
              .transform((s) => s.trim())
              .refine((s) => s.length <= (spec.note?.max ?? 0), {
                message: `The note can be at most ${spec.note.max} characters — please shorten it a little.`,
              })
              .optional()
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
        .transform(({ choice, note: n }): AnswerValue => (n ? { choice, note: n } : { choice }));
    }
    case 'list': {
      const item = z
        .string()
        .transform((s) => s.trim())
        .refine((s) => s.length <= spec.itemMax, {
          message: `Each point can be at most ${spec.itemMax} characters — please shorten the long one.`,
        });
      return z
        .object(
          { items: z.array(item, { error: 'Please write your points, one per line.' }) },
          {
            error: 'Please write your points, one per line.',
          },
        )
        .strict()
        .transform(({ items }) => ({ items: items.filter((s) => s.length > 0) }))
        .refine(({ items }) => items.length >= spec.min, {
          message:
            spec.min === 1
              ? 'Please write at least one point.'
              : `Please write at least ${spec.min} points, one per line — you have room for up to ${spec.max}.`,
        })
        .refine(({ items }) => items.length <= spec.max, {
          message: `Please keep it to at most ${spec.max} points.`,
        });
    }
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
