/**
 * An oracle for "heard while it matters", independent of the engine's own bookkeeping: it plays a
 * path's events on a flow machine one by one and, from the events and the prompts alone, works
 * out which answers both partners must be able to read after each one — every answer given so
 * far, except a sealed answer still pending (its partner's is not in yet, or it waits to be shown
 * beside a later answer), a draft under its author's private review, and a draft its author took
 * back to rewrite. It also gives the order the answers were given in, one group per prompt.
 */
import { type AnyMachineSnapshot, createActor } from 'xstate';
import type { FlowDefinition } from '../../src/engine/flow-kit.js';
import type { AnswerValue, FlowContext, FlowEvent, PartnerId } from '../../src/engine/flow-types.js';
import { resolvePrompt } from '../../src/engine/prompt.js';

export interface Given {
  /** The prompt it answered (`step@n`) and who gave it. */
  key: string;
  prompt: string;
  step: string;
  by: PartnerId;
  value: AnswerValue;
}

export interface OracleStep {
  event: FlowEvent;
  snapshot: AnyMachineSnapshot;
  /** Answers both must be able to read now. */
  mustBeReadable: Given[];
  /** Answers given and not taken back, but not to be readable yet (sealed pending, drafts). */
  hidden: Given[];
}

export interface OracleRun {
  steps: OracleStep[];
  /** Every answer that stands at the end (none taken back), grouped per prompt, in the order given. */
  groups: Given[][];
}

export function playWithOracle(flow: FlowDefinition, events: readonly FlowEvent[]): OracleRun {
  const actor = createActor(flow.machine, { input: {} });
  actor.start();
  const given = new Map<string, Given>();
  let underReview: string | undefined;
  let lastOwn: Partial<Record<PartnerId, string>> = {};
  const steps: OracleStep[] = [];

  for (const event of events) {
    const before = actor.getSnapshot();
    if (event.type === 'ANSWER') {
      const prompt = resolvePrompt(before, flow.machine.id);
      if (!prompt || prompt.step !== event.step || !prompt.awaiting.includes(event.by)) {
        throw new Error(
          `${flow.id}: the path answers ${event.step} as ${event.by}, but the flow asks ${prompt?.step ?? 'nothing'} of ${prompt?.awaiting.join(' and ') ?? 'nobody'}`,
        );
      }
      const spec = flow.steps.get(event.step);
      if (prompt && spec?.private) {
        // The author's choice on their own draft: rewriting takes it back; keeping lets it be read.
        if (event.value.choice === 'rewrite' && underReview) given.delete(underReview);
        underReview = undefined;
      } else if (prompt) {
        const key = `${prompt.key}/${event.by}`;
        given.set(key, { key, prompt: prompt.key, step: event.step, by: event.by, value: event.value });
        lastOwn = { ...lastOwn, [event.by]: key };
      }
    }
    actor.send(event);
    const snapshot = actor.getSnapshot();
    const next = resolvePrompt(snapshot, flow.machine.id);
    if (next?.private) {
      const author = next.awaiting[0];
      underReview = author ? lastOwn[author] : undefined;
    }
    const context = snapshot.context as FlowContext;
    const hiddenKeys = hiddenNow(flow, context, given, underReview);
    const all = [...given.values()];
    steps.push({
      event,
      snapshot,
      mustBeReadable: all.filter((g) => !hiddenKeys.has(g.key)),
      hidden: all.filter((g) => hiddenKeys.has(g.key)),
    });
  }
  actor.stop();

  const groups = new Map<string, Given[]>();
  for (const g of given.values()) groups.set(g.prompt, [...(groups.get(g.prompt) ?? []), g]);
  return {
    steps,
    groups: [...groups.values()].map((group) => [...group].sort((x, y) => x.by.localeCompare(y.by))),
  };
}

/** What of the given answers must not be readable at this moment. */
function hiddenNow(
  flow: FlowDefinition,
  context: FlowContext,
  given: ReadonlyMap<string, Given>,
  underReview: string | undefined,
): Set<string> {
  const hidden = new Set<string>();
  const pendingPrompt = context.pendingStep === null ? undefined : `${context.pendingStep}@${context.step}`;
  const sealedPending = pendingPrompt !== undefined && flow.steps.get(context.pendingStep ?? '')?.sealed === true;
  for (const g of given.values()) {
    if (sealedPending && g.prompt === pendingPrompt) hidden.add(g.key);
  }
  // A sealed answer waiting to be shown beside a later step's: held until that step's pair is in
  // (a skipped one has nothing to hold back).
  for (const g of given.values()) {
    const later = flow.steps.get(g.step)?.revealWith;
    if (later === undefined || g.value.skipped) continue;
    const revealed = [...given.values()].some((other) => other.step === later && !hidden.has(other.key));
    if (!revealed) hidden.add(g.key);
  }
  if (underReview) hidden.add(underReview);
  return hidden;
}
