/**
 * The summary at the end, from the engine's structured summary: the header, what matters most at
 * a glance (tables as real tables), every answer in full, what stayed private, a next step. It is
 * the page's main content once a conversation has finished, and prints cleanly on its own.
 */
import type { SummarySection } from '../../engine/flow-types.js';
import type { Summary } from '../../engine/summary.js';
import { type Html, html } from '../html.js';

const longDate = (at: number) =>
  new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(at));

function section(s: SummarySection, i: number): Html {
  return html`<section class="highlight" aria-labelledby="highlight-${i}">
<h4 id="highlight-${i}">${s.title}</h4>
${(s.lines ?? []).map((line) => html`<p class="words">${line}</p>`)}
${
  s.table
    ? html`<div class="table-wrap"><table>
<thead><tr>${s.table.columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
<tbody>${s.table.rows.map((row) => html`<tr>${row.map((cell, j) => (j === 0 ? html`<th scope="row" class="words">${cell}</th>` : html`<td class="words">${cell}</td>`))}</tr>`)}</tbody>
</table></div>`
    : ''
}
</section>`;
}

export function summaryView(summary: Summary, followUpNote?: string): Html {
  const [a, b] = summary.partners;
  return html`<section class="summary" aria-labelledby="summary-title">
<h2 id="summary-title">Summary · ${summary.flowTitle}</h2>
<p class="meta">${a} and ${b} · <time datetime="${new Date(summary.at).toISOString()}">${longDate(summary.at)}</time></p>
<p class="outcome">${summary.outcome}</p>
${summary.highlights.length > 0 ? html`<h3 class="part">At a glance</h3>` : ''}
${summary.highlights.map(section)}
<h3 class="part">Everything you said</h3>
${summary.steps.length === 0 ? html`<p>Nothing was written before it ended.</p>` : ''}
${summary.steps.map(
  (step) => html`<article class="group">
<h4>${step.title}</h4>
${step.entries.map(
  (e) => html`<div class="said">
<p class="who">${e.by}${e.about ? html` <span class="about">— ${e.about}</span>` : ''}</p>
<p class="words">${e.text}</p>
${(e.additions ?? []).map((t) => html`<p class="added"><span>Added later:</span> ${t}</p>`)}
</div>`,
)}
</article>`,
)}
${
  summary.unrevealed.length > 0
    ? html`<h3 class="part">Kept private</h3>${summary.unrevealed.map((u) => html`<p>${u}</p>`)}`
    : ''
}
<h3 class="part">A next step</h3>
<p>${summary.nextStep}</p>
${followUpNote ? html`<p class="note">${followUpNote}</p>` : ''}
</section>`;
}
