/**
 * What a STORE_URL names. Kept apart from store.ts so reading the config does not load three
 * database drivers (start-up with a bad setting must fail in well under two seconds).
 */
export type StoreKind = 'sqlite' | 'redis' | 'postgres';

export const DEFAULT_STORE_URL = 'sqlite://./data/mend.sqlite';

/** Which kind of store a URL names, or undefined when it names none we support. */
export function storeKindOf(url: string): StoreKind | undefined {
  if (/^sqlite:\/\/.+/.test(url)) return 'sqlite';
  if (/^rediss?:\/\/.+/.test(url)) return 'redis';
  if (/^postgres(ql)?:\/\/.+/.test(url)) return 'postgres';
  return undefined;
}
