/**
 * Renders what the engine describes as the couple's channel messages: a prompt; the same prompt
 * once answered, with the answers in it, by name and in full (so the channel reads as the
 * conversation: question, answer, question); answers shown elsewhere; a break. It holds no
 * conversation logic: everything comes from the prompt meta and the session.
 * `allowedMentions` names only the partner whose turn it is; everything else never pings.
 */
import { TimestampStyles, time, userMention } from 'discord.js';
import { answerText } from '../engine/answers.js';
import type { AnswerRecord, PartnerId } from '../engine/flow-types.js';
import { fillNames, type Prompt } from '../engine/prompt.js';
import type { SessionView } from '../engine/session.js';
import { answerRows } from './answer-buttons.js';
import { buttonRows, type Row } from './components.js';
import changeAnswer from './interactions/change-answer.js';
import continuePrivately from './interactions/continue-privately.js';
import end from './interactions/end.js';
import pause from './interactions/pause.js';
import resume from './interactions/resume.js';
import { COLOR, clip, embedOf, type MessagePayload, safeText } from './note.js';
import { quoteLines } from './quotes.js';
import { type EmbedBlock, LIMITS, packMessages, sectionBlocks } from './split.js';

const names = (view: SessionView) => (text: string) => fillNames(text, view.context.roles, view.nameOf);

const idOf = (view: SessionView, partner: PartnerId) => view.record.partners[partner].id;

/** Pause and End, on every prompt, for both partners. */
const controlRows = (): Row[] =>
  buttonRows(
    { customId: pause.customId(), label: 'Pause', style: 'secondary' },
    { customId: end.customId(), label: 'End', style: 'secondary' },
  );

/** Who is asked, said plainly: "Sam, it's your turn." / "Alex and Sam, you each answer this one." */
function turnLine(view: SessionView, prompt: Prompt): string {
  const mentions = prompt.awaiting.map((p) => userMention(idOf(view, p)));
  if (prompt.both && prompt.answered.length > 0) {
    return `${mentions.join(' and ')}, your answer is the one still to come.`;
  }
  if (prompt.both) return `${mentions.join(' and ')}, you each answer this one.`;
  return `${mentions.join(' and ')}, it's your turn.`;
}

const toPayloads = (blocks: EmbedBlock[], components: Row[], first: Partial<MessagePayload> = {}): MessagePayload[] => {
  const messages = packMessages(blocks);
  return messages.map((embeds, i) => ({
    content: i === 0 ? (first.content ?? '') : '',
    embeds: embeds.map(embedOf),
    components: i === messages.length - 1 ? components : [],
    allowedMentions: i === 0 && first.allowedMentions ? first.allowedMentions : { parse: [] },
  }));
};

/**
 * Someone is looking over their words privately (the apology coach's review): the channel says
 * only that they are still writing, and the button brings the author back to their private step.
 */
export function stillWritingMessage(view: SessionView, prompt: Prompt, title: string): MessagePayload {
  const who = prompt.awaiting.map((p) => view.nameOf(p)).join(' and ');
  return {
    content: '',
    embeds: [
      embedOf({
        title: clip(title, LIMITS.embedTitle),
        description: `${safeText(who)} is still writing.`,
        color: COLOR.calm,
      }),
    ],
    components: [
      ...buttonRows({ customId: continuePrivately.customId({ key: prompt.key }), label: 'Continue writing' }),
      ...controlRows(),
    ],
    allowedMentions: { parse: [] },
  };
}

/** The message that asks a prompt in the channel. A private step shows only that someone is writing. */
export function promptMessages(view: SessionView, prompt: Prompt): MessagePayload[] {
  const fill = names(view);
  if (prompt.private) return [stillWritingMessage(view, prompt, fill(prompt.title))];
  const parts = [safeText(fill(prompt.text))];
  if (prompt.why) parts.push(`*${safeText(fill(prompt.why))}*`);
  if (prompt.sealedNote) parts.push(safeText(prompt.sealedNote));
  const quoted = quoteLines(view, prompt);
  const blocks = sectionBlocks(clip(fill(prompt.title), LIMITS.embedTitle), parts.join('\n\n'), COLOR.prompt);
  if (quoted) blocks.push(...sectionBlocks('What was said', quoted, COLOR.answer));
  const last = blocks.at(-1);
  if (last) last.footer = `${view.flow.title} · Pause or End are there for either of you, any time.`;
  return toPayloads(blocks, [...answerRows(prompt, fill), ...controlRows()], {
    content: turnLine(view, prompt),
    allowedMentions: { parse: [], users: prompt.awaiting.map((p) => idOf(view, p)) },
  });
}

/** One answer as it reads in the channel: who, what it is about, the words in full, what was added. */
function answerLines(view: SessionView, answer: AnswerRecord): string {
  const spec = view.flow.steps.get(answer.step);
  const about = answer.about ? `*About:* ${safeText(answer.about)}\n` : '';
  const quoted = safeText(answerText(answer.value, spec?.input, names(view)))
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  const added = (answer.additions ?? []).map((text) => `*Added later:* ${safeText(text)}`).join('\n');
  return `**${safeText(view.nameOf(answer.by))}**\n${about}${quoted}${added ? `\n${added}` : ''}`;
}

