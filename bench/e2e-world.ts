/**
 * The world of `npm run bench:e2e`: a guild with many couples (each with a private channel), a
 * cheap view of the prompts the bot posted, and the simulated couples that answer them.
 *
 * The test helpers (`Person` in test/support/conversation.ts) scan every message the local
 * Discord holds for each answer, which is fine for one session and far too slow for hundreds: the
 * prompt tracker here keeps the newest messages of each channel (and each user's ephemerals) as
 * they are created, so finding a couple's current prompt costs a few dozen checks whatever the
 * size of the run. It reads them from the emulator's message store, the same objects
 * `channelMessages()` returns (edits show), and acts only through the emulator's users.
 */
import type { APIMessage } from 'discord.js';
import type { FlowDefinition } from '../src/engine/flow-kit.js';
import type { FlowEvent, InputSpec } from '../src/engine/flow-types.js';
import type { EmulatorCore } from '../test/support/discord/context.js';
import type {
  BotResponse,
  DiscordUser,
  LocalDiscord,
  ModalAnswers,
  Scenario,
  ScenarioChannel,
  ScenarioUser,
} from '../test/support/discord/index.js';
import { DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS } from '../test/support/discord/index.js';
import type { StoredMessage } from '../test/support/discord/messages.js';
import { answerButtonLabel, formAnswersFor, formSubmission, hasButton } from '../test/support/prompt-buttons.js';

export type AnswerEvent = Extract<FlowEvent, { type: 'ANSWER' }>;

// ---- the scenario ----------------------------------------------------------------------------------------

export const coupleKeys = (i: number) => ({ a: `a${i}`, b: `b${i}`, channel: `couple${i}` });

/** The guild couple `i` lives in, when the couples are spread over `guilds` guilds. */
export const guildKeyOf = (i: number, guilds = 1) => (i % guilds === 0 ? 'home' : `home${i % guilds}`);

/**
 * `couples` couples (2 × couples members) and one private channel per couple, made as
 * `coupleScenario()` makes #couple: @everyone denied View Channel; the two partners and the bot allowed.
 * One guild by default; with `guilds`, couple i lives in guild i % guilds (on a local Discord with shards,
 * the guilds fall on the shards in turn).
 */
export function manyCouplesScenario(couples: number, guilds = 1): Scenario {
  const owner: ScenarioUser = { key: 'owner', username: 'owner', globalName: 'Server Owner' };
  const users: ScenarioUser[] = [owner];
  const perGuild = Array.from({ length: guilds }, () => ({
    members: [owner.key],
    channels: [{ key: '', name: 'general', topic: 'Everyone can read this' }] as ScenarioChannel[],
  }));
  perGuild.forEach((g, n) => {
    (g.channels[0] as ScenarioChannel).key = n === 0 ? 'general' : `general${n}`;
  });
  for (let i = 0; i < couples; i++) {
    const { a, b, channel } = coupleKeys(i);
    const guild = perGuild[i % guilds] as (typeof perGuild)[number];
    users.push({ key: a, username: `alex${i}`, globalName: `Alex ${i}` });
    users.push({ key: b, username: `sam${i}`, globalName: `Sam ${i}` });
    guild.members.push(a, b);
    guild.channels.push({
      key: channel,
      name: `alex${i}-and-sam${i}`,
      topic: `Private to Alex ${i}, Sam ${i} and Mend`,
      overwrites: [
        { target: '@everyone', deny: ['ViewChannel'] },
        { target: a, allow: ['ViewChannel', 'SendMessages', 'ReadMessageHistory'] },
        { target: b, allow: ['ViewChannel', 'SendMessages', 'ReadMessageHistory'] },
        { target: '@bot', allow: ['ViewChannel', 'SendMessages', 'ReadMessageHistory', 'EmbedLinks'] },
      ],
    });
  }
  return {
    bot: { username: 'Mend', applicationName: 'Mend' },
    users,
    guilds: perGuild.map((g, n) => ({
      key: guildKeyOf(n, guilds),
      name: n === 0 ? 'Home' : `Home ${n}`,
      owner: owner.key,
      everyonePermissions: DEFAULT_EVERYONE_PERMISSIONS,
      botPermissions: DEFAULT_BOT_PERMISSIONS,
      members: g.members,
      channels: g.channels,
    })),
  };
}

