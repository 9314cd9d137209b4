import type { Channel } from '../../core/channel.ts';
import type { Clock } from '../../core/clock.ts';
import type { ReplySink } from '../../core/delivery.ts';
import { type Logger, silentLogger } from '../../core/logger.ts';
import type { Stores } from '../../core/ports.ts';
import type { ChannelKind } from '../../core/turn.ts';
import type { TurnHandler } from '../../core/turn-handler.ts';
import type { HttpServer } from '../../http/http-server.ts';
import type { AttachmentFiles } from '../../store/attachment-files.ts';
import type { AttachmentLinks } from './attachment-links.ts';
import { mountStaticPages } from './static-pages.ts';
import { WebAttachmentApi } from './web-attachment-api.ts';
import { WebChatApi } from './web-chat-api.ts';
import { type WebChatLimitSettings, WebChatLimits } from './web-chat-limits.ts';

export interface WebChannelOptions {
  server: HttpServer;
  /** The Engine (anything with handle(turn)). */
  engine: TurnHandler;
  stores: Stores;
  /** The DeliveryRouter: the web channel registers itself as the sink for 'web'. */
  delivery?: { register(channel: ChannelKind, sink: ReplySink): void } | undefined;
  /** Abuse limits of the web chat (WEB_NEW_CONVERSATIONS_PER_MINUTE, ...); none when absent. */
  webLimits?: WebChatLimitSettings | undefined;
  /** WEB_IDENTITY_SECRET: embedding sites vouch for their signed-in users with it. */
  identitySecret?: string | undefined;
  /** Customers' files: the chat's upload route, and agents' signed links. */
  attachments?: { files: AttachmentFiles; links: AttachmentLinks } | undefined;
  clock?: Clock | undefined;
  log?: Logger | undefined;
}

export interface WebChannel extends Channel {
  readonly kind: 'web';
  /** The web channel's ReplySink (also registered with `delivery` when given). */
  readonly sink: ReplySink;
}

/**
 * Mounts the web channel on the shared server: the chat API, and the pages (chat at `/`, the
 * console's page at `/admin`, whose API mountAdminConsole adds). Call before `server.start()` or
 * after; routes are looked up per request.
 */
export async function startWebChannel(options: WebChannelOptions): Promise<WebChannel> {
  const log = options.log ?? silentLogger;
  // Pushed web messages wait in the stores: the journal, or Redis shared by every process.
  const events = options.stores.webEvents;
  const chat = new WebChatApi({
    engine: options.engine,
    events,
    access: options.stores.webAccess,
    clock: options.clock,
    log,
    metrics: options.server.metrics,
    limits: options.webLimits && new WebChatLimits(options.stores.limits, options.webLimits),
    identitySecret: options.identitySecret,
  });
  chat.mount(options.server);
  if (options.attachments) {
    new WebAttachmentApi(chat, options.attachments.files).mount(options.server);
    options.attachments.links.mount(options.server);
  }
  await mountStaticPages(options.server);

  options.delivery?.register('web', chat);
  // The store decides readiness: Redis away means "degraded" (answering from the local spool).
  options.server.addReadinessCheck({ name: 'store', check: () => options.stores.health() });
  options.server.onStop(() => events.wakeAll());

  return {
    kind: 'web',
    mode: 'on',
    sink: chat,
    // Turns are answered within their HTTP request, which the server's drain waits for.
    idle: async () => {},
    stop: async () => {
      events.wakeAll();
    },
  };
}
