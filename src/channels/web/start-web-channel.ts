import { AccountDirectory } from '../../admin/accounts/account-directory.ts';
import { AccountsApi } from '../../admin/accounts/accounts-api.ts';
import { ConsoleAccess } from '../../admin/accounts/console-access.ts';
import { AdminAuth } from '../../admin/admin-auth.ts';
import { AnalyticsApi } from '../../admin/analytics/analytics-api.ts';
import { CurationApi, type FaqTitleSearch } from '../../admin/curation-api.ts';
import { CustomerDataApi } from '../../admin/customer-data-api.ts';
import { FaqCurationApi } from '../../admin/faq-curation-api.ts';
import { FaqTransferApi } from '../../admin/faq-transfer-api.ts';
import { InboxApi } from '../../admin/inbox/inbox-api.ts';
import { IncidentApi } from '../../admin/incident-api.ts';
import { ReportApi } from '../../admin/reports/report-api.ts';
import type { TicketDesk } from '../../admin/ticket-api.ts';
import { TicketApi } from '../../admin/ticket-api.ts';
import type { FaqTitles } from '../../admin/ticket-view.ts';
import type { MatchSettings } from '../../admin/tuning/match-settings.ts';
import { TuningApi } from '../../admin/tuning/tuning-api.ts';
import type { Channel } from '../../core/channel.ts';
import type { Clock } from '../../core/clock.ts';
import { systemClock } from '../../core/clock.ts';
import type { ReplySink } from '../../core/delivery.ts';
import { type Logger, silentLogger } from '../../core/logger.ts';
import type { Matcher } from '../../core/match.ts';
import type { TicketListener } from '../../core/ticket-events.ts';
import type { ChannelKind } from '../../core/turn.ts';
import type { TurnHandler } from '../../core/turn-handler.ts';
import type { CustomerDirectory } from '../../handoff/customer-directory.ts';
import type { SupportConfig } from '../../handoff/support-config.ts';
import type { IncidentDesk } from '../../incidents/incident-desk.ts';
import { InboxCuration } from '../../knowledge/inbox-curation.ts';
import type { KnowledgeCuration } from '../../knowledge/knowledge-curation.ts';
import type { AttachmentFiles } from '../../store/attachment-files.ts';
import type { Stores } from '../../store/ports.ts';
import type { Understanding } from '../../understanding/understanding.ts';
import type { AttachmentLinks } from './attachment-links.ts';
import type { HttpServer } from './http-server.ts';
import { mountStaticPages } from './static-pages.ts';
import { WebAttachmentApi } from './web-attachment-api.ts';
import { WebChatApi } from './web-chat-api.ts';
import { type WebChatLimitSettings, WebChatLimits } from './web-chat-limits.ts';

export interface WebChannelOptions {
  server: HttpServer;
  /** The Engine (anything with handle(turn)). */
  engine: TurnHandler;
  /** The AgentDesk. */
  agentDesk: TicketDesk;
  stores: Stores;
  /** The Understanding, for the console's FAQ title search and the titles of a ticket's candidates. */
  understanding?:
    | (FaqTitleSearch &
        Matcher &
        Pick<Understanding, 'similarityVectors'> & { readonly knowledge: FaqTitles })
    | undefined;
  /** config/support.yaml, for the console's queue names and intake labels. */
  support?: SupportConfig | undefined;
  /** The DeliveryRouter: the web channel registers itself as the sink for 'web'. */
  delivery?: { register(channel: ChannelKind, sink: ReplySink): void } | undefined;
  /** The thresholds in force, for "Try it" and the tuning; mounted with `understanding`. */
  matchSettings?: MatchSettings | undefined;
  /** FAQ editing for the console (`/api/admin/faq/:id`, ...); mounted when given. */
  curation?: KnowledgeCuration | undefined;
  /** Abuse limits of the web chat (WEB_NEW_CONVERSATIONS_PER_MINUTE, ...); none when absent. */
  webLimits?: WebChatLimitSettings | undefined;
  /** WEB_IDENTITY_SECRET: embedding sites vouch for their signed-in users with it. */
  identitySecret?: string | undefined;
  /** ADMIN_TOKEN; without it the agent/admin API answers 401 with a hint. */
  adminToken?: string | undefined;
  /** Organisations and contracts (engine.customers), for the monthly SLA report. */
  customers?: CustomerDirectory | undefined;
  /** Maintenance windows and incidents (`/api/admin/incidents`); mounted when given. */
  incidents?: IncidentDesk | undefined;
  /** INTEGRATION_TOKEN: a helpdesk's token for the ticket routes only. */
  integrationToken?: string | undefined;
  /** Customers' files: the chat's upload route, and agents' signed links. */
  attachments?: { files: AttachmentFiles; links: AttachmentLinks } | undefined;
  clock?: Clock | undefined;
  /** The outbox's ticket events (engine.ticketEvents): a customer's erasure redraws their tickets' cards. */
  ticketEvents?: TicketListener | undefined;
  log?: Logger | undefined;
}