export interface AnsweredState {
  /** The session as it was when the prompt was asked (its question is shown with the roles it had then). */
  asked?: SessionView;
  /** The answers on this prompt both can read now (none yet for a sealed step still waiting). */
  readable: AnswerRecord[];
  /** For a 'both' step still waiting on someone: the prompt as it stands now. */
  stillOpen?: Prompt;
  /** Whoever may still change their answer here gets the button. */
  changeable: boolean;
}

/**
 * A prompt once answered: its title and question stay, the answers follow in full, by name. A
 * 'both' step still waiting keeps its answer buttons for whoever is still to answer, and says
 * who has answered (a sealed answer stays hidden until both are in).
 */
export function answeredPromptMessages(view: SessionView, prompt: Prompt, state: AnsweredState): MessagePayload[] {
  const fill = names(view);
  const asked = names(state.asked ?? view);
  const parts = [`*${safeText(asked(prompt.text))}*`];
  for (const answer of state.readable) parts.push(answerLines(view, answer));
  const open = state.stillOpen;
  if (open) {
    const done = open.answered.map((p) => view.nameOf(p)).join(' and ');
    const waiting = open.awaiting.map((p) => view.nameOf(p)).join(' and ');
    const hidden = open.sealed ? ' It stays hidden until both of you have answered.' : '';
    parts.push(safeText(`✓ ${done} has answered.${hidden} Waiting for ${waiting}.`));
  }
  const blocks = sectionBlocks(clip(asked(prompt.title), LIMITS.embedTitle), parts.join('\n\n'), COLOR.answer);
  const change = state.changeable
    ? buttonRows({
        customId: changeAnswer.customId({ key: prompt.key }),
        label: 'Change my answer',
        style: 'secondary',
      })
    : [];
  const components = open ? [...answerRows(open, fill), ...change, ...controlRows()] : change;
  if (!open) return toPayloads(blocks, components);
  return toPayloads(blocks, components, {
    content: turnLine(view, open),
    allowedMentions: { parse: [], users: open.awaiting.map((p) => idOf(view, p)) },
  });
}

/**
 * Answers that became readable away from their prompt (a draft kept, guesses beside the real
 * answers, a change), grouped per prompt, each group under its prompt's title and `suffix`.
 */
export function answerMessages(view: SessionView, answers: AnswerRecord[], suffix = ''): MessagePayload[] {
  const fill = names(view);
  const blocks: EmbedBlock[] = [];
  let group: AnswerRecord[] = [];
  const flush = () => {
    const first = group[0];
    if (!first) return;
    const spec = view.flow.steps.get(first.step);
    const heading = spec?.summaryTitle ?? spec?.title ?? first.step;
    const title = `${fill(typeof heading === 'string' ? heading : heading(view.context))}${suffix}`;
    blocks.push(
      ...sectionBlocks(
        clip(title, LIMITS.embedTitle),
        group.map((a) => answerLines(view, a)).join('\n\n'),
        COLOR.answer,
      ),
    );
    group = [];
  };
  for (const answer of answers) {
    const first = group[0];
    if (first && (first.step !== answer.step || first.seq !== answer.seq)) flush();
    group.push(answer);
  }
  flush();
  return toPayloads(blocks, []);
}

/** What an author added to an answer the other had already read. */
export function additionMessages(view: SessionView, answer: AnswerRecord, text: string): MessagePayload[] {
  const title = names(view)(view.flow.steps.get(answer.step)?.title ?? answer.step);
  const body = `**${safeText(view.nameOf(answer.by))}** adds to their answer:\n${safeText(text)
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n')}`;
  return toPayloads(sectionBlocks(clip(`${title} — added`, LIMITS.embedTitle), body, COLOR.answer), []);
}

/** The break message: who asked, until when, and how to pick it up again. */
export function pausedPayload(view: SessionView): MessagePayload {
  const pauseInfo = view.context.pause;
  const who = pauseInfo && pauseInfo.by !== 'system' ? view.nameOf(pauseInfo.by) : 'Mend';
  const until = pauseInfo?.until
    ? ` until ${time(Math.floor(pauseInfo.until / 1000), TimestampStyles.ShortDateTime)}`
    : '';
  const text = pauseInfo?.safety
    ? 'This conversation is paused for now. It continues only when you both choose to, and talking with a counsellor first may help.'
    : `${safeText(who)} asked for a break${until}. Take the time you need — nothing you wrote is lost.`;
  return {
    content: '',
    embeds: [embedOf({ title: 'On a break', description: text, color: COLOR.pause })],
    components: buttonRows(
      { customId: resume.customId(), label: pauseInfo?.safety ? 'I am ready to continue' : 'Pick it up again' },
      { customId: end.customId(), label: 'End', style: 'secondary' },
    ),
    allowedMentions: { parse: [] },
  };
}
