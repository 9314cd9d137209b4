import type { Config } from '../../config/config.ts';
import type { Clock } from '../../core/clock.ts';
import type { ReplySink } from '../../core/delivery.ts';
import type { Language } from '../../core/language.ts';
import type { ChannelKind } from '../../core/turn.ts';
import { findQueue, type SupportConfig } from '../../handoff/support-config.ts';
import { type Logger, silentLogger } from '../../ops/logger.ts';
import type { Stores } from '../../store/ports.ts';
import { sendError } from '../web/http-json.ts';
import type { RouteHandler } from '../web/http-server.ts';
import type { RenderOptions } from './cards/reply-card.ts';
import { resolveTeamsAuth, type TeamsAuth } from './teams-auth.ts';
import type { TurnHandler } from './teams-bot.ts';
import { createTeamsRoute } from './teams-http-handler.ts';
import { TeamsReplySink } from './teams-reply-sink.ts';
import { TeamsSender } from './teams-sender.ts';
import { SentCards } from './teams-sent-cards.ts';

export const TEAMS_MESSAGES_PATH = '/api/messages';

export interface TeamsChannelOptions {
  config: Pick<
    Config,
    'MICROSOFT_APP_ID' | 'MICROSOFT_APP_PASSWORD' | 'MICROSOFT_APP_TENANT_ID' | 'TEAMS_ALLOW_UNAUTHENTICATED'
  >;
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
  clock?: Clock | undefined;
  log?: Logger | undefined;
  /** Retry of a 429 without Retry-After from the connector (tests shorten it). */
  retry?: { attempts?: number | undefined; baseMs?: number | undefined } | undefined;
}

export interface TeamsChannel {
  /** authenticated, local (unauthenticated, loopback only) or off. */
  mode: TeamsAuth['kind'];
  /** The proactive sink (also registered with `delivery`); absent when the channel is off. */
  sink?: ReplySink | undefined;
  /** Further requests are answered 503; the server itself is stopped by its owner. */
  stop(): Promise<void>;
}

/**
 * Microsoft Teams for customers (personal chat) through botbuilder's CloudAdapter on the bot's
 * HTTP server. Throws ValidationFailedError when the credentials are only partly set.
 */
export async function startTeamsChannel(options: TeamsChannelOptions): Promise<TeamsChannel> {
  const log = (options.log ?? silentLogger).child({ component: 'teams' });
  const auth = resolveTeamsAuth(options.config);
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
      mode: 'off',
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
  const bot = new TeamsBot({
    engine: options.engine,
    stores: options.stores,
    sender,
    sentCards,
    support,
    render,
    delivery: options.outbox,
    clock: options.clock,
    log,
  });
  mount(createTeamsRoute({ auth, adapter, logic: (context) => bot.onTurn(context), log }));

  const sink = new TeamsReplySink({
    adapter,
    sender,
    log,
    loopbackOnly: auth.kind === 'local',
  });
  options.delivery?.register('teams', sink);
  log.info('Teams channel ready', { path: TEAMS_MESSAGES_PATH, mode: auth.kind });
  return {
    mode: auth.kind,
    sink,
    stop: async () => {
      stopped = true;
    },
  };
}
