/**
 * One partner's view of a conversation, as it stands: whose turn it is, what was said (what this
 * partner may read), the prompt with its form when it is theirs, a break, the offer after a safety
 * pause, or the summary at the end; Pause and End while it runs. Everything comes from the
 * engine's session view and the prompt meta: no flow is named here.
 */
import { canSkip, setAside } from '../../engine/after-safety.js';
import { BREAKS } from '../../engine/break-lengths.js';
import type { AnswerValue, PartnerId } from '../../engine/flow-types.js';
import { otherPartner } from '../../engine/flow-types.js';
import { delayWords, FOLLOW_UP_STEP, followUpDelay } from '../../engine/follow-up.js';
import { fillNames, type Prompt } from '../../engine/prompt.js';
import type { SessionView } from '../../engine/session.js';
import { FINISHED } from '../../engine/session-record.js';
import { summarize } from '../../engine/summary.js';
import { type Html, html } from '../html.js';
import { promptForm } from './prompt-form.js';
import { summaryView } from './summary-view.js';
import { transcript } from './transcript.js';

export interface ViewOptions {
  /** The partner's own base path, `/p/<token>`. */
  base: string;
  /** What they typed before a refusal, given back. */
  typed?: AnswerValue;
  /** A refusal, shown beside the form (or at the top when there is none). */
  problem?: string;
}

