/**
 * What one interaction module is, as Sapphire's interaction handlers are: a name, how its custom
 * id is encoded and parsed, and `run`. Every button, select and form Mend sends carries its whole
 * meaning in its custom id (`mend:<name>:<part>:<part>`, at most 100 characters), so the router
 * can hand it to its module after any restart — no in-memory collectors. Slash commands follow
 * the discord.js guide: `{ data, execute }`.
 */
import type {
  ButtonInteraction,
  ChatInputCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  StringSelectMenuInteraction,
} from 'discord.js';
import type { FlowRegistry } from '../engine/flow-registry.js';
import type { BotContext, Handled } from './context.js';

const PREFIX = 'mend';
const MAX_CUSTOM_ID = 100;

interface ComponentSpec<Args, I> {
  /** The custom id's action: unique among the components. */
  name: string;
  /** The parts after `mend:<name>:`. None may contain ':'. */
  encode(args: Args): string[];
  /** The parts back into arguments; undefined when they do not fit (an old or forged id). */
  parse(parts: string[]): Args | undefined;
  run(interaction: I, context: BotContext, args: Args): Promise<Handled>;
}

/** The arguments of a component that carries none. */
export type NoArgs = Record<string, never>;

export interface ComponentHandler<Args, I> extends ComponentSpec<Args, I> {
  kind: 'button' | 'select' | 'modal';
  customId(...args: Args extends NoArgs ? [] : [Args]): string;
}

export type ButtonHandler<Args = NoArgs> = ComponentHandler<Args, ButtonInteraction> & { kind: 'button' };
export type SelectHandler<Args = NoArgs> = ComponentHandler<Args, StringSelectMenuInteraction> & { kind: 'select' };
export type ModalHandler<Args = NoArgs> = ComponentHandler<Args, ModalSubmitInteraction> & { kind: 'modal' };

function withCustomId<Args, I>(spec: ComponentSpec<Args, I>) {
  return (...given: unknown[]): string => {
    const parts = spec.encode((given[0] ?? {}) as Args);
    for (const part of parts) {
      if (part.includes(':')) throw new Error(`custom_id part may not contain ':' (${part})`);
    }
    const id = [PREFIX, spec.name, ...parts].join(':');
    if (id.length > MAX_CUSTOM_ID) throw new Error(`custom_id over ${MAX_CUSTOM_ID} characters: ${id}`);
    return id;
  };
}

export function defineButton<Args = NoArgs>(spec: ComponentSpec<Args, ButtonInteraction>): ButtonHandler<Args> {
  return { ...spec, kind: 'button', customId: withCustomId(spec) };
}

export function defineSelect<Args = NoArgs>(
  spec: ComponentSpec<Args, StringSelectMenuInteraction>,
): SelectHandler<Args> {
  return { ...spec, kind: 'select', customId: withCustomId(spec) };
}

export function defineModal<Args = NoArgs>(spec: ComponentSpec<Args, ModalSubmitInteraction>): ModalHandler<Args> {
  return { ...spec, kind: 'modal', customId: withCustomId(spec) };
}

/** For components that carry no arguments: nothing to encode, and any parts parse. */
export const noArgs = { encode: (): string[] => [], parse: (): NoArgs => ({}) } as const;

/** The channel an interaction came from (the router hands over only interactions that have one). */
export const channelIdOf = (interaction: { channelId: string | null }): string => interaction.channelId ?? '';

/** `mend:<name>:<parts…>` → its name and parts; undefined for anything that is not ours. */
export function splitCustomId(raw: string): { name: string; parts: string[] } | undefined {
  const [prefix, name, ...parts] = raw.split(':');
  if (prefix !== PREFIX || !name) return undefined;
  return { name, parts };
}

export interface CommandHandler {
  kind: 'command';
  name: string;
  /** The command as Discord registers it (the flow list is part of /talk's options). */
  data(flows: FlowRegistry): RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<Handled>;
}

export function defineCommand(spec: Omit<CommandHandler, 'kind'>): CommandHandler {
  return { ...spec, kind: 'command' };
}
