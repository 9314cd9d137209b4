import type { App, Logger as BoltLogger, LogLevel, Receiver } from '@slack/bolt';
import type { Config } from '../../config/config.ts';
import type { AttachmentSaver, AttachmentUrls } from '../../core/attachment.ts';
import type { Channel } from '../../core/channel.ts';
import { type Clock, systemClock } from '../../core/clock.ts';
import type { ReplySink } from '../../core/delivery.ts';
import { ConfigError } from '../../core/errors.ts';
import { errorCode, errorMessage, type Logger, silentLogger } from '../../core/logger.ts';
import type { Stores } from '../../core/ports.ts';
import type { TicketListener } from '../../core/ticket-events.ts';
import type { ChannelKind } from '../../core/turn.ts';
import type { TurnHandler } from '../../core/turn-handler.ts';
import type { SupportConfig } from '../../handoff/support-config.ts';
import type { RouteHandler } from '../../http/http-server.ts';
import { registerAdminHandlers } from './admin-handlers.ts';
import { AgentChannels } from './agent-channels.ts';
import { registerAgentHandlers } from './agent-handlers.ts';
import { registerCustomerHandlers } from './customer-handlers.ts';
import { teamOf } from './customer-turns.ts';
import { registerIntakeFormHandlers } from './intake-form-handlers.ts';
import { createSlackApiFetch } from './slack-api-fetch.ts';
import type { FaqCuration, FaqLibrary, SlackContext, TicketDesk } from './slack-context.ts';
import { SlackFiles } from './slack-files.ts';
import { KEPT_EVENT, SlackHttpReceiver } from './slack-http-receiver.ts';
import { SlackReplySink } from './slack-reply-sink.ts';
import { SlackSender } from './slack-sender.ts';
import { SlackUserDirectory } from './slack-user-directory.ts';
import { TicketCardPublisher } from './ticket-card-publisher.ts';

/** The path Slack posts events, interactivity and slash commands to (manifest.json). */
export const SLACK_EVENTS_PATH = '/slack/events';

const EVENT_DEDUPE_TTL_MS = 24 * 60 * 60_000;

export type SlackConfig = Pick<
  Config,
  | 'SLACK_BOT_TOKEN'
  | 'SLACK_SIGNING_SECRET'
  | 'SLACK_APP_TOKEN'
  | 'SLACK_SOCKET_MODE'
  | 'SLACK_API_URL'
  | 'SLACK_ADMIN_USERS'
  | 'SLACK_AGENT_CHANNELS'
>;

export interface SlackChannelOptions {
  config: SlackConfig;
  /** The Engine. */
  engine: TurnHandler;
  /** The AgentDesk. */
  agentDesk: TicketDesk;
  /** Console accounts: a Slack member mapped to one acts under the account's name. */
  accounts?: { bySlackUser(slackUserId: string): Promise<{ name: string } | undefined> } | undefined;
  stores: Stores;
  /** The Understanding: FAQ lookups for /faq and the App Home. */
  understanding: FaqLibrary;
  /** The KnowledgeCuration: FAQ edits (/faq add|edit, "Add FAQ") and "Save as FAQ" proposals. */
  curation?: FaqCuration | undefined;
  /** config/support.yaml: queues (agent channels, escalation) and intake forms (the modal). */
  support: SupportConfig;
  /** The bot's HTTP server; HTTP mode mounts `POST /slack/events` on it. */
  server: { mount(method: string, path: string, handler: RouteHandler): void };
  /** The DeliveryRouter: registers the 'slack' sink, through which the outbox reaches Slack. */
  delivery?: { register(channel: ChannelKind, sink: ReplySink): void } | undefined;
  /**
   * The outbox (bot.outbox.replies): answers to a customer's turn go out through it after the
   * acknowledgement, so they are retried and never lost, in order with agent relays.
   */
  outbox: ReplySink;
  /**
   * The outbox's inbox (bot.outbox.inbox): in HTTP mode each Events API event is kept there before
   * Slack gets its acknowledgement, and handled from there by whichever process takes it.
   */
  inbox?: SlackInbox | undefined;
  /**
   * engine.ticketEvents (shared with the AgentDesk and the SlaWatcher): ticket cards follow every
   * change. The outbox's hub gets the fixed name `slack-ticket-cards` for its items.
   */
  ticketEvents?: { subscribe(listener: TicketListener, name?: string): () => void } | undefined;
  /** Customers' files: where shared files are kept, and the signed links on ticket cards. */
  attachments?: { saver: AttachmentSaver; urls: AttachmentUrls } | undefined;
  clock?: Clock | undefined;
  /** Waiting between sends (tests pass one that moves a manual clock). */
  sleep?: ((ms: number) => Promise<void>) | undefined;
  log?: Logger | undefined;
}

