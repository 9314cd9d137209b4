import type { Config } from '../../config/config.ts';
import type { AttachmentSaver, AttachmentUrls } from '../../core/attachment.ts';
import type { Channel } from '../../core/channel.ts';
import { type Clock, systemClock } from '../../core/clock.ts';
import type { ReplySink } from '../../core/delivery.ts';
import { ValidationFailedError } from '../../core/errors.ts';
import type { Language } from '../../core/language.ts';
import { type Logger, silentLogger } from '../../core/logger.ts';
import type { Stores } from '../../core/ports.ts';
import type { ChannelKind } from '../../core/turn.ts';
import type { TurnHandler } from '../../core/turn-handler.ts';
import type { IdempotentTicketListener } from '../../delivery/outbox-ticket-events.ts';
import { DeskChannels } from '../../handoff/desk-channels.ts';
import { findQueue, type SupportConfig } from '../../handoff/support-config.ts';
import { sendError } from '../../http/http-json.ts';
import type { RouteHandler } from '../../http/http-server.ts';
import type { RenderOptions } from './cards/reply-card.ts';
import { type DeskActions, TeamsDeskAgents, type TeamsDeskAgentsDeps } from './desk/teams-desk-agents.ts';
import { TeamsServiceUrl } from './desk/teams-service-url.ts';
import { TeamsTicketCards } from './desk/teams-ticket-cards.ts';
import type { TeamsAdapter } from './teams-adapter.ts';
import { resolveTeamsAuth, type TeamsAuth } from './teams-auth.ts';
import { TeamsFiles } from './teams-files.ts';
import { createTeamsRoute } from './teams-http-handler.ts';
import { TeamsReplySink } from './teams-reply-sink.ts';
import { TeamsSender } from './teams-sender.ts';
import { SentCards } from './teams-sent-cards.ts';

export const TEAMS_MESSAGES_PATH = '/api/messages';
/** Microsoft's global Bot Connector endpoint for Teams, until an activity of the team names its own. */
export const DEFAULT_TEAMS_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';
/** The bot's id on its own messages without credentials (local tools ignore it). */
const LOCAL_BOT_ID = '28:support-bot';

export interface TeamsChannelOptions {
  /** Signed links to customers' files on ticket cards. */
  attachmentUrls?: AttachmentUrls | undefined;
  /** Where the files customers send are kept; without it Teams files are not fetched. */
  attachmentSaver?: AttachmentSaver | undefined;
  config: Pick<
    Config,
    'MICROSOFT_APP_ID' | 'MICROSOFT_APP_PASSWORD' | 'MICROSOFT_APP_TENANT_ID' | 'TEAMS_ALLOW_UNAUTHENTICATED'
  > &
    Partial<Pick<Config, 'TEAMS_AGENT_CHANNELS' | 'TEAMS_SERVICE_URL'>>;
  /** The Engine (anything with handle(turn)). */
  engine: TurnHandler;
  stores: Stores;
  /** The bot's one HTTP server; the channel mounts `POST /api/messages` on it. */
  server: { mount(method: string, path: string, handler: RouteHandler): void };
  /** The DeliveryRouter: the channel registers its sink for 'teams', through which the outbox reaches Teams. */
  delivery?: { register(channel: ChannelKind, sink: ReplySink): void } | undefined;
  /** The outbox (bot.outbox.replies): a turn's replies Teams did not take in the turn are retried through it. */
  outbox?: ReplySink | undefined;
  /** config/support.yaml: intake forms ("Fill in a form") and team names on ticket cards. */
  support?: SupportConfig | undefined;
  /** For agents in the Teams agent channels (TEAMS_AGENT_CHANNELS): the desk their clicks and replies go to. */
  agentDesk?: DeskActions | undefined;
  /** The outbox's ticket events: the Teams ticket cards subscribe to them. */
  ticketEvents?: { subscribe(listener: IdempotentTicketListener, name?: string): () => void } | undefined;
  /** Console accounts, so an agent mapped by Teams identity acts under the account's name. */
  accounts?: TeamsDeskAgentsDeps['accounts'];
  /** "Save as FAQ" on a ticket card files the agent's answer here, for the curators. */
  curation?: TeamsDeskAgentsDeps['curation'];
  clock?: Clock | undefined;
  log?: Logger | undefined;
  /** Retry of a 429 without Retry-After from the connector (tests shorten it). */
  retry?: { attempts?: number | undefined; baseMs?: number | undefined } | undefined;
}

/** Further requests are answered 503 after `stop`; the sink is absent when the channel is off. */
export interface TeamsChannel extends Channel {
  readonly kind: 'teams';
  /** authenticated, local (unauthenticated, loopback only) or off. */
  readonly mode: TeamsAuth['kind'];
}

/**
 * Microsoft Teams for customers (personal chat) through botbuilder's CloudAdapter on the bot's
 * HTTP server. Throws ValidationFailedError when the credentials are only partly set.
 */
