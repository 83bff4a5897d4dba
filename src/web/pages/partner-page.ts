/**
 * A partner's page: who they are in this conversation, the live part (partner-view.ts), a private
 * note meant for them alone (after a safety pause), what is kept and how to erase it, and where
 * to find help. The live part is refreshed in place when the conversation changes.
 */
import type { PartnerId } from '../../engine/flow-types.js';
import { otherPartner } from '../../engine/flow-types.js';
import type { SessionView } from '../../engine/session.js';
import { type Html, html } from '../html.js';
import { page } from './layout.js';
import { partnerView, type ViewOptions } from './partner-view.js';
import { storageNote } from './storage-note.js';

export interface PartnerPageOptions extends ViewOptions {
  /** Words for this partner alone, shown once (the safety note after an answer that paused it). */
  privateNote?: { title: string; lines: string[] };
  file: string;
  safetyResources: string;
}

export function partnerPage(view: SessionView, me: PartnerId, options: PartnerPageOptions): Html {
  const { base } = options;
  const note = options.privateNote;
  return page({
    title: `${view.flow.title} — ${view.nameOf(me)}`,
    live: true,
    body: html`<div class="conversation">
<h1>${view.flow.title}</h1>
<p class="meta">You are <strong>${view.nameOf(me)}</strong>, talking with <strong>${view.nameOf(otherPartner(me))}</strong>. This page is yours alone.</p>
<p class="visually-hidden" role="status" id="announce"></p>
${
  note
    ? html`<section class="private" role="alert" aria-labelledby="private-title">
<h2 id="private-title">${note.title}</h2>
${note.lines.map((line) => html`<p class="words">${line}</p>`)}
</section>`
    : ''
}
<div id="live" data-fragment="${base}/live" data-events="${base}/events">
${partnerView(view, me, options)}
</div>
<footer class="site-footer">
<details>
<summary>If you are not safe</summary>
<p class="words">${options.safetyResources}</p>
</details>
<p class="small">${storageNote(options.file)}</p>
<details class="erase">
<summary>Delete this conversation</summary>
<p>This erases everything written here from the file, for both of you, at once. Both links stop working. It cannot be undone.</p>
<form method="post" action="${base}/erase"><button type="submit" class="quiet danger">Yes, delete it now</button></form>
</details>
</footer>
</div>`,
  });
}
