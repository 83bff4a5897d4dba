import type { APIApplicationCommand } from 'discord.js';
import { type EmulatorCore, type Route, type RouteRequest, validateBody } from './context.js';
import { unknownApplication, unknownGuild, unknownUser } from './errors.js';

/** Login, identity and command registration: what discord.js asks for before and right after `ready`. */
export const applicationRoutes: Route[] = [
  {
    method: 'GET',
    template: '/gateway/bot',
    auth: 'bot',
    handle: (_request, core) => ({
      status: 200,
      body: {
        url: core.gatewayUrl(),
        shards: core.state.shardCount,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      },
    }),
  },
  {
    method: 'GET',
    template: '/applications/@me',
    auth: 'bot',
    handle: (_request, core) => ({ status: 200, body: application(core) }),
  },
  {
    method: 'GET',
    template: '/users/@me',
    auth: 'bot',
    handle: (_request, core) => ({ status: 200, body: core.state.apiUser(core.state.botUser.id) }),
  },
  {
    // After /users/@me, which the router tries first.
    method: 'GET',
    template: '/users/:user_id',
    auth: 'bot',
    handle: (request, core) => {
      const user = core.state.findUser(request.params.user_id ?? '');
      if (!user || user.id !== request.params.user_id) throw unknownUser();
      return { status: 200, body: core.state.apiUser(user.id) };
    },
  },
  {
    method: 'GET',
    template: '/applications/:application_id/commands',
    auth: 'bot',
    handle: (request, core) => {
      requireOwnApplication(request, core);
      return { status: 200, body: core.state.commands(null) };
    },
  },
  {
    method: 'PUT',
    template: '/applications/:application_id/commands',
    auth: 'bot',
    handle: (request, core) => overwriteCommands(request, core, null),
  },
  {
    method: 'GET',
    template: '/applications/:application_id/guilds/:guild_id/commands',
    auth: 'bot',
    handle: (request, core) => {
      requireOwnApplication(request, core);
      return { status: 200, body: core.state.commands(guildIdOf(request, core)) };
    },
  },
  {
    method: 'PUT',
    template: '/applications/:application_id/guilds/:guild_id/commands',
    auth: 'bot',
    handle: (request, core) => overwriteCommands(request, core, guildIdOf(request, core)),
  },
];

function overwriteCommands(request: RouteRequest, core: EmulatorCore, guildId: string | null) {
  requireOwnApplication(request, core);
  validateBody(core, request, 'commands-bulk-overwrite');
  // Validated above as an array of ApplicationCommandUpdateRequest objects.
  const commands = request.body as Omit<APIApplicationCommand, 'id' | 'version'>[];
  return { status: 200, body: core.state.overwriteCommands(guildId, commands) };
}

function requireOwnApplication(request: RouteRequest, core: EmulatorCore) {
  if (request.params.application_id !== core.state.applicationId) throw unknownApplication();
}

function guildIdOf(request: RouteRequest, core: EmulatorCore): string {
  const guild = core.state.findGuild(request.params.guild_id ?? '');
  if (!guild || guild.id !== request.params.guild_id) throw unknownGuild();
  return guild.id;
}

/** `GET /applications/@me`. `install_params` must be an object: discord.js's ClientApplication reads into it. */
function application(core: EmulatorCore) {
  const { state } = core;
  const bot = state.apiUser(state.botUser.id);
  return {
    id: state.applicationId,
    name: state.applicationName,
    icon: null,
    description: '',
    summary: '',
    type: null,
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    flags: 0,
    hook: true,
    is_monetized: false,
    team: null,
    owner: { ...bot, id: state.allGuilds()[0]?.ownerId ?? state.applicationId, username: 'owner', bot: false },
    bot,
    redirect_uris: [],
    interactions_endpoint_url: null,
    tags: [],
    approximate_guild_count: state.allGuilds().length,
    install_params: { scopes: ['bot', 'applications.commands'], permissions: '0' },
    integration_types_config: { '0': { oauth2_install_params: null } },
  };
}
