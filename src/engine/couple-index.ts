/**
 * The key sets that stand in for scans: which keys hold a couple's records (so /forget and /export
 * read only theirs), and which sessions are open (so the start-up census reads only those). An index
 * entry is added before the record it points to is written, so it may point at something gone or
 * someone else's — readers check every record they load — but never misses one.
 */

/** The set of a couple's session and summary keys (guild '' for sessions stored without one). */
export const coupleIndex = (guildId: string | undefined, a: string, b: string) => {
  const [first, second] = [a, b].sort();
  return `couple-keys:${guildId ?? ''}:${first}:${second}`;
};

/** The set of open sessions' keys. */
export const OPEN_SESSIONS = 'open-sessions';
