/**
 * End-to-end tests that read as the conversation, in the spirit of Bot Framework's TestFlow
 * (`send('…').assertReply('…')`): people act — `alex.starts('ground-rules')`, `sam.clicks('Pause')`,
 * `sam.picks('An hour')`, `alex.writes('…')` — and what they read is asserted —
 * `channel.shows('Sam asked for a break')`, `sam.wasToldPrivately("It's your partner's turn")`.
 *
 * Every action goes through the local Discord as that person (the buttons, menus and forms the bot actually
 * posted, found by their labels) and then waits for the stage to settle: with the bot in this process that
 * is exact (`bot.busy()` plus the local Discord's own `settled()`), so nothing ever sleeps. With the bot in
 * another process the stage cannot know when it is done, so what a person looks for (a button, a text) is
 * waited for instead.
 */
import type { APIMessage } from 'discord.js';
import { expect } from 'vitest';
import type { FlowDefinition } from '../../src/engine/flow-kit.js';
import type { FlowRegistry } from '../../src/engine/flow-registry.js';
import type { AnswerValue, FlowEvent, PartnerId } from '../../src/engine/flow-types.js';
import { SAFETY_CHECK } from '../../src/engine/safety-check.js';
import type { BotResponse, DiscordUser, LocalDiscord, SlashOptionValue } from './discord/index.js';
import {
  answerButtonLabel,
  buttonLabels,
  CONTINUE_LABEL,
  formAnswersFor,
  formSubmission,
  hasButton,
  selectsOf,
  WRITE_LABELS,
} from './prompt-buttons.js';

export type AnswerEvent = Extract<FlowEvent, { type: 'ANSWER' }>;
export type PersonKey = 'alex' | 'sam' | 'robin' | 'owner';

/** The gate message's buttons (src/discord/gate/gate-message.ts). */
export const GATE_LABELS = { consent: 'What Mend keeps', check: 'My private check' } as const;

/** The look-over of a summary before it is posted (src/discord/approval/). */
export const RECORD_LABELS = {
  review: 'Look it over',
  fair: 'That’s a fair record',
  note: 'Add a note',
  noteField: 'Your note',
} as const;

/** How long a person looks for something that has not appeared yet, when the bot runs in another process. */
const LOOK_FOR_MS = 10_000;

/** What the people and the channel act on: the local Discord, the flows, and a way to wait for the bot. */
export interface Stage {
  discord: LocalDiscord;
  flows: FlowRegistry;
  /** Resolves once the bot has done everything it set out to do (as far as this stage can tell). */
  settled(): Promise<void>;
  /**
   * True when `settled()` covers the bot's own work (an in-process bot); then anything not there after it is
   * missing, and a look fails at once. False for a bot in another process: looks wait for what they need.
   */
  exact: boolean;
  /** Where the conversation is (channel key or id), which flow runs, and who started it (partner 'a'). */
  scene: { channel: string; flowId: string | undefined; starter: PersonKey };
}

// ---- reading ------------------------------------------------------------------------------------------------

