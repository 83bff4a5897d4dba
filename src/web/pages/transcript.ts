/**
 * What was said, as one partner may read it (visibility.ts decides: every answer both can read,
 * and their own still hidden from the other, saying why). Grouped by prompt, in the order given,
 * by name and in full.
 */
import { answerText } from '../../engine/answers.js';
import type { AnswerRecord, PartnerId } from '../../engine/flow-types.js';
import type { SessionView } from '../../engine/session.js';
import { type NotShownYet, type ReadableAnswer, readableBy } from '../../engine/visibility.js';
import { type Html, html } from '../html.js';

const WHY_HIDDEN: Record<NotShownYet, string> = {
  sealed: 'Only you can see this for now: it appears to both of you once your partner has answered too.',
  'held-back': 'Only you can see this for now: it will be shown beside a later answer.',
  draft: 'Only you can see this for now: you are still looking it over.',
  rewriting: 'Only you can see this: you took it back to rewrite.',
};

const headingOf = (view: SessionView, fill: (t: string) => string, answer: AnswerRecord) => {
  const spec = view.flow.steps.get(answer.step);
  const heading = spec?.summaryTitle ?? spec?.title ?? answer.step;
  return fill(typeof heading === 'string' ? heading : heading(view.context));
};

function entry(view: SessionView, fill: (t: string) => string, item: ReadableAnswer): Html {
  const { answer, notShownYet } = item;
  const spec = view.flow.steps.get(answer.step);
  return html`<div class="said${notShownYet ? ' own-hidden' : ''}">
<p class="who">${view.nameOf(answer.by)}${answer.about ? html` <span class="about">— ${answer.about}</span>` : ''}</p>
<p class="words">${answerText(answer.value, spec?.input, fill)}</p>
${(answer.additions ?? []).map((t) => html`<p class="added"><span>Added later:</span> ${t}</p>`)}
${notShownYet ? html`<p class="hint">🔒 ${WHY_HIDDEN[notShownYet]}</p>` : ''}
</div>`;
}

export function transcript(view: SessionView, reader: PartnerId, fill: (t: string) => string): Html {
  const items = readableBy(view.flow, view.context, reader);
  if (items.length === 0) return html``;
  const groups: ReadableAnswer[][] = [];
  for (const item of items) {
    const last = groups.at(-1)?.[0]?.answer;
    if (last && last.step === item.answer.step && last.seq === item.answer.seq) groups.at(-1)?.push(item);
    else groups.push([item]);
  }
  return html`<section class="transcript" aria-labelledby="said-title">
<h2 id="said-title">What was said</h2>
${groups.map(
  (group) => html`<article class="group">
<h3>${headingOf(view, fill, (group[0] as ReadableAnswer).answer)}</h3>
${group.map((item) => entry(view, fill, item))}
</article>`,
)}
</section>`;
}
