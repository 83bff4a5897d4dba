/**
 * The README's invite link asks for exactly the permissions the bot's code needs.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { BOT_CHANNEL_PERMISSIONS, INVITE_PERMISSIONS } from '../../src/discord/channels.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

it('the invite URL in the README carries the permissions integer the code asks for', () => {
  expect(readme).toContain(`permissions=${INVITE_PERMISSIONS}`);
  expect(readme).toContain('scope=bot+applications.commands');
  // Everything the bot needs in a couple's channel is part of the invite.
  for (const bit of BOT_CHANNEL_PERMISSIONS) expect(INVITE_PERMISSIONS & bit).toBe(bit);
});
