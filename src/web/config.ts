/**
 * The playground's settings, read once. With none set it serves http://127.0.0.1:8090 from its own
 * SQLite file: loopback only, because anyone who can reach the page with a partner's link can read
 * and answer as that partner (the README says what opening it to a network means).
 */
import { z } from 'zod';

export const DEFAULT_PLAYGROUND_STORE_URL = 'sqlite://./data/playground.sqlite';

const unset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const schema = z.object({
  PLAYGROUND_HOST: z.preprocess(unset, z.string().trim().default('127.0.0.1')),
  PLAYGROUND_PORT: z.preprocess(
    unset,
    z.coerce
      .number({ error: 'PLAYGROUND_PORT must be a port number (1–65535), e.g. 8090.' })
      .int({ error: 'PLAYGROUND_PORT must be a whole number, e.g. 8090.' })
      .min(0, { error: 'PLAYGROUND_PORT must be between 1 and 65535.' })
      .max(65535, { error: 'PLAYGROUND_PORT must be between 1 and 65535.' })
      .default(8090),
  ),
  PLAYGROUND_STORE_URL: z.preprocess(
    unset,
    z
      .string()
      .startsWith('sqlite://', {
        error: 'PLAYGROUND_STORE_URL must be a sqlite:// file (the playground keeps its own).',
      })
      .default(DEFAULT_PLAYGROUND_STORE_URL),
  ),
});

export type PlaygroundConfig = z.infer<typeof schema>;

/** Every variable the playground reads (.env.example lists them beside the bot's). */
export const PLAYGROUND_VARIABLES = Object.keys(schema.shape) as (keyof PlaygroundConfig)[];

/** The settings, or one plain line per problem. */
export function playgroundConfig(
  env: Record<string, string | undefined>,
): { ok: true; config: PlaygroundConfig } | { ok: false; problems: string[] } {
  const parsed = schema.safeParse(env);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => i.message) };
}