const clock = (at: number) =>
  new Intl.DateTimeFormat('en-GB', { weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(at));

/** Whose turn it is, said plainly to this partner. */
export function turnLine(view: SessionView, me: PartnerId): string {
  const other = view.nameOf(otherPartner(me));
  if (FINISHED.has(view.status)) return 'This conversation has finished. Your summary is below.';
  if (view.status === 'paused') return 'This conversation is on a break.';
  const prompt = view.prompt;
  if (!prompt) return 'Nothing is waiting on you just now.';
  if (setAside(view)) return 'You have both chosen to continue: choose how to go on.';
  if (prompt.awaiting.includes(me)) {
    if (prompt.both && prompt.answered.length > 0)
      return `${other} has answered. Your answer is the one still to come.`;
    if (prompt.both) return 'You each answer this one. It’s your turn.';
    return 'It’s your turn.';
  }
  if (prompt.private) return `${other} is still writing.`;
  if (prompt.both) return `Your answer is in. Waiting for ${other}.`;
  return `It’s ${other}’s turn. This page updates by itself when it’s yours.`;
}

function quotes(view: SessionView, prompt: Prompt, fill: (t: string) => string): Html {
  if (prompt.quotes.length === 0) return html``;
  return html`<div class="quotes">
${prompt.quotes.map(
  (q) => html`<figure class="quote">
${q.label ? html`<figcaption>${fill(q.label)}</figcaption>` : html`<figcaption>${view.nameOf(q.by)}</figcaption>`}
<blockquote class="words">${q.text}</blockquote>
</figure>`,
)}
</div>`;
}

/** In the playground nobody comes back later: said where the couple choose a time. */
const FOLLOW_UP_HERE =
  'The playground does not come back to you later: coming back at the time you choose is something the Discord bot does. Pick one to see how it reads, or none.';

function promptSection(view: SessionView, me: PartnerId, prompt: Prompt, options: ViewOptions): Html {
  const fill = (t: string) => fillNames(t, view.context.roles, view.nameOf);
  const mine = prompt.awaiting.includes(me);
  if (prompt.private && !mine) {
    return html`<section class="prompt" aria-labelledby="prompt-title">
<h2 id="prompt-title" tabindex="-1">${fill(prompt.title)}</h2>
<p>${view.nameOf(otherPartner(me))} is still writing.</p>
</section>`;
  }
  const typed = options.typed ?? prompt.prefill;
  const form = mine
    ? promptForm({
        action: `${options.base}/answer`,
        prompt,
        fill,
        ...(typed ? { typed } : {}),
        ...(options.problem ? { problem: options.problem } : {}),
      })
    : html`<p class="waiting">${turnLine(view, me)}</p>`;
  return html`<section class="prompt${mine ? ' mine' : ''}" aria-labelledby="prompt-title">
<h2 id="prompt-title" tabindex="-1">${fill(prompt.title)}</h2>
${prompt.private ? html`<p class="hint">Only you can see this step.</p>` : ''}
<p class="question" id="prompt-question">${fill(prompt.text)}</p>
${prompt.why ? html`<p class="why">${fill(prompt.why)}</p>` : ''}
${prompt.sealedNote ? html`<p class="sealed">${prompt.sealedNote}</p>` : ''}
${prompt.step === FOLLOW_UP_STEP ? html`<p class="note">${FOLLOW_UP_HERE}</p>` : ''}
${quotes(view, prompt, fill)}
${form}
</section>`;
}

function pauseSection(view: SessionView, me: PartnerId, base: string): Html {
  const pause = view.context.pause;
  const who = pause && pause.by !== 'system' ? view.nameOf(pause.by) : 'Mend';
  const voted = pause?.resumeVotes.includes(me) === true;
  const text = pause?.safety
    ? 'This conversation is paused for now. It continues only when you both choose to, and talking with a counsellor first may help.'
    : `${who} asked for a break${pause?.until ? ` until ${clock(pause.until)}` : ''}. Take the time you need — nothing you wrote is lost. The playground sends no reminder: come back to this page when you are ready.`;
  return html`<section class="pause" aria-labelledby="pause-title">
<h2 id="pause-title" tabindex="-1">On a break</h2>
<p>${text}</p>
${
  pause?.safety && voted
    ? html`<p class="waiting">You have chosen to continue. It goes on once ${view.nameOf(otherPartner(me))} chooses to as well.</p>`
    : html`<form method="post" action="${base}/resume"><button type="submit">${pause?.safety ? 'I am ready to continue' : 'Pick it up again'}</button></form>`
}
</section>`;
}

function setAsideSection(view: SessionView, prompt: Prompt, options: ViewOptions, me: PartnerId): Html {
  const skippable = canSkip(prompt);
  const fill = (t: string) => fillNames(t, view.context.roles, view.nameOf);
  return html`<section class="pause" aria-labelledby="aside-title">
<h2 id="aside-title" tabindex="-1">Before you go on</h2>
<p>You have both chosen to continue. The answer that paused this conversation was not kept, and it will not appear in the summary.</p>
${
  skippable
    ? html`<p>You can skip that question and go on to the next one, or end here. Either is a fine choice.</p>
${prompt.answered.length > 0 ? html`<p>If you skip it, the answer already given to it is kept and shown as usual.</p>` : ''}
<form method="post" action="${options.base}/skip"><input type="hidden" name="key" value="${prompt.key}"><button type="submit">Skip that question</button></form>`
    : html`<p>This question is a choice, and where the conversation goes next depends on it, so it can’t be skipped. You can answer it again, or end here.</p>
${prompt.awaiting.includes(me) ? promptForm({ action: `${options.base}/answer`, prompt, fill }) : ''}`
}
</section>`;
}

function controls(base: string): Html {
  return html`<section class="controls" aria-label="Pause or end">
<form method="post" action="${base}/pause" class="inline">
<label for="break-length">Take a break</label>
<select id="break-length" name="minutes">${BREAKS.map((b) => html`<option value="${b.value}">${b.label}</option>`)}</select>
<button type="submit" class="quiet">Pause</button>
</form>
<details class="end">
<summary>End the conversation</summary>
<p>Ending here keeps what you both wrote for the summary. A “not now” is always all right.</p>
<form method="post" action="${base}/end"><button type="submit" class="quiet">Yes, end it here</button></form>
</details>
</section>`;
}

function finishedSection(view: SessionView): Html {
  const summary = summarize({
    flow: view.flow,
    context: view.context,
    status: view.status,
    nameOf: view.nameOf,
    at: view.record.updatedAt,
    ...(view.record.closedReason !== undefined ? { closedReason: view.record.closedReason } : {}),
  });
  const delay = followUpDelay(view.context);
  const what = view.flow.followUp === 'again' ? 'to have the next one' : 'to check in';
  const note =
    delay !== undefined
      ? `You chose ${what} ${delayWords(delay)}. The playground will not come back to you then: that happens in the Discord bot.`
      : undefined;
  return html`${summaryView(summary, note)}
<p class="actions"><button type="button" class="quiet" data-print hidden>Print this summary</button> <a href="/">Start another conversation</a></p>`;
}

/** The part of the page that changes as the conversation goes (refreshed live). */
export function partnerView(view: SessionView, me: PartnerId, options: ViewOptions): Html {
  const fill = (t: string) => fillNames(t, view.context.roles, view.nameOf);
  const version = `${view.record.updatedAt}:${view.record.recentInputs.at(-1) ?? ''}:${view.status}`;
  const prompt = view.prompt;
  const held = setAside(view);
  let current: Html;
  if (FINISHED.has(view.status)) current = finishedSection(view);
  else if (view.status === 'paused') current = pauseSection(view, me, options.base);
  else if (held) current = setAsideSection(view, held, options, me);
  else if (prompt) current = promptSection(view, me, prompt, options);
  else current = html``;
  // A refusal shows beside the form it refused, when the page has one; otherwise at the top.
  const problemShown = view.status === 'active' && !held && prompt?.awaiting.includes(me) === true;
  return html`<div class="view" data-version="${version}" data-status="${view.status}">
<p class="turn" data-turn>${turnLine(view, me)}</p>
${options.problem && !problemShown ? html`<div class="notice" role="alert" id="problem">${options.problem}</div>` : ''}
${FINISHED.has(view.status) ? '' : transcript(view, me, fill)}
${current}
${view.status === 'active' ? controls(options.base) : ''}
</div>`;
}
