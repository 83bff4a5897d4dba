/**
 * Searching raw bytes for text: files are held as latin1 strings (one character a byte, so any byte
 * sequence survives), and each needle is looked for as its UTF-8 bytes, the way a store writes it.
 */

export interface ByteFile {
  /** What to call it in a failure ("mend.sqlite-wal", a PostgreSQL data file's path). */
  name: string;
  /** Its bytes as latin1 text ('' for a file that is not there). */
  text: string;
}

const asBytes = (needle: string) => Buffer.from(needle, 'utf8').toString('latin1');

/** Which of `needles` are in which files, each as "<needle> in <file>", so a failure says what survived where. */
export function foundIn(files: readonly ByteFile[], needles: readonly string[]): string[] {
  const found: string[] = [];
  for (const needle of new Set(needles)) {
    for (const file of files) if (file.text.includes(asBytes(needle))) found.push(`${needle} in ${file.name}`);
  }
  return found;
}

/** The needles that are in none of the files (for "it was there before": each must be found). */
export function missingFrom(files: readonly ByteFile[], needles: readonly string[]): string[] {
  return [...new Set(needles)].filter((needle) => !files.some((file) => file.text.includes(asBytes(needle))));
}
