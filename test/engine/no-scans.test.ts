/**
 * No path under src/ reads every key of the store: sweeps go through the due-index, /forget, /export
 * and the census through the key sets. A full scan — `store.keys()`, an adapter's `iterator(`, a
 * Redis SCAN or KEYS — is allowed only in src/maintenance/ (run once at start-up on a store from an
 * earlier version). This reads the text of every source file, so a new scan anywhere fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');
const MAINTENANCE = 'maintenance/';

/** What a scan looks like in the text. */
const SCANS: { name: string; pattern: RegExp }[] = [
  { name: 'store.keys()', pattern: /\b\w*store\w*\s*\??\.\s*keys\s*\(/i },
  { name: "an adapter's iterator(", pattern: /\.\s*iterator\s*\(/ },
  { name: 'a Redis SCAN or KEYS command', pattern: /['"`](?:SCAN|KEYS|HSCAN|SSCAN|ZSCAN)['"`]/i },
  { name: "node-redis's scanIterator", pattern: /\bscanIterator\b/ },
  { name: 'the maintenance scan', pattern: /\bscanKeys\s*\(/ },
];

/**
 * The one place outside maintenance that names the scan: store.ts binds it to `Store.keys` (for
 * maintenance and tests); it never calls it.
 */
const ALLOWED = new Set(['engine/store.ts:  const keys = () => scanKeys(keyv);']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Every line of `text` that scans, as `file:line`, with what it does. */
function scansIn(file: string, text: string): string[] {
  if (file.startsWith(MAINTENANCE)) return [];
  return text.split('\n').flatMap((line, n) => {
    if (ALLOWED.has(`${file}:${line}`)) return [];
    return SCANS.filter((scan) => scan.pattern.test(line)).map(
      (scan) => `${file}:${n + 1} ${scan.name}: ${line.trim()}`,
    );
  });
}

describe('no scans of the store', () => {
  it('no source file under src/ scans the store outside src/maintenance/', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((path) => scansIn(relative(SRC, path), readFileSync(path, 'utf8')));
    expect(found).toEqual([]);
  });

  it('would see each kind of scan (the check can fail)', () => {
    const samples = [
      'for await (const key of this.store.keys()) {',
      'for await (const key of context.store.keys()) keys.push(key);',
      'for await (const [key] of keyv.iterator(keyv.namespace)) {',
      "await client.sendCommand(['SCAN', '0']);",
      "redis.call('KEYS', 'mend*')",
      'for await (const keys of client.scanIterator({ MATCH: "x" })) {}',
      'const all = scanKeys(keyv);',
    ];
    for (const sample of samples) expect(scansIn('engine/anything.ts', sample), sample).toHaveLength(1);
    // The same lines in a maintenance script are fine, and so are Maps' keys and Lua's KEYS table.
    expect(scansIn('maintenance/prepare-store.ts', samples.join('\n'))).toEqual([]);
    expect(scansIn('engine/x.ts', 'for (const id of flows.keys()) {}\nlocal v = redis.call("GET", KEYS[1])')).toEqual(
      [],
    );
  });
});