/** Undo Discord markdown escaping and collapse whitespace, to compare text "in full". */
export function normalise(text: string): string {
  return text
    .replace(/\\([\\*_~`|>#\-[\]()<:.!+=])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The words of a message as a person reads them: its content, then each embed's title, text and footer. */
export function messageText(message: APIMessage): string {
  const parts = [message.content ?? ''];
  for (const embed of message.embeds ?? []) {
    parts.push(embed.title ?? '', embed.description ?? '');
    for (const field of embed.fields ?? []) parts.push(field.name, field.value);
    parts.push(embed.footer?.text ?? '');
  }
  return parts.filter(Boolean).join('\n');
}

const textOf = (messages: readonly APIMessage[]) => normalise(messages.map(messageText).join('\n'));

const describeResponse = (response: BotResponse) => {
  if (response.kind === 'modal') return `a form "${response.modal?.title ?? ''}"`;
  const shown = response.message ? textOf([response.message]).slice(0, 160) : '';
  return `${response.ephemeral ? 'a private ' : 'a '}${response.kind}${shown ? `: "${shown}"` : ''}`;
};

const SUMMARY_TITLE = 'Summary · ';
const SUMMARY_END = 'A next step';

const opensSummary = (m: APIMessage) => m.embeds?.[0]?.title?.startsWith(SUMMARY_TITLE) === true;

/** A channel as the people in it read it. */
export class ChannelView {
  constructor(
    private readonly stage: Stage,
    readonly keyOrId: string,
  ) {}

  get id(): string {
    return this.stage.discord.channelId(this.keyOrId);
  }

  /** Messages everyone in the channel sees, oldest first, as they read now (edits applied). */
  messages(): APIMessage[] {
    return this.stage.discord.channelMessages(this.keyOrId);
  }

  /** A place in the channel's history: what is posted later is `since(mark)`. */
  mark(): number {
    return this.messages().length;
  }

  /** Messages posted after `mark()`. */
  since(mark: number): APIMessage[] {
    return this.messages().slice(mark);
  }

  /** All the channel's words, normalised (or those posted after a mark). */
  text(mark = 0): string {
    return textOf(this.since(mark));
  }

  /** The newest message that has buttons, as its labels: what someone reading the channel can click now. */
  buttons(): string[] {
    const newest = this.messages().findLast((m) => buttonLabels(m).length > 0);
    return newest ? buttonLabels(newest) : [];
  }

  /** Asserts the channel shows `text` (normalised), waiting for it when the bot runs in another process. */
  async shows(text: string, mark = 0): Promise<void> {
    const wanted = normalise(text);
    await this.stage.settled();
    if (!this.stage.exact) await this.waitFor(() => this.text(mark).includes(wanted), `"${text}"`);
    expect(this.text(mark), `#${this.name()} should show this`).toContain(wanted);
  }

  async doesNotShow(text: string, mark = 0): Promise<void> {
    await this.stage.settled();
    expect(this.text(mark), `#${this.name()} should not show this`).not.toContain(normalise(text));
  }

  /** How many messages show `text` (e.g. one summary header, not two). */
  countShowing(text: string): number {
    const wanted = normalise(text);
    return this.messages().filter((m) => textOf([m]).includes(wanted)).length;
  }

  /**
   * The whole summary (the newest one), once every part of it is posted: from its header to its closing
   * "A next step". Waits for it: a summary that could not be posted is retried by a later sweep.
   */
  async summary(timeoutMs = LOOK_FOR_MS): Promise<string> {
    await this.stage.settled();
    const whole = () => {
      const start = this.messages().findLastIndex(opensSummary);
      if (start < 0) return undefined;
      const text = this.text(start);
      return text.includes(SUMMARY_END) ? text : undefined;
    };
    return this.stage.discord.waitUntil(whole, `the whole summary in #${this.name()}`, timeoutMs);
  }

  /** The messages the newest summary is made of. */
  summaryMessages(): APIMessage[] {
    const start = this.messages().findLastIndex(opensSummary);
    return start < 0 ? [] : this.messages().slice(start);
  }

  private name(): string {
    const channel = this.stage.discord.channel(this.keyOrId);
    return 'name' in channel && channel.name ? channel.name : this.keyOrId;
  }

  /** Gives a bot in another process time to post what is expected; the assertion after it says what is missing. */
  private async waitFor(check: () => boolean, what: string): Promise<void> {
    await this.stage.discord
      .waitUntil(() => (check() ? true : undefined), `${what} in #${this.name()}`, LOOK_FOR_MS)
      .catch(() => undefined);
  }
}

// ---- acting -------------------------------------------------------------------------------------------------

export interface Where {
  /** Channel key or id; default: the conversation's channel. */
  in?: string;
}

/**
 * Someone in the server, acting through the Discord client. Each action resolves with the bot's first
 * response once the stage has settled (so the bot's follow-ups are there too).
 */
export class Person {
  /** The bot's first response to what they did last. */
  last: BotResponse | undefined;
  /** The form the bot opened for them and they have not sent yet. */
  private form: BotResponse | undefined;
  /** The last form they sent, and what they put in it (for a double submit). */
  private sent: { form: BotResponse; answers: Record<string, string | string[]> } | undefined;

  constructor(
    private readonly stage: Stage,
    readonly user: DiscordUser,
    /** Who /talk names as their partner. */
    private readonly partnerKey: PersonKey | undefined,
  ) {}

  get id(): string {
    return this.user.id;
  }

  get key(): PersonKey {
    return this.user.key as PersonKey;
  }

  get name(): string {
    return this.user.displayName;
  }

  canSee(channel: string): boolean {
    return this.user.canSee(channel);
  }

  /**
   * `/talk flow:<flowId> partner:@<partner>` in the conversation's channel (or `in`). Before a couple's first
   * conversation the bot shows its gate (what Mend keeps, and a private check for each): by default both pass
   * it at once, as two people who agree and feel safe would (`gate: 'leave'` leaves it to the test). The
   * response is the bot's to the /talk.
   */
  async starts(flowId: string, where: Where & { with?: Person; gate?: 'pass' | 'leave' } = {}): Promise<BotResponse> {
    const partner = where.with?.user ?? (this.partnerKey ? this.stage.discord.user(this.partnerKey) : undefined);
    if (!partner) throw new Error(`${this.key}: starts() needs { with: someone }`);
    this.stage.scene.flowId = flowId;
    this.stage.scene.starter = this.key;
    const reply = await this.types('talk', { flow: flowId, partner }, where);
    if (where.gate !== 'leave' && reply.message && hasButton(reply.message, GATE_LABELS.consent)) {
      await this.passesTheGate();
      await (where.with ?? new Person(this.stage, partner, this.key)).passesTheGate();
    }
    return reply;
  }

  /**
   * The gate's two private steps, as someone who agrees and feels safe: "What Mend keeps" → "I agree", then
   * "My private check" and the reassuring answer to each question.
   */
  async passesTheGate(): Promise<void> {
    await this.clicks(GATE_LABELS.consent);
    await this.clicks('I agree');
    await this.clicks(GATE_LABELS.check);
    for (const question of SAFETY_CHECK) {
      const reassuring = question.options.find((o) => o.reassuring);
      if (!reassuring) throw new Error('a safety check question without a reassuring answer');
      await this.clicks(reassuring.label);
    }
  }

  /** Any slash command, e.g. `types('forget', { partner: alex })`. */
  async types(
    command: string,
    options: Readonly<Record<string, SlashOptionValue>> = {},
    where: Where = {},
  ): Promise<BotResponse> {
    return this.act(this.user.slash(command, options, { channel: where.in ?? this.stage.scene.channel }));
  }

  /**
   * Clicks the button labelled `label` on the newest message they can see that has one: their own private
   * messages first, then the conversation's channel, then any other channel they can see. `onMessageShowing`
   * picks the message by its words (their own answer's "Change my answer", not their partner's).
   */
  async clicks(label: string, where: { onMessageShowing?: string } = {}): Promise<BotResponse> {
    const shows = where.onMessageShowing === undefined ? undefined : normalise(where.onMessageShowing);
    const message = await this.look(
      () => this.newestWith((m) => hasButton(m, label) && (shows === undefined || textOf([m]).includes(shows))),
      `a "${label}" button${shows ? ` on a message showing "${where.onMessageShowing}"` : ''}`,
    );
    return this.act(this.user.click(message, label));
  }

  /** Picks the option labelled `optionLabel` in a menu the bot posted (e.g. how long a break lasts). */
  async picks(optionLabel: string): Promise<BotResponse> {
    const withOption = (m: APIMessage) => selectsOf(m).some((s) => s.options.some((o) => o.label === optionLabel));
    const message = await this.look(() => this.newestWith(withOption), `a menu offering "${optionLabel}"`);
    const select = selectsOf(message).find((s) => s.options.some((o) => o.label === optionLabel));
    const option = select?.options.find((o) => o.label === optionLabel);
    if (!select || !option) throw new Error(`${this.key}: the menu offering "${optionLabel}" went away`);
    return this.act(this.user.select(message, select.customId, [option.value]));
  }

  /**
   * Fills in the form the bot just opened for them and sends it. Fields by their label (or id); a picker's
   * answer by its options' labels (or values).
   */
  async fills(answers: Readonly<Record<string, string | readonly string[]>>): Promise<BotResponse> {
    const form = this.form;
    if (!form?.modal) {
      const got = this.last ? describeResponse(this.last) : 'nothing yet';
      throw new Error(`${this.key}: no form is open for them (their last action got ${got})`);
    }
    const submission = formSubmission(form.modal, answers);
    this.form = undefined;
    this.sent = { form, answers: submission };
    return this.act(this.user.submitModal(form, submission));
  }

  /** Sends the form they last sent once more, as it was (a doubled click on Submit). */
  async sendsTheFormAgain(): Promise<BotResponse> {
    if (!this.sent) throw new Error(`${this.key}: has not sent a form yet`);
    return this.act(this.user.submitModal(this.sent.form, this.sent.answers));
  }

  /**
   * Looks over the summary before it is posted ("Look it over", privately): finds it a fair record, or, given
   * `note`, adds that note in the form. (Only where the world asks for the look-over: `summaryApprovalHours`.)
   */
  async looksOverTheRecord(note?: string): Promise<BotResponse> {
    await this.clicks(RECORD_LABELS.review);
    if (note === undefined) return this.clicks(RECORD_LABELS.fair);
    await this.clicks(RECORD_LABELS.note);
    return this.fills({ [RECORD_LABELS.noteField]: note });
  }

  /** Clicks the newest write button they can see and types `text` into the form's text box (points: one a line). */
  async writes(text: string): Promise<BotResponse> {
    const labels: string[] = Object.values(WRITE_LABELS);
    const message = await this.look(
      () => this.newestWith((m) => labels.some((l) => hasButton(m, l))),
      `a write button (${labels.map((l) => `"${l}"`).join(' or ')})`,
    );
    const label = labels.find((l) => hasButton(message, l)) as string;
    const opened = await this.act(this.user.click(message, label));
    return this.fillsTheForm(opened, { text }, label);
  }

  /**
   * Answers the current prompt with `value` the way a person would: the choice's button, or the write button
   * (or a choice that takes a note) and then the form. `step` (the scripted event's) says which prompt, so a
   * choice is found by the label its flow gives it; without it the label is looked up in the running flow.
   */
  async answers(value: AnswerValue, step?: string): Promise<BotResponse> {
    const needsForm = value.text !== undefined || value.items !== undefined || value.note !== undefined;
    // The bot may have opened the form already (a rewrite opens it with their own words in it).
    if (needsForm && this.form?.modal) return this.fills(formAnswersFor(this.form.modal, value));
    const labels = this.answerLabels(value, step);
    const message = await this.look(
      () => this.newestWith((m) => labels.some((l) => hasButton(m, l))),
      `a prompt to answer with ${JSON.stringify(value).slice(0, 80)} (a button ${labels.map((l) => `"${l}"`).join(' or ')})`,
    );
    const label = labels.find((l) => hasButton(message, l)) as string;
    const clicked = await this.act(this.user.click(message, label));
    // A plain choice that opened a form by itself (a rewrite, with their words in it): it stays open for the
    // next answer. A choice that takes a note opens its note's form, which is filled in now (empty or not).
    const spec = step === undefined ? undefined : this.flow().steps.get(step);
    const note = spec?.input.kind === 'choice' ? spec.input.note : undefined;
    const takesNote = note !== undefined && (note.onlyFor === undefined || note.onlyFor.includes(value.choice ?? ''));
    if (clicked.kind === 'modal' && !needsForm && !takesNote) return clicked;
    if (clicked.kind !== 'modal') {
      if (needsForm) {
        throw new Error(
          `${this.key}: clicking "${label}" opened no form; the bot answered ${describeResponse(clicked)}`,
        );
      }
      return clicked;
    }
    return this.fillsTheForm(clicked, value, label);
  }

  /**
   * Waits until they can see a button to give this answer (a prompt posted for it), without clicking it; for a
   * bot in another process that is about to be stopped, so the prompt is out before it goes.
   */
  async seesPromptFor(value: AnswerValue, step?: string): Promise<APIMessage> {
    const labels = this.answerLabels(value, step);
    return this.look(
      () => this.newestWith((m) => labels.some((l) => hasButton(m, l))),
      `a prompt to answer with a button ${labels.map((l) => `"${l}"`).join(' or ')}`,
    );
  }

  /** Asserts they can read `text` somewhere: in their private messages or in the conversation's channel. */
  async sees(text: string): Promise<void> {
    const wanted = normalise(text);
    const visible = () =>
      `${this.privateText()}\n${textOf(this.stage.discord.channelMessages(this.stage.scene.channel))}`;
    await this.waitFor(() => visible().includes(wanted), `"${text}"`);
    expect(visible(), `what ${this.key} can read`).toContain(wanted);
  }

  /** Asserts the bot told them `text` in a message only they can see. */
  async wasToldPrivately(text: string): Promise<void> {
    const wanted = normalise(text);
    await this.waitFor(() => this.privateText().includes(wanted), `"${text}" told privately`);
    expect(this.privateText(), `what the bot told ${this.key} privately`).toContain(wanted);
  }

  /** Everything the bot has shown only to them, normalised. */
  privateText(): string {
    return textOf(this.privateMessages());
  }

  privateMessages(): APIMessage[] {
    return this.stage.discord.ephemeralsFor(this.id);
  }

  private async fillsTheForm(opened: BotResponse, value: AnswerValue, label: string): Promise<BotResponse> {
    if (opened.kind !== 'modal' || !opened.modal) {
      throw new Error(`${this.key}: clicking "${label}" opened no form; the bot answered ${describeResponse(opened)}`);
    }
    return this.fills(formAnswersFor(opened.modal, value));
  }

  /** The labels of the buttons that could give this answer. */
  private answerLabels(value: AnswerValue, step: string | undefined): string[] {
    if (step !== undefined) {
      const flow = this.flow();
      const spec = flow.steps.get(step);
      if (!spec) throw new Error(`${flow.id} has no step "${step}"`);
      const label = this.withNames(answerButtonLabel(spec.input, value));
      // Words they took back to rewrite: the form comes back through "Continue writing".
      return spec.input.kind === 'choice' ? [label] : [label, CONTINUE_LABEL];
    }
    if (value.items !== undefined) return [WRITE_LABELS.list];
    if (value.text !== undefined) return [WRITE_LABELS.text];
    const flow = this.flow();
    const labels = new Set<string>();
    for (const spec of flow.steps.values()) {
      if (spec.input.kind === 'choice' && spec.input.options.some((o) => o.value === value.choice)) {
        labels.add(answerButtonLabel(spec.input, value));
      }
    }
    if (labels.size === 0) throw new Error(`${flow.id} offers the choice "${String(value.choice)}" nowhere`);
    return [...labels];
  }

  /** A label with its partners' names in (an option may say "I’d like {b} to"): a is who started. */
  private withNames(label: string): string {
    const starter = this.stage.scene.starter;
    const other: PersonKey = starter === 'alex' ? 'sam' : 'alex';
    const nameOf = (key: PersonKey) => this.stage.discord.user(key).displayName;
    return label.replace(/\{a\}/g, nameOf(starter)).replace(/\{b\}/g, nameOf(other));
  }

  private flow(): FlowDefinition {
    const id = this.stage.scene.flowId;
    const flow = id ? this.stage.flows.get(id) : undefined;
    if (!flow) throw new Error(`${this.key}: which flow? Nobody has started one (starts(flowId) sets it)`);
    return flow;
  }

  /** Sends the interaction, remembers the response (and any form it opened), then waits for the bot. */
  private async act(sending: Promise<BotResponse>): Promise<BotResponse> {
    const response = await sending;
    this.last = response;
    if (response.kind === 'modal') this.form = response;
    await this.stage.settled();
    return response;
  }

  /** The newest message they can see that matches: their private ones first, then the channels. */
  private newestWith(matches: (m: APIMessage) => boolean): APIMessage | undefined {
    const { discord, scene } = this.stage;
    const mine = discord.ephemeralsFor(this.id).findLast(matches);
    if (mine) return mine;
    const conversation = discord.channelId(scene.channel);
    const channels = [
      conversation,
      ...discord
        .channels()
        .map((c) => c.id)
        .filter((id) => id !== conversation),
    ];
    for (const channel of channels) {
      if (!this.user.canSee(channel)) continue;
      const found = discord.channelMessages(channel).findLast(matches);
      if (found) return found;
    }
    return undefined;
  }

  /** Finds what they look for: at once after the stage settled (exact), or as soon as it appears (otherwise). */
  private async look<T>(find: () => T | undefined, what: string): Promise<T> {
    await this.stage.settled();
    const found = find();
    if (found !== undefined) return found;
    if (!this.stage.exact) return this.stage.discord.waitUntil(find, `${what}, for ${this.key}`, LOOK_FOR_MS);
    throw new Error(
      `${this.key} looked for ${what}, and nothing they can see has it. They see:\n${this.whatTheySee()}`,
    );
  }

  /** Settles; with a bot in another process, also gives it time to show what is expected (the assertion follows). */
  private async waitFor(check: () => boolean, what: string): Promise<void> {
    await this.stage.settled();
    if (this.stage.exact) return;
    await this.stage.discord
      .waitUntil(() => (check() ? true : undefined), `${what} for ${this.key}`, LOOK_FOR_MS)
      .catch(() => undefined);
  }

  /** For errors: the newest few messages they can see, with their buttons. */
  private whatTheySee(): string {
    const { discord, scene } = this.stage;
    const recent = [
      ...discord
        .ephemeralsFor(this.id)
        .slice(-2)
        .map((m) => ({ m, where: 'privately' })),
      ...discord
        .channelMessages(scene.channel)
        .slice(-3)
        .map((m) => ({ m, where: 'in the channel' })),
    ];
    if (recent.length === 0) return 'They see no messages at all.';
    return recent
      .map(({ m, where }) => {
        const buttons = buttonLabels(m);
        return `  ${where}: "${textOf([m]).slice(0, 100)}"${buttons.length ? ` [${buttons.join(' | ')}]` : ''}`;
      })
      .join('\n');
  }
}

// ---- the couple ---------------------------------------------------------------------------------------------

/** The people in the usual world: the partners alex and sam, robin (not in the couple's channel), the owner. */
export interface Couple {
  alex: Person;
  sam: Person;
  robin: Person;
  owner: Person;
  /** The couple's private channel, as they read it. */
  channel: ChannelView;
}

export function coupleOn(stage: Stage): Couple {
  const person = (key: PersonKey, partner?: PersonKey) => new Person(stage, stage.discord.user(key), partner);
  return {
    alex: person('alex', 'sam'),
    sam: person('sam', 'alex'),
    robin: person('robin'),
    owner: person('owner'),
    channel: new ChannelView(stage, 'couple'),
  };
}

/** Partner 'a' is whoever started the conversation; 'b' the one they named. */
export function partnerIn(couple: Couple, stage: Stage, by: PartnerId): Person {
  const starter = stage.scene.starter === 'sam' ? couple.sam : couple.alex;
  const other = starter === couple.alex ? couple.sam : couple.alex;
  return by === 'a' ? starter : other;
}

export interface PlayedAnswer {
  event: AnswerEvent;
  response: BotResponse;
}

/** The partners answer a script (from `completionScript`) one event after another, as people would. */
export async function play(couple: Couple, stage: Stage, script: readonly AnswerEvent[]): Promise<PlayedAnswer[]> {
  const played: PlayedAnswer[] = [];
  for (const event of script) {
    const response = await partnerIn(couple, stage, event.by).answers(event.value, event.step);
    played.push({ event, response });
  }
  return played;
}