// ---- the prompts the bot posted --------------------------------------------------------------------------

interface Seen {
  stored: StoredMessage;
  seq: number;
}

/**
 * The newest messages of every channel and every user's ephemerals, in creation order, each with a
 * sequence number (so "posted after the session started" is a comparison). Bounded per channel/user.
 */
export class PromptTracker {
  private seq = 0;
  private readonly channels = new Map<string, Seen[]>();
  private readonly ephemerals = new Map<string, Seen[]>();

  /** Called with the channel id (or, for an ephemeral, the user id) of every message created or edited. */
  onActivity: (channelOrUserId: string) => void = () => undefined;

  constructor(
    discord: LocalDiscord,
    private readonly keep = 40,
  ) {
    // LocalDiscord has no public "message created" hook; its core's MessageStore does (the one
    // waitForMessage uses). Read only: nothing here changes the emulator's state.
    const core = (discord as unknown as { core?: EmulatorCore }).core;
    if (typeof core?.messages?.onChange !== 'function') {
      throw new Error('bench/e2e: LocalDiscord no longer exposes core.messages.onChange; update PromptTracker');
    }
    core.messages.onChange((stored, change) => {
      const list = this.listFor(stored);
      if (change === 'create') {
        list.push({ stored, seq: ++this.seq });
        if (list.length > this.keep * 2) list.splice(0, list.length - this.keep);
      } else if (change === 'delete') {
        const at = list.findIndex((s) => s.stored === stored);
        if (at >= 0) list.splice(at, 1);
      }
      this.onActivity(stored.visibleTo ?? stored.message.channel_id);
    });
  }

  /** The sequence number of the newest message so far. */
  get now(): number {
    return this.seq;
  }

  /**
   * The newest message posted after `after` that this user can click `label` on: their own ephemerals first,
   * then the channel's (the order a `Person` in test/support/conversation.ts looks in).
   */
  withButton(channelId: string, userId: string, after: number, label: string): APIMessage | undefined {
    return (
      this.newest(this.ephemerals.get(userId), after, label) ?? this.newest(this.channels.get(channelId), after, label)
    );
  }

  private newest(list: Seen[] | undefined, after: number, label: string): APIMessage | undefined {
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const seen = list[i] as Seen;
      if (seen.seq <= after) return undefined;
      if (hasButton(seen.stored.message, label)) return seen.stored.message;
    }
    return undefined;
  }

  private listFor(stored: StoredMessage): Seen[] {
    const map = stored.visibleTo === null ? this.channels : this.ephemerals;
    const key = stored.visibleTo ?? stored.message.channel_id;
    let list = map.get(key);
    if (!list) {
      list = [];
      map.set(key, list);
    }
    return list;
  }
}

// ---- the couples ------------------------------------------------------------------------------------------

export type ActionKind = 'talk' | 'choose' | 'open-form' | 'submit';
export const ACTION_KINDS: readonly ActionKind[] = ['talk', 'choose', 'open-form', 'submit'];

export interface Action {
  kind: ActionKind;
  /** Sends the interaction; resolves with the bot's first response (rejects on a missed deadline or refusal). */
  send(): Promise<BotResponse>;
  /** Takes the response into the couple's state; returns why it was not what the script expected, if so. */
  settle(response: BotResponse): string | undefined;
}

export interface FlowScript {
  flow: FlowDefinition;
  script: AnswerEvent[];
}

const describe = (response: BotResponse) =>
  `${response.kind}${response.ephemeral ? ' (ephemeral)' : ''}: ${String(
    response.message?.embeds?.[0]?.description ?? response.message?.content ?? '',
  ).slice(0, 100)}`;

const accepted = (response: BotResponse) =>
  response.kind === 'update' ||
  response.kind === 'deferred-update' ||
  (response.kind === 'message' && !response.ephemeral);

