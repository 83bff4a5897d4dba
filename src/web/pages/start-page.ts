/** The first page: pick a conversation, type the two names, and get one link per partner. */
import type { FlowDefinition } from '../../engine/flow-kit.js';
import { type Html, html } from '../html.js';
import { page } from './layout.js';
import { storageNote } from './storage-note.js';

export interface StartForm {
  flowId?: string;
  nameA?: string;
  nameB?: string;
  /** Why the last try was refused. */
  problem?: string;
}

export const NAME_MAX = 32;

export function startPage(flows: FlowDefinition[], file: string, form: StartForm = {}): Html {
  const chosen = form.flowId ?? flows[0]?.id;
  return page({
    title: 'Start a conversation',
    body: html`<section class="card">
<h1>Try Mend</h1>
<p>Mend guides two people through a hard conversation, one question at a time. Here you can try it without Discord: pick a conversation, type two names, and open one link for each partner — on two devices, or side by side to try it alone.</p>
${form.problem ? html`<div class="notice" role="alert" tabindex="-1">${form.problem}</div>` : ''}
<form method="post" action="/start" novalidate>
<fieldset>
<legend>Which conversation?</legend>
${flows.map(
  (flow) => html`<div class="option">
<input type="radio" name="flow" id="flow-${flow.id}" value="${flow.id}" aria-describedby="flow-${flow.id}-about"${chosen === flow.id ? html` checked` : ''}>
<label for="flow-${flow.id}">${flow.title}</label>
<p class="hint" id="flow-${flow.id}-about">${flow.description}</p>
</div>`,
)}
</fieldset>
<div class="field">
<label for="name-a">Your name</label>
<input id="name-a" name="nameA" autocomplete="off" maxlength="${NAME_MAX}" required value="${form.nameA ?? ''}">
</div>
<div class="field">
<label for="name-b">Your partner’s name</label>
<input id="name-b" name="nameB" autocomplete="off" maxlength="${NAME_MAX}" required value="${form.nameB ?? ''}">
</div>
<button type="submit">Start and get our two links</button>
</form>
<p class="small">${storageNote(file)}</p>
<p class="small">Mend is a structure for talking, not a therapist. Where the hurt runs deep, a counsellor can help alongside it.</p>
</section>`,
  });
}

export interface StartedLinks {
  flowTitle: string;
  names: { a: string; b: string };
  links: { a: string; b: string };
}

export function linksPage(started: StartedLinks): Html {
  const { names, links } = started;
  return page({
    title: 'Your two links',
    body: html`<section class="card">
<h1>${started.flowTitle}: your two links</h1>
<p>Each link opens one partner’s page, and answers as that partner only. Keep them between the two of you: anyone with a link can read that page.</p>
<ul class="links">
<li><a href="${links.a}" target="_blank" rel="noopener" data-partner="a">Open ${names.a}’s page</a><br><code class="link">${links.a}</code></li>
<li><a href="${links.b}" target="_blank" rel="noopener" data-partner="b">Open ${names.b}’s page</a><br><code class="link">${links.b}</code></li>
</ul>
<p class="small">To try it alone, open both links side by side. This page is not shown again: copy the links now if you want them later.</p>
</section>`,
  });
}
