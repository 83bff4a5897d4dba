/**
 * The engine and the flows know nothing of Discord: any surface (Discord today, a terminal or web
 * playground tomorrow) reuses them untouched. And no module imports another that imports it back,
 * directly or round a longer circle: each shared type has one home. Checked on the source, so a
 * stray import fails CI.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
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

/** The project's own modules a file imports (type-only imports count: a type needs one home too). */
function localImports(file: string): string[] {
  return importsOf(readFileSync(file, 'utf8'))
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => resolve(dirname(file), spec.replace(/\.js$/, '.ts')))
    .filter((path) => existsSync(path));
}

/** Every circle in an import graph, each as the files round it (first file repeated at the end). */
function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

it('no import circles in src/, flows/ or scripts/', () => {
  const files = ['src', 'flows', 'scripts'].flatMap((dir) => sourceFiles(join(root, dir)));
  const graph = new Map(files.map((file) => [file, localImports(file)]));
  expect(files.length).toBeGreaterThan(40);
  const found = circles(graph).map((circle) => circle.map((file) => relative(root, file)).join(' → '));
  expect(found).toEqual([]);
});

it('the circle check finds direct and longer circles, and nothing in a tree', () => {
  expect(
    circles(
      new Map([
        ['a', ['b']],
        ['b', ['a']],
      ]),
    ),
  ).toEqual([['a', 'b', 'a']]);
  expect(
    circles(
      new Map([
        ['a', ['b']],
        ['b', ['c']],
        ['c', ['a']],
      ]),
    ),
  ).toEqual([['a', 'b', 'c', 'a']]);
  expect(
    circles(
      new Map([
        ['a', ['b', 'c']],
        ['b', ['c']],
        ['c', []],
      ]),
    ),
  ).toEqual([]);
});
