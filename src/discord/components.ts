/**
 * The one place message components are built: rows of buttons and a row with one select menu.
 * Callers name each button's custom id (from its interaction module), label and weight.
 */
import {
  ActionRowBuilder,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  ButtonBuilder,
  ButtonStyle,
  StringSelectMenuBuilder,
} from 'discord.js';
import { clip } from './note.js';
import { LIMITS } from './split.js';

export interface ButtonSpec {
  customId: string;
  label: string;
  /** primary: the way on; secondary: pause, end and the like; danger: cannot be undone. */
  style?: 'primary' | 'secondary' | 'danger';
}

const STYLES = { primary: ButtonStyle.Primary, secondary: ButtonStyle.Secondary, danger: ButtonStyle.Danger } as const;

export type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

/** Buttons in rows of at most five, in order. */
export function buttonRows(...buttons: ButtonSpec[]): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < buttons.length; i += 5) {
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      buttons.slice(i, i + 5).map((b) =>
        new ButtonBuilder()
          .setCustomId(b.customId)
          .setLabel(clip(b.label, LIMITS.buttonLabel))
          .setStyle(STYLES[b.style ?? 'primary']),
      ),
    );
    rows.push(row.toJSON());
  }
  return rows;
}

/** A single select menu, alone in its row (as Discord requires). */
export function selectRow(customId: string, placeholder: string, options: { label: string; value: string }[]): Row {
  return new ActionRowBuilder<StringSelectMenuBuilder>()
    .addComponents(
      new StringSelectMenuBuilder()
        .setCustomId(customId)
        .setPlaceholder(placeholder)
        .addOptions(options.slice(0, LIMITS.selectOptions)),
    )
    .toJSON();
}
