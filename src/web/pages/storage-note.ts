/**
 * What the playground keeps, where, and how to erase it, in plain words. The playground runs on
 * the machine of whoever started it and writes to one file there; this says so on every page.
 */
import { html } from '../html.js';

export const storageNote = (file: string) =>
  html`What you write here is kept on this computer only, in the file <code>${file}</code>, so a conversation survives a restart. It is never logged or sent anywhere. “Delete this conversation” erases it from the file, and so does deleting the file.`;