export async function startTeamsChannel(options: TeamsChannelOptions): Promise<TeamsChannel> {
  const log = (options.log ?? silentLogger).child({ component: 'teams' });
  const auth = resolveTeamsAuth(options.config);
  const deskChannels = parseTeamsAgentChannels(options.config.TEAMS_AGENT_CHANNELS ?? '', options.support);
  let stopped = false;
  const mount = (handler: RouteHandler) =>
    options.server.mount('POST', TEAMS_MESSAGES_PATH, (req, res, params) => {
      if (stopped) {
        req.resume();
        sendError(res, 503, { code: 'stopping', message: 'The bot is shutting down.' });
        return;
      }
      return handler(req, res, params);
    });

  if (auth.kind === 'off') {
    log.info('Teams channel is off: no Microsoft app credentials (requests to /api/messages get 401)');
    mount(createTeamsRoute({ auth, logic: async () => {}, log }));
    return {
      kind: 'teams',
      mode: 'off',
      // Activities are handled within their HTTP request, which the server's drain waits for.
      idle: async () => {},
      stop: async () => {
        stopped = true;
      },
    };
  }
  if (auth.kind === 'local') {
    log.warn(
      'Teams channel runs WITHOUT authentication (TEAMS_ALLOW_UNAUTHENTICATED): loopback serviceUrls only',
    );
  } else if (options.config.TEAMS_ALLOW_UNAUTHENTICATED) {
    log.warn('TEAMS_ALLOW_UNAUTHENTICATED is ignored: app credentials are set, tokens are validated');
  }

  // botbuilder takes a good part of a second to load: only when the channel is on.
  const [{ TeamsAdapter }, { TeamsBot }] = await Promise.all([
    import('./teams-adapter.ts'),
    import('./teams-bot.ts'),
  ]);
  const support = options.support;
  const render: RenderOptions = {
    offerForm: support !== undefined,
    queueName: support
      ? (queueId: string, language: Language) => findQueue(support, queueId).name[language]
      : undefined,
  };
  const sentCards = new SentCards();
  const sender = new TeamsSender({
    sentCards,
    render,
    log,
    attempts: options.retry?.attempts,
    retryBaseMs: options.retry?.baseMs,
  });
  const adapter = new TeamsAdapter(auth, log);
  const desk =
    deskChannels && support
      ? startDesk({ options, auth, adapter, sender, channels: deskChannels, support, log })
      : undefined;
  const bot = new TeamsBot({
    agents: desk?.agents,
    engine: options.engine,
    stores: options.stores,
    sender,
    sentCards,
    support,
    render,
    delivery: options.outbox,
    files: options.attachmentSaver && new TeamsFiles(options.attachmentSaver, log),
    clock: options.clock,
    log,
  });
  mount(createTeamsRoute({ auth, adapter, logic: (context) => bot.onTurn(context), log }));
  const unsubscribe = desk?.cards && options.ticketEvents?.subscribe(desk.cards, 'teams-ticket-cards');

  const sink = new TeamsReplySink({
    adapter,
    sender,
    log,
    loopbackOnly: auth.kind === 'local',
  });
  options.delivery?.register('teams', sink);
  log.info('Teams channel ready', { path: TEAMS_MESSAGES_PATH, mode: auth.kind });
  return {
    kind: 'teams',
    mode: auth.kind,
    sink,
    idle: async () => {},
    stop: async () => {
      stopped = true;
      unsubscribe?.();
    },
  };
}

/** TEAMS_AGENT_CHANNELS against the queues of config/support.yaml; every problem listed at once. */
function parseTeamsAgentChannels(
  setting: string,
  support: SupportConfig | undefined,
): DeskChannels | undefined {
  if (setting.trim() === '') return undefined;
  if (!support) {
    throw new ValidationFailedError('Invalid TEAMS_AGENT_CHANNELS', [
      {
        source: 'env',
        field: 'TEAMS_AGENT_CHANNELS',
        message: 'agent channels need the queues of the support config',
      },
    ]);
  }
  return DeskChannels.parse(
    setting,
    {
      field: 'TEAMS_AGENT_CHANNELS',
      // Teams channel ids: 19:<id>@thread.tacv2 (older teams: @thread.skype).
      channelId: /^19:[A-Za-z0-9_-]+@thread\.[a-z0-9]+$/,
      expected: 'queue=19:…@thread.tacv2 (the channel id from "Get link to channel")',
    },
    support.queues.map((q) => q.id),
    support.defaultQueue,
  );
}

/** Ticket cards in the agent channels and the agents' clicks and thread replies. */
function startDesk(parts: {
  options: TeamsChannelOptions;
  auth: Exclude<TeamsAuth, { kind: 'off' }>;
  adapter: TeamsAdapter;
  sender: TeamsSender;
  channels: DeskChannels;
  support: SupportConfig;
  log: Logger;
}): { cards: TeamsTicketCards; agents: TeamsDeskAgents | undefined } {
  const { options, auth, log } = parts;
  const serviceUrl = new TeamsServiceUrl(
    options.stores.settings,
    options.config.TEAMS_SERVICE_URL ?? DEFAULT_TEAMS_SERVICE_URL,
    log,
  );
  const cards = new TeamsTicketCards({
    adapter: parts.adapter,
    sender: parts.sender,
    stores: options.stores,
    support: parts.support,
    channels: parts.channels,
    poster:
      auth.kind === 'authenticated'
        ? { botId: auth.appId, tenantId: auth.tenantId }
        : { botId: LOCAL_BOT_ID },
    serviceUrl: () => serviceUrl.get(),
    loopbackOnly: auth.kind === 'local',
    attachmentUrls: options.attachmentUrls,
    clock: options.clock ?? systemClock,
    log,
  });
  if (!options.agentDesk) {
    log.warn(
      'teams agent channels without an agent desk: cards are posted, clicks and replies are not taken',
    );
  }
  const agents =
    options.agentDesk &&
    new TeamsDeskAgents({
      desk: options.agentDesk,
      cards,
      channels: parts.channels,
      accounts: options.accounts,
      curation: options.curation,
      learnServiceUrl: (url) => serviceUrl.learn(url),
      log,
    });
  log.info('teams agent channels', { channels: parts.channels.size });
  return { cards, agents };
}
