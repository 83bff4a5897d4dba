/** A JSON object as it arrives in a request body: nothing is known about it until it is checked. */
export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The objects in a JSON array (anything else is ignored: the schema check reports it). */
export function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}
