/**
 * The answers a check-in takes, named once for the check-in flow (flows/check-in.ts) and the ledger
 * that keeps them (promises.ts), with the words a couple reads for each.
 */
import type { Option } from './flow-types.js';

/** How a promise has gone, from each side: no score, no verdict. */
export const CHECK_IN_CHOICES = ['kept', 'partly', 'notYet'] as const;
export type CheckInChoice = (typeof CHECK_IN_CHOICES)[number];

/** What to do with it now. */
export const NEXT_CHOICES = ['again', 'settled', 'letGo'] as const;
export type NextChoice = (typeof NEXT_CHOICES)[number];

export const CHECK_IN_LABELS: Record<CheckInChoice, string> = {
  kept: 'It’s been kept',
  partly: 'Partly',
  notYet: 'Not yet',
};

export const NEXT_LABELS: Record<NextChoice, string> = {
  again: 'Check in again',
  settled: 'It’s settled',
  letGo: 'Let it go',
};

export const optionsOf = <C extends string>(choices: readonly C[], labels: Record<C, string>): Option[] =>
  choices.map((value) => ({ value, label: labels[value] }));
