/**
 * `npm run transcripts`: plays a scripted session of each flow through the local Discord, with the
 * real bot, and writes docs/transcripts/<flow>.md — what each partner saw, in order, private notes
 * included — so the conversation can be reviewed by people, without Discord.
 * test/ops/transcripts.test.ts fails when one is out of date.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { flowNamed } from '../test/support/flows.js';
import { startMend } from '../test/support/mend-world.js';
import { admitMistake } from './transcripts/admit-mistake.js';
import { checkIn } from './transcripts/check-in.js';
import { gratitude } from './transcripts/gratitude.js';
import { groundRules } from './transcripts/ground-rules.js';
import { needsDiscovery } from './transcripts/needs-discovery.js';
import { renderTranscript } from './transcripts/render.js';
import { safetyCheck, safetyPause } from './transcripts/safety.js';
import type { TranscriptScript } from './transcripts/session.js';
import { toleranceQuestions } from './transcripts/tolerance-questions.js';

export const TRANSCRIPTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../docs/transcripts');

export const SCRIPTS: readonly TranscriptScript[] = [
  admitMistake,
  groundRules,
  toleranceQuestions,
  needsDiscovery,
  gratitude,
  checkIn,
  safetyCheck,
  safetyPause,
];

/** Plays one script and renders what each partner saw. */
export async function transcriptOf(script: TranscriptScript): Promise<string> {
  // As a couple meets it: each looks the summary over before it is posted (SUMMARY_APPROVAL_HOURS).
  const world = await startMend({ summaryApprovalHours: 24 });
  try {
    const flow = flowNamed(script.flowId);
    const played = await script.play(world.couple, world);
    if (script.endsWithSummary !== false) await world.couple.channel.summary();
    const { alex, sam } = world.couple;
    return renderTranscript(
      {
        flowTitle: script.scene?.title ?? flow.title,
        about: script.about,
        channelId: world.discord.channelId('couple'),
        people: [
          { id: alex.id, name: alex.name },
          { id: sam.id, name: sam.name },
        ],
        timeline: world.discord.timeline().slice(played ? played.from : 0),
      },
      `scripts/transcripts/${script.scene ? 'safety' : script.flowId}.ts`,
    );
  } finally {
    await world.stop();
  }
}

export async function generateTranscripts(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const script of SCRIPTS) files.set(`${script.scene?.name ?? script.flowId}.md`, await transcriptOf(script));
  return files;
}

/** The transcripts on disk now. */
export function readTranscripts(dir = TRANSCRIPTS_DIR): Map<string, string> {
  const files = new Map<string, string>();
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.md'));
  } catch {
    return files;
  }
  for (const name of names.sort()) files.set(name, readFileSync(join(dir, name), 'utf8'));
  return files;
}

async function main(): Promise<void> {
  const files = await generateTranscripts();
  mkdirSync(TRANSCRIPTS_DIR, { recursive: true });
  for (const name of readTranscripts().keys()) if (!files.has(name)) rmSync(join(TRANSCRIPTS_DIR, name));
  for (const [name, text] of files) writeFileSync(join(TRANSCRIPTS_DIR, name), text);
  console.log(`wrote ${files.size} transcripts to docs/transcripts: ${[...files.keys()].join(', ')}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