/** Where events wait between their acknowledgement and their handling (OutboxInbox). */
export interface SlackInbox {
  register(source: string, handler: (message: { payload: unknown; resumed: boolean }) => Promise<void>): void;
  accept(source: string, eventId: string, conversation: string, payload: unknown): Promise<void>;
}

export interface SlackChannel extends Channel {
  readonly kind: 'slack';
  app: App;
  sender: SlackSender;
  sink: SlackReplySink;
  cards: TicketCardPublisher;
  mode: 'http' | 'socket';
}

/** Slack is on when the bot token and the signing secret are set. */
export function isSlackConfigured(config: SlackConfig): boolean {
  return Boolean(config.SLACK_BOT_TOKEN && config.SLACK_SIGNING_SECRET);
}

/**
 * Starts the Slack channel: the Bolt app on our own HTTP server (or Socket Mode), customers in
 * DMs and mentions, agents in the queue channels, admins in the App Home. Returns undefined when
 * Slack is not configured. Bad channel mapping or an unreachable Slack (auth.test) throws.
 */
export async function startSlackChannel(options: SlackChannelOptions): Promise<SlackChannel | undefined> {
  const { config, stores } = options;
  const log = options.log ?? silentLogger;
  const clock = options.clock ?? systemClock;
  if (!isSlackConfigured(config)) {
    log.info('slack is off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to switch it on)');
    return undefined;
  }
  // Bolt takes a good part of a second to load: only when Slack is switched on.
  const bolt = await import('@slack/bolt');
  const token = config.SLACK_BOT_TOKEN as string;
  const agentChannels = AgentChannels.parse(
    config.SLACK_AGENT_CHANNELS,
    options.support.queues.map((q) => q.id),
    options.support.defaultQueue,
  );
  // Our sender paces and retries; the Web API client must not retry on its own as well.
  const clientOptions = {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    fetch: createSlackApiFetch(),
  };
  const boltLogger = toBoltLogger(log, bolt.LogLevel.INFO);
  const {
    receiver,
    http: httpReceiver,
    mode,
  } = await createSlackReceiver(config, { clock, log, boltLogger });
  const app = new bolt.App({
    token,
    receiver,
    clientOptions,
    logger: boltLogger,
    deferInitialization: true,
    // Bolt's per-conversation memory is not used (state lives in the bot's stores); off, it no
    // longer builds a "not found" Error for every event.
    convoStore: false,
    // The handler sees the context: a kept event's failure goes back to the outbox, to be retried.
    extendedErrorHandler: true,
  });
  await app.init();

  const sender = new SlackSender({ client: app.client, clock, sleep: options.sleep, log });
  const sink = new SlackReplySink(sender);
  const ctx: SlackContext = {
    app,
    engine: options.engine,
    desk: options.agentDesk,
    stores,
    faq: options.understanding,
    curation: options.curation,
    support: options.support,
    sender,
    replies: options.outbox,
    users: new SlackUserDirectory(app.client, clock, log, options.accounts),
    agentChannels,
    adminUsers: new Set(
      config.SLACK_ADMIN_USERS.split(',')
        .map((u) => u.trim())
        .filter((u) => u !== ''),
    ),
    clock,
    log,
    files:
      options.attachments && config.SLACK_BOT_TOKEN
        ? new SlackFiles(
            app.client,
            config.SLACK_BOT_TOKEN,
            options.attachments.saver,
            log,
            config.SLACK_API_URL,
          )
        : undefined,
    attachmentUrls: options.attachments?.urls,
  };
  const auth = await app.client.auth.test();
  ctx.botUserId = auth.user_id;

  // Bolt types the handler by the App's option at compile time; extendedErrorHandler is set above.
  const onError = async ({ error, context }: { error: Error; context?: Record<string, unknown> }) => {
    const failure = (error as { original?: unknown }).original ?? error;
    log.error('slack handler failed', { code: errorCode(failure), error: errorMessage(failure) });
    if (context?.[KEPT_EVENT] === true) throw failure;
  };
  app.error(onError as unknown as Parameters<typeof app.error>[0]);
  // A retried event (X-Slack-Retry-Num) or one delivered twice is handled once. A kept event was
  // added to the inbox once under its id already, and must run again if its first run died.
  app.use(async ({ body, context, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (
      typeof eventId === 'string' &&
      context[KEPT_EVENT] !== true &&
      !(await stores.dedupe.firstSeen(`slack:event:${eventId}`, EVENT_DEDUPE_TTL_MS))
    ) {
      log.info('duplicate slack event ignored', { eventId });
      return;
    }
    await next();
  });
  // Other bots (and our own messages, which Bolt's ignoreSelf drops as well) never reach a listener.
  app.use(async ({ body, next }) => {
    const event = (body as { event?: { bot_id?: unknown; subtype?: unknown } }).event;
    if (event && (event.bot_id !== undefined || event.subtype === 'bot_message')) return;
    await next();
  });

  const cards = new TicketCardPublisher(ctx);
  registerCustomerHandlers(ctx);
  registerIntakeFormHandlers(ctx);
  registerAgentHandlers(ctx, cards);
  registerAdminHandlers(ctx);

  const unsubscribe = options.ticketEvents?.subscribe(cards, 'slack-ticket-cards');
  options.delivery?.register('slack', sink);
  if (httpReceiver && options.inbox) keepEventsInInbox(httpReceiver, options.inbox);
  if (httpReceiver) options.server.mount('POST', SLACK_EVENTS_PATH, httpReceiver.handle);
  await app.start();
  log.info('slack channel started', {
    mode,
    agentChannels: agentChannels.size,
    admins: ctx.adminUsers.size,
  });

  return {
    kind: 'slack',
    app,
    sender,
    sink,
    cards,
    mode,
    async idle() {
      await httpReceiver?.idle();
      await sender.idle();
    },
    async stop() {
      unsubscribe?.();
      sender.stop();
      await app.stop();
    },
  };
}

/** Events wait in their conversation's lane: one conversation's messages are handled in order. */
function keepEventsInInbox(receiver: SlackHttpReceiver, inbox: SlackInbox): void {
  inbox.register('slack', ({ payload, resumed }) =>
    receiver.processKept(payload as Record<string, unknown>, resumed),
  );
  receiver.keepEventsWith(async (body) => {
    const event = (body.event ?? {}) as { channel?: unknown; user?: unknown };
    const where = typeof event.channel === 'string' ? event.channel : String(event.user ?? 'app');
    await inbox.accept('slack', String(body.event_id), `${teamOf(body, undefined)}:${where}`, body);
  });
}

/**
 * HTTP mode: our receiver, mounted on the bot's server at /slack/events. Socket Mode (no public
 * URL): Bolt's SocketModeReceiver with the app-level token.
 */
export async function createSlackReceiver(
  config: SlackConfig,
  options: { clock: Clock; log: Logger; boltLogger?: BoltLogger | undefined },
): Promise<{ receiver: Receiver; http?: SlackHttpReceiver | undefined; mode: 'http' | 'socket' }> {
  if (config.SLACK_SOCKET_MODE) {
    if (!config.SLACK_APP_TOKEN) {
      throw new ConfigError(
        'slack_app_token_missing',
        'SLACK_SOCKET_MODE needs SLACK_APP_TOKEN (an xapp- token with connections:write)',
      );
    }
    const { LogLevel, SocketModeReceiver } = await import('@slack/bolt');
    const logger = options.boltLogger ?? toBoltLogger(options.log, LogLevel.INFO);
    return { receiver: new SocketModeReceiver({ appToken: config.SLACK_APP_TOKEN, logger }), mode: 'socket' };
  }
  if (!config.SLACK_SIGNING_SECRET) {
    throw new ConfigError('slack_signing_secret_missing', 'Slack over HTTP needs SLACK_SIGNING_SECRET');
  }
  const http = new SlackHttpReceiver({
    signingSecret: config.SLACK_SIGNING_SECRET,
    clock: options.clock,
    log: options.log,
  });
  return { receiver: http, http, mode: 'http' };
}

/** Bolt's logger interface on top of ours (Bolt logs variadic strings). */
function toBoltLogger(log: Logger, initial: LogLevel): BoltLogger {
  let level = initial;
  const text = (parts: unknown[]) =>
    parts.map((p) => (typeof p === 'string' ? p : errorMessage(p))).join(' ');
  return {
    // Bolt and the Web API client call debug for every request: build no text that is dropped.
    debug: (...parts: unknown[]) => {
      if (log.level === 'debug') log.debug(text(parts), { component: 'bolt' });
    },
    info: (...parts: unknown[]) => log.info(text(parts), { component: 'bolt' }),
    warn: (...parts: unknown[]) => log.warn(text(parts), { component: 'bolt' }),
    error: (...parts: unknown[]) => log.error(text(parts), { component: 'bolt' }),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
