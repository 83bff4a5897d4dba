/**
 * Renders what the engine describes — a prompt, answers just revealed, a break — as the couple's
 * channel messages. It holds no conversation logic: everything comes from the prompt meta.
 * `allowedMentions` names only the partner whose turn it is; everything else never pings.
 */
import { TimestampStyles, time, userMention } from 'discord.js';
import type { AnswerRecord, PartnerId } from '../engine/flow-kit.js';
import { answerText } from '../engine/flow-kit.js';
import { fillNames, type Prompt } from '../engine/prompt.js';
import type { SessionView } from '../engine/session.js';
import { answerRows } from './answer-buttons.js';
import { buttonRows, type Row } from './components.js';
import continuePrivately from './interactions/continue-privately.js';
import end from './interactions/end.js';
import pause from './interactions/pause.js';
import resume from './interactions/resume.js';
import { COLOR, clip, embedOf, type MessagePayload, safeText } from './note.js';
import { quoteLines } from './quotes.js';
import { LIMITS, packMessages, sectionBlocks } from './split.js';

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

/** The message that asks a prompt in the channel. Private prompts show only that someone is busy. */
export function promptMessages(view: SessionView, prompt: Prompt): MessagePayload[] {
  const fill = names(view);
  const footer = `${view.flow.title} · Pause or End are there for either of you, any time.`;
  if (prompt.private) {
    const who = prompt.awaiting.map((p) => view.nameOf(p)).join(' and ');
    return [
      {
        content: '',
        embeds: [
          embedOf({
            title: 'A moment to look over their words',
            description: `${safeText(who)} is taking a moment with what they wrote. It will only take a minute.`,
            color: COLOR.calm,
          }),
        ],
        components: [
          ...buttonRows({
            customId: continuePrivately.customId({ key: prompt.key }),
            label: 'Continue (just for you)',
          }),
          ...controlRows(),
        ],
        allowedMentions: { parse: [] },
      },
    ];
  }
  const parts = [safeText(fill(prompt.text))];
  if (prompt.why) parts.push(`*${safeText(fill(prompt.why))}*`);
  if (prompt.sealed) parts.push('🔒 Your answers stay hidden until you have both answered, then appear together.');
  const quoted = quoteLines(view, prompt);
  const blocks = sectionBlocks(clip(fill(prompt.title), LIMITS.embedTitle), parts.join('\n\n'), COLOR.prompt);
  if (quoted) blocks.push(...sectionBlocks('What was said', quoted, COLOR.answer));
  const last = blocks[blocks.length - 1];
  if (last) last.footer = footer;
  const messages = packMessages(blocks);
  return messages.map((embeds, i) => {
    const final = i === messages.length - 1;
    const payload: MessagePayload = {
      content: i === 0 ? turnLine(view, prompt) : '',
      embeds: embeds.map(embedOf),
      components: final ? [...answerRows(prompt), ...controlRows()] : [],
      allowedMentions: i === 0 ? { parse: [], users: prompt.awaiting.map((p) => idOf(view, p)) } : { parse: [] },
    };
    return payload;
  });
}

/** How an answer reads in the channel, attributed (by name, never a ping). */
export function answerMessages(view: SessionView, answers: AnswerRecord[]): MessagePayload[] {
  const blocks = answers.flatMap((answer) => {
    const spec = view.flow.steps.get(answer.step);
    const options = spec?.input.kind === 'choice' ? spec.input.options : undefined;
    const title = `${view.nameOf(answer.by)} · ${spec ? names(view)(spec.title) : answer.step}`;
    const about = answer.about ? `*About:* ${safeText(answer.about)}\n\n` : '';
    return sectionBlocks(title, `${about}${safeText(answerText(answer.value, options))}`, COLOR.answer);
  });
  return packMessages(blocks).map((embeds) => ({
    content: '',
    embeds: embeds.map(embedOf),
    allowedMentions: { parse: [] },
  }));
}

/** The prompt message once answered: the buttons go, the question stays readable. */
export function answeredPromptPayload(view: SessionView, prompt: Prompt, waitingOn: PartnerId[]): MessagePayload {
  const fill = names(view);
  const line =
    waitingOn.length > 0
      ? `✓ ${prompt.answered.map((p) => view.nameOf(p)).join(' and ')} answered — waiting for ${waitingOn.map((p) => view.nameOf(p)).join(' and ')}.`
      : '✓ Answered.';
  return {
    content: '',
    embeds: [
      embedOf({ title: clip(fill(prompt.title), LIMITS.embedTitle), description: safeText(line), color: COLOR.answer }),
    ],
    components: waitingOn.length > 0 ? [...answerRows(prompt), ...controlRows()] : [],
    allowedMentions: { parse: [] },
  };
}

/** The break message: who asked, until when, and how to pick it up again. */
export function pausedPayload(view: SessionView): MessagePayload {
  const pauseInfo = view.context.pause;
  const who = pauseInfo && pauseInfo.by !== 'system' ? view.nameOf(pauseInfo.by) : 'Mend';
  const until = pauseInfo?.until
    ? ` until ${time(Math.floor(pauseInfo.until / 1000), TimestampStyles.ShortDateTime)}`
    : '';
  const text = pauseInfo?.safety
    ? 'This conversation is paused for now. It will continue only when you both confirm, and talking with a counsellor first may help.'
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
