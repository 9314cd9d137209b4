import type { AttachmentRemover, AttachmentUrls } from '../core/attachment.ts';
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import { type Logger, silentLogger } from '../core/logger.ts';
import type { Matcher } from '../core/match.ts';
import type { Stores } from '../core/ports.ts';
import type { TicketListener } from '../core/ticket-events.ts';
import type { CustomerDirectory } from '../handoff/customer-directory.ts';
import type { SupportConfig } from '../handoff/support-config.ts';
import type { HttpServer } from '../http/http-server.ts';
import type { IncidentDesk } from '../incidents/incident-desk.ts';
import { InboxCuration } from '../knowledge/inbox-curation.ts';
import type { KnowledgeCuration } from '../knowledge/knowledge-curation.ts';
import type { Understanding } from '../understanding/understanding.ts';
import { AccountDirectory } from './accounts/account-directory.ts';
import { AccountsApi } from './accounts/accounts-api.ts';
import { ConsoleAccess } from './accounts/console-access.ts';
import { AdminAuth } from './admin-auth.ts';
import { AnalyticsApi } from './analytics/analytics-api.ts';
import { CurationApi, type FaqTitleSearch } from './curation-api.ts';
import { CustomerDataApi } from './customer-data-api.ts';
import { FaqCurationApi } from './faq-curation-api.ts';
import { FaqTransferApi } from './faq-transfer-api.ts';
import { InboxApi } from './inbox/inbox-api.ts';
import { IncidentApi } from './incident-api.ts';
import { ReportApi } from './reports/report-api.ts';
import type { TicketDesk } from './ticket-api.ts';
import { TicketApi } from './ticket-api.ts';
import type { FaqTitles } from './ticket-view.ts';
import type { MatchSettings } from './tuning/match-settings.ts';
import { TuningApi } from './tuning/tuning-api.ts';

export interface AdminConsoleOptions {
  server: HttpServer;
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
  /** The thresholds in force, for "Try it" and the tuning; mounted with `understanding`. */
  matchSettings?: MatchSettings | undefined;
  /** FAQ editing for the console (`/api/admin/faq/:id`, ...); mounted when given. */
  curation?: KnowledgeCuration | undefined;
  /** ADMIN_TOKEN; without it the agent/admin API answers 401 with a hint. */
  adminToken?: string | undefined;
  /** Organisations and contracts (the assembled bot's customers), for the monthly SLA report. */
  customers?: CustomerDirectory | undefined;
  /** Maintenance windows and incidents (`/api/admin/incidents`); mounted when given. */
  incidents?: IncidentDesk | undefined;
  /** INTEGRATION_TOKEN: a helpdesk's token for the ticket routes only. */
  integrationToken?: string | undefined;
  clock?: Clock | undefined;
  /** The outbox's ticket events: a customer's erasure redraws their tickets' cards. */
  ticketEvents?: TicketListener | undefined;
  /** Customers' files: a customer's erasure removes theirs. */
  attachments?: { files: AttachmentRemover; links?: AttachmentUrls | undefined } | undefined;
  log?: Logger | undefined;
}

/**
 * Mounts the console's API on the shared server: tickets for agents (and a helpdesk's
 * INTEGRATION_TOKEN), curation, FAQ editing and transfer, the inbox, tuning, analytics, reports,
 * accounts and customer data. Each route says which roles may use it. Returns whether the
 * console is switched on (ADMIN_TOKEN set).
 */
export function mountAdminConsole(options: AdminConsoleOptions): { adminEnabled: boolean } {
  const log = options.log ?? silentLogger;
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
    fileUrls: options.attachments?.links,
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
    attachments: options.attachments?.files,
  }).mount(options.server);
  if (!auth.enabled) {
    log.warn('ADMIN_TOKEN is not set: the console at /admin and the agent API are disabled');
  }

  return { adminEnabled: auth.enabled };
}