/**
 * Two partners in their private channel playing complete sessions, one scripted answer at a time:
 * /talk, then each answer through the buttons and forms the bot posted; when a session completes,
 * /talk again with the next flow. `next()` says what they would do now, or nothing when the prompt
 * they need is not there yet (or one of their interactions is still waiting for its first response).
 */
export class Couple {
  busy = false;
  retired: string | null = null;
  sessionsStarted = 0;
  sessionsCompleted = 0;
  private stage: 'talk' | 'answer' | 'submit' = 'talk';
  private flowIndex: number;
  private step = 0;
  /** Sequence number in the tracker when the current session's /talk was answered. */
  private marker = 0;
  /** `<partner>:<message id>` of the prompts answered in this session. */
  private readonly answered = new Set<string>();
  private form: { opened: BotResponse; user: DiscordUser; key: string; fields: ModalAnswers } | null = null;
  /** A form the bot opened in answer to a choice (a rewrite), waiting for the next scripted answer. */
  private openForm: { opened: BotResponse; user: DiscordUser; key: string } | null = null;
  private refusalsInARow = 0;

  constructor(
    readonly index: number,
    readonly channelId: string,
    readonly partners: { a: DiscordUser; b: DiscordUser },
    private readonly flows: readonly FlowScript[],
    private readonly tracker: PromptTracker,
  ) {
    this.flowIndex = index % flows.length;
  }

  /** In a session (started, not yet completed). */
  get inSession(): boolean {
    return this.stage !== 'talk' && this.retired === null;
  }

  private get flow(): FlowScript {
    return this.flows[this.flowIndex % this.flows.length] as FlowScript;
  }

  next(): Action | undefined {
    if (this.busy || this.retired !== null) return undefined;
    if (this.stage === 'talk') return this.talk();
    if (this.stage === 'submit') return this.submit();
    return this.answer();
  }

  /** Done with the current session (completed), as far as the script goes. */
  get playedThrough(): boolean {
    return this.sessionsCompleted > 0;
  }

  /** The scripted answer it is at (for a test that checks the store against it). */
  get scriptStep(): number {
    return this.step;
  }

  /** The script of the session it plays now. */
  get script(): readonly AnswerEvent[] {
    return this.flow.script;
  }

  /**
   * After a crash of the bot: the store says `step` answers are in; carry on from there, looking only at
   * prompts posted after `marker` (the prompt the bot shows again on "Show where we are").
   */
  resync(step: number, marker: number) {
    this.busy = false;
    this.retired = null;
    this.form = null;
    this.openForm = null;
    this.refusalsInARow = 0;
    this.answered.clear();
    this.marker = marker;
    this.step = step;
    this.stage = 'answer';
    if (this.step >= this.flow.script.length) {
      this.step = this.flow.script.length - 1;
      this.advance();
    }
  }

  /** The interaction failed outright (no first response in time, or Discord refused the bot's). */
  fail(reason: string) {
    this.retired = reason;
  }

  private refused(reason: string): string {
    this.refusalsInARow += 1;
    if (this.refusalsInARow >= 3) this.retired = `refused 3 times in a row: ${reason}`;
    return reason;
  }

  private ok() {
    this.refusalsInARow = 0;
    return undefined;
  }

  private talk(): Action {
    const { a, b } = this.partners;
    const flowId = this.flow.flow.id;
    return {
      kind: 'talk',
      send: () => a.slash('talk', { flow: flowId, partner: b }, { channel: this.channelId }),
      settle: (response) => {
        if (response.kind !== 'message' || response.ephemeral) return this.refused(`/talk → ${describe(response)}`);
        this.marker = this.tracker.now;
        this.answered.clear();
        this.step = 0;
        this.stage = 'answer';
        this.sessionsStarted += 1;
        return this.ok();
      },
    };
  }