export interface WebChannel extends Channel {
  readonly kind: 'web';
  /** The web channel's ReplySink (also registered with `delivery` when given). */
  readonly sink: ReplySink;
  /** Whether the console and agent API are switched on. */
  adminEnabled: boolean;
}

/**
 * Mounts the web channel on the shared server: chat page at `/`, console at `/admin`, the chat
 * API, the agent ticket API and the curation API. Call before `server.start()` or after; routes
 * are looked up per request.
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

  // Failed-token throttling runs on wall time, not the (possibly simulated) support clock.
  const auth = new AdminAuth({ token: options.adminToken });
  // Personal tokens of named accounts, or ADMIN_TOKEN; each route says which roles may use it.
  const access = new ConsoleAccess(auth, options.stores.accounts, options.integrationToken);
  const curate = access.for('curate');
  const understanding = options.understanding;
  // Asked per request: the knowledge is replaced when a file or a console edit changes it.
  const titles: FaqTitles | undefined = understanding && {
    get: (id, language) => understanding.knowledge.get(id, language),
  };
  new TicketApi({
    desk: options.agentDesk,
    auth: access.for('tickets'),
    support: options.support,
    faq: titles,
    clock: options.clock,
    log,
  }).mount(options.server);
  new CurationApi({
    stores: options.stores,
    auth: curate,
    statsAuth: access.for('signed-in'),
    faq: options.understanding,
    titles,
    clock: options.clock,
    log,
  }).mount(options.server);
  if (options.curation) {
    new FaqCurationApi({ curation: options.curation, auth: curate, log }).mount(options.server);
    new FaqTransferApi({ curation: options.curation, auth: curate }).mount(options.server);
  }
  if (options.curation && understanding) {
    new InboxApi({
      unanswered: options.stores.unanswered,
      inbox: new InboxCuration(options.curation, options.stores, options.clock ?? systemClock),
      vectorize: (texts) => understanding.similarityVectors(texts),
      title: (id, language) => understanding.knowledge.get(id, language)?.title,
      auth: curate,
    }).mount(options.server);
  }
  if (options.matchSettings && understanding) {
    new TuningApi({
      settings: options.matchSettings,
      stores: options.stores,
      matcher: understanding,
      title: (id, language) => understanding.knowledge.get(id, language)?.title,
      auth: curate,
      clock: options.clock ?? systemClock,
    }).mount(options.server);
  }
  new AnalyticsApi({
    stores: options.stores,
    auth: access.for('report'),
    clock: options.clock ?? systemClock,
  }).mount(options.server);
  if (options.customers && options.support) {
    new ReportApi({
      stores: options.stores,
      support: options.support,
      customers: options.customers,
      auth: access.for('report'),
      clock: options.clock ?? systemClock,
    }).mount(options.server);
  }
  new AccountsApi({
    access,
    directory: new AccountDirectory(options.stores, options.clock ?? systemClock),
    audit: options.stores.audit,
  }).mount(options.server);
  if (options.incidents) {
    new IncidentApi({
      access,
      desk: options.incidents,
      audit: options.stores.audit,
      clock: options.clock ?? systemClock,
    }).mount(options.server);
  }
  new CustomerDataApi({
    access,
    stores: options.stores,
    clock: options.clock ?? systemClock,
    ticketEvents: options.ticketEvents,
  }).mount(options.server);
  await mountStaticPages(options.server);

  options.delivery?.register('web', chat);
  // The store decides readiness: Redis away means "degraded" (answering from the local spool).
  options.server.addReadinessCheck({ name: 'store', check: () => options.stores.health() });
  options.server.onStop(() => events.wakeAll());
  if (!auth.enabled) {
    log.warn('ADMIN_TOKEN is not set: the console at /admin and the agent API are disabled');
  }

  return {
    kind: 'web',
    mode: 'on',
    sink: chat,
    adminEnabled: auth.enabled,
    // Turns are answered within their HTTP request, which the server's drain waits for.
    idle: async () => {},
    stop: async () => {
      events.wakeAll();
    },
  };
}
