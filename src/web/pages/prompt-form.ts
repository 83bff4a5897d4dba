/**
 * A prompt's form, built from its input meta alone: a choice (one button per option, or radio
 * buttons with the note it takes), text with its limits (and a picker beside it), or a list, one
 * point per line. Every field has a label and says its limits; the engine checks the answer, so
 * the form leaves validation to it (`novalidate`) and every refusal reads the same as on Discord.
 * New flows and steps need nothing here: everything comes from the spec.
 */
import type { AnswerValue, InputSpec } from '../../engine/flow-types.js';
import type { Prompt } from '../../engine/prompt.js';
import { type Html, html } from '../html.js';

export interface FormOptions {
  action: string;
  prompt: Prompt;
  /** Names into labels ("I’d like {b} to"). */
  fill: (text: string) => string;
  /** Words to start from: what they typed before a refusal, or a draft taken back. */
  typed?: AnswerValue;
  /** A refusal to show beside the fields. */
  problem?: string;
}

const limits = (min: number, max: number) =>
  min > 1 ? `Between ${min} and ${max} characters.` : `Up to ${max} characters.`;

function textFields(input: Extract<InputSpec, { kind: 'text' }>, options: FormOptions): Html {
  const typed = options.typed;
  const picked = new Set(typed?.picks ?? []);
  const picker = input.picker;
  return html`<div class="field">
<label for="answer-text">${options.fill(input.label)}</label>
<p class="hint" id="answer-text-hint">${limits(input.min, input.max)}</p>
<textarea id="answer-text" name="text" rows="5" maxlength="${input.max}" required aria-describedby="answer-text-hint" placeholder="${input.placeholder ?? 'Take your time.'}">${typed?.text ?? ''}</textarea>
</div>
${
  picker
    ? html`<fieldset class="picker">
<legend>${picker.label} <span class="hint">(you may pick up to ${picker.max})</span></legend>
<div class="picks">
${picker.options.map(
  (o, i) =>
    html`<div class="pick"><input type="checkbox" id="pick-${i}" name="picks" value="${o.value}"${picked.has(o.value) ? html` checked` : ''}><label for="pick-${i}">${o.label}</label></div>`,
)}
</div>
</fieldset>`
    : ''
}
<button type="submit">Send my answer</button>`;
}

function listFields(input: Extract<InputSpec, { kind: 'list' }>, options: FormOptions): Html {
  return html`<div class="field">
<label for="answer-items">${options.fill(input.label)}</label>
<p class="hint" id="answer-items-hint">One per line: at least ${input.min}, at most ${input.max}, each up to ${input.itemMax} characters.</p>
<textarea id="answer-items" name="items" rows="${Math.min(8, input.max + 1)}" required aria-describedby="answer-items-hint" placeholder="${input.placeholder ?? 'One point per line'}">${(options.typed?.items ?? []).join('\n')}</textarea>
</div>
<button type="submit">Send my answer</button>`;
}

function choiceFields(input: Extract<InputSpec, { kind: 'choice' }>, options: FormOptions): Html {
  const note = input.note;
  if (!note) {
    // Answered with one press, as on Discord: each option is its own button.
    return html`<div class="choices" role="group" aria-labelledby="prompt-question">
${input.options.map((o) => html`<button type="submit" name="choice" value="${o.value}">${options.fill(o.label)}</button>`)}
</div>`;
  }
  const chosen = options.typed?.choice;
  const special = Object.entries(note.labelFor ?? {})
    .map(([value, label]) => {
      const option = input.options.find((o) => o.value === value);
      return option ? `For “${options.fill(option.label)}”: ${options.fill(label)}.` : '';
    })
    .filter(Boolean);
  const which = note.onlyFor
    ? ` Only for: ${input.options
        .filter((o) => note.onlyFor?.includes(o.value))
        .map((o) => `“${options.fill(o.label)}”`)
        .join(', ')}.`
    : '';
  const required = note.requiredFor?.length
    ? ` Needed for: ${input.options
        .filter((o) => note.requiredFor?.includes(o.value))
        .map((o) => `“${options.fill(o.label)}”`)
        .join(', ')}.`
    : '';
  return html`<fieldset>
<legend>Your answer</legend>
${input.options.map(
  (o, i) =>
    html`<div class="option"><input type="radio" id="choice-${i}" name="choice" value="${o.value}"${chosen === o.value ? html` checked` : ''}><label for="choice-${i}">${options.fill(o.label)}</label></div>`,
)}
</fieldset>
<div class="field">
<label for="answer-note">${options.fill(note.label)}${note.min > 0 ? '' : ' (optional)'}</label>
<p class="hint" id="answer-note-hint">${[...special, `${limits(note.min, note.max)}${which}${required}`].join(' ')}</p>
<textarea id="answer-note" name="note" rows="3" maxlength="${note.max}" aria-describedby="answer-note-hint" placeholder="${note.placeholder ?? 'A few words, if you like.'}">${options.typed?.note ?? ''}</textarea>
</div>
<button type="submit">Send my answer</button>`;
}

export function promptForm(options: FormOptions): Html {
  const { prompt } = options;
  const input = prompt.input;
  const fields =
    input.kind === 'text'
      ? textFields(input, options)
      : input.kind === 'list'
        ? listFields(input, options)
        : choiceFields(input, options);
  return html`<form class="answer" method="post" action="${options.action}" novalidate data-key="${prompt.key}" data-kind="${input.kind}">
<input type="hidden" name="key" value="${prompt.key}">
${options.problem ? html`<div class="notice" role="alert" id="problem">${options.problem}</div>` : ''}
${fields}
</form>`;
}
