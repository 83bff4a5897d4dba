/**
 * Diagnostic for `npm run bench:e2e` only (REST_GLOBAL_LIMIT=<n>): preloaded into the bot process, it
 * raises discord.js's client-side global REST limit (50 requests/s, Discord's global rate limit for a bot)
 * before the client is created, to show what the bot would do without that ceiling. Never used by the bot
 * as shipped.
 */
const { DefaultRestOptions } = require('@discordjs/rest');

const limit = Number(process.env.MEND_BENCH_REST_GLOBAL_LIMIT);
if (Number.isFinite(limit) && limit > 0) DefaultRestOptions.globalRequestsPerSecond = limit;
