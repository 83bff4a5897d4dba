/**
 * The engine and the flows know nothing of Discord: any surface (Discord today, a terminal or web
 * playground tomorrow) reuses them untouched. Checked on the source, so a stray import fails CI.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

/** Every module a file imports or requires (static, dynamic, re-exports). */
function importsOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bfrom\s+['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bimport\s+['"]([^'"]+)['"]/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) if (match[1]) found.push(match[1]);
  return found;
}

const isDiscord = (spec: string) =>
  /^(discord\.js|@discordjs\/|discord-api-types)/.test(spec) || spec.includes('/discord/');

it('nothing under flows/ or src/engine/ imports discord.js (or the Discord layer)', () => {
  const files = [...sourceFiles(join(root, 'flows')), ...sourceFiles(join(root, 'src/engine'))];
  expect(files.length).toBeGreaterThan(8);
  const offenders = files.flatMap((file) =>
    importsOf(readFileSync(file, 'utf8'))
      .filter(isDiscord)
      .map((spec) => `${relative(root, file)} imports ${spec}`),
  );
  expect(offenders).toEqual([]);
});

it('the check itself catches each way of importing', () => {
  const sample = [
    "import { Client } from 'discord.js';",
    "export * from '@discordjs/builders';",
    "const d = await import('discord.js');",
    "import '../discord/render.js';",
    "const r = require('discord-api-types/v10');",
  ].join('\n');
  expect(importsOf(sample).filter(isDiscord)).toHaveLength(5);
  expect(importsOf("import { z } from 'zod';").filter(isDiscord)).toEqual([]);
});