  private answer(): Action | undefined {
    const event = this.flow.script[this.step];
    if (!event) throw new Error(`couple ${this.index}: no scripted answer ${this.step}`);
    const user = event.by === 'a' ? this.partners.a : this.partners.b;
    const input = this.inputOf(event.step);
    const { value } = event;
    const needsForm = value.text !== undefined || value.items !== undefined || value.note !== undefined;
    // "Rewrite them" opened the form by itself, with the author's words in it: this answer fills it in.
    const open = this.openForm;
    if (needsForm && open) {
      this.openForm = null;
      return this.fillForm(open.opened, open.user, open.key, event);
    }
    // What a person clicks: the choice's button, or the write button (a choice with a note opens a form too).
    // ("Continue writing" is never needed: these couples never close a form the bot opened for a rewrite.)
    const clickLabel = this.withNames(answerButtonLabel(input, value));
    const message = this.tracker.withButton(this.channelId, user.id, this.marker, clickLabel);
    // The prompt this answer needs is not posted yet, or the newest one is one this partner already answered.
    if (!message || this.answered.has(`${event.by}:${message.id}`)) return undefined;
    const answered = `${event.by}:${message.id}`;
    const key = `${event.step} (${clickLabel})`;
    const note = input.kind === 'choice' ? input.note : undefined;
    const takesNote = note !== undefined && (note.onlyFor === undefined || note.onlyFor.includes(value.choice ?? ''));
    if (!needsForm && !takesNote) {
      return {
        kind: 'choose',
        send: () => user.click(message, clickLabel),
        settle: (response) => {
          if (response.kind === 'modal' && response.modal) {
            // A plain choice that opened a form (a rewrite): it stays open for the next scripted answer.
            this.openForm = { opened: response, user, key: answered };
          } else if (!accepted(response)) return this.refused(`choose ${key} → ${describe(response)}`);
          this.answered.add(answered);
          this.advance();
          return this.ok();
        },
      };
    }
    return {
      kind: 'open-form',
      send: () => user.click(message, clickLabel),
      settle: (response) => {
        if (response.kind !== 'modal' || !response.modal) return this.refused(`write ${key} → ${describe(response)}`);
        return this.takeForm(response, user, answered, event);
      },
    };
  }

  /** The form is open: fill it in with the scripted answer and submit it next. */
  private takeForm(opened: BotResponse, user: DiscordUser, key: string, event: AnswerEvent): string | undefined {
    if (!opened.modal) return this.refused(`no form for ${key}`);
    let fields: ModalAnswers;
    try {
      fields = formSubmission(opened.modal, formAnswersFor(opened.modal, event.value));
    } catch (error) {
      // The form does not fit the scripted answer: a bench (or flow) bug, not something to retry.
      this.retired = `form for ${key}: ${String(error)}`;
      return this.retired;
    }
    this.form = { opened, user, key, fields };
    this.stage = 'submit';
    return this.ok();
  }

  /** A form the bot opened by itself: submitted at once, as the person fills it in. */
  private fillForm(opened: BotResponse, user: DiscordUser, key: string, event: AnswerEvent): Action | undefined {
    if (this.takeForm(opened, user, key, event) !== undefined) return undefined;
    return this.submit();
  }

  /** A label with the partners' names in (an option may say "I’d like {b} to"): a is who started. */
  private withNames(label: string): string {
    return label.replace(/\{a\}/g, this.partners.a.displayName).replace(/\{b\}/g, this.partners.b.displayName);
  }

  private inputOf(step: string): InputSpec {
    const spec = this.flow.flow.steps.get(step);
    if (!spec) throw new Error(`couple ${this.index}: ${this.flow.flow.id} has no step ${step}`);
    return spec.input;
  }

  private submit(): Action {
    const form = this.form;
    if (!form) throw new Error(`couple ${this.index}: no form to submit`);
    return {
      kind: 'submit',
      send: () => form.user.submitModal(form.opened, form.fields),
      settle: (response) => {
        this.form = null;
        if (!accepted(response)) {
          // Open the form again next time.
          this.stage = 'answer';
          return this.refused(`submit ${form.key} → ${describe(response)}`);
        }
        this.answered.add(form.key);
        this.stage = 'answer';
        this.advance();
        return this.ok();
      },
    };
  }

  private advance() {
    this.step += 1;
    if (this.step < this.flow.script.length) return;
    this.sessionsCompleted += 1;
    this.flowIndex += 1;
    this.stage = 'talk';
  }
}
