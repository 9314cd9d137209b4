import { assembleEngine } from './assemble-engine.ts';
import { SmtpMailer, type SmtpSettings } from './channels/email/smtp-mailer.ts';
import { type Clock, systemClock } from './core/clock.ts';
import { DeliveryRouter } from './core/delivery.ts';
import type { Engine } from './core/engine.ts';
import { type Logger, silentLogger } from './core/logger.ts';
import type { MatchThresholds } from './core/match.ts';
import type { Stores } from './core/ports.ts';
import type { TicketEventHub } from './core/ticket-events.ts';
import {
  createOutboxDelivery,
  type OutboxDelivery,
  type OutboxDeliveryOptions,
} from './delivery/outbox-delivery.ts';
import { AgentDesk } from './handoff/agent-desk.ts';
import type { CustomerDirectory } from './handoff/customer-directory.ts';
import type { CustomersConfig } from './handoff/customers-config.ts';
import { generalCustomersConfig } from './handoff/customers-config.ts';
import { ServiceCatalogue } from './handoff/service-catalogue.ts';
import type { SupportConfig } from './handoff/support-config.ts';
import { IncidentDesk } from './incidents/incident-desk.ts';
import { IncidentTicketLinks } from './incidents/incident-ticket-links.ts';
import type { KnowledgeCuration } from './knowledge/knowledge-curation.ts';
import { startKnowledgeCuration } from './knowledge/start-knowledge-curation.ts';
import type { Understanding } from './understanding/understanding.ts';

export interface AssembleBotOptions {
  understanding: Understanding;
  support: SupportConfig;
  /** config/customers.yaml; default: everyone is served the general contract. */
  customers?: CustomersConfig | undefined;
  stores: Stores;
  thresholds: MatchThresholds;
  /** Outbox settings (tests make the pump quicker); see createOutboxDelivery. */
  outbox?: Partial<
    Pick<OutboxDeliveryOptions, 'consumer' | 'pollMs' | 'leaseMs' | 'baseBackoffMs' | 'inlineWaitMs'>
  >;
  /** KNOWLEDGE_DIR: its files are reloaded when they change, with the admin edits kept on top. */
  knowledgeDir?: string | undefined;
  /** How often FAQ curation re-reads the store (see startKnowledgeCuration); 0 turns it off. */
  knowledgePollMs?: number | undefined;
  clock?: Clock | undefined;
  log?: Logger | undefined;
  /** SMTP_URL and SMTP_FROM: contract warnings go to organisations' contacts by e-mail too. */
  smtp?: SmtpSettings | undefined;
}

/** The conversation parts of one bot, before any channel is attached. */
export interface AssembledBot {
  engine: Engine;
  agentDesk: AgentDesk;
  /** Every ticket change: the agent channels and the SLA watcher listen here. */
  ticketEvents: TicketEventHub;
  /** Whom the bot serves: organisations and their contracts. */
  customers: CustomerDirectory;
  understanding: Understanding;
  support: SupportConfig;
  stores: Stores;
  /** Register each channel's ReplySink here before start(). */
  delivery: DeliveryRouter;
  /**
   * Every customer-visible effect goes through the one outbox: a channel that answers a turn
   * after acknowledging it (Slack) sends its replies here too.
   */
  outbox: OutboxDelivery;
  curation: KnowledgeCuration;
  /** Maintenance windows and incidents (console, admin API, and what customers are told). */
  incidents: IncidentDesk;
  /** Starts this process's outbox pump. */
  start(): Promise<void>;
  /** Stops curation, delivery and hand-off; the stores stay open for their owner to close. */
  stop(): Promise<void>;
}

/**
 * Puts the bot together from its real parts: FAQ curation on top of the Understanding, the
 * Engine and the AgentDesk sharing ticket events and conversation locks (so an agent action never
 * interleaves with a customer turn), and a DeliveryRouter for the channels to register with.
 * The server (app.ts) and the terminal chat (channels/cli/local-bot.ts) both start from here.
 */
export async function assembleBot(options: AssembleBotOptions): Promise<AssembledBot> {
  const { understanding, support, stores, clock } = options;
  const log = options.log ?? silentLogger;
  // Admin edits on top of the files, kept live in every process; also reloads changed files.
  const knowledge = await startKnowledgeCuration({
    understanding,
    stores,
    knowledgeDir: options.knowledgeDir,
    pollMs: options.knowledgePollMs,
    log,
    clock,
  });
  const delivery = new DeliveryRouter();
  const outbox = createOutboxDelivery({
    stores,
    deliverTo: delivery,
    log,
    now: clock ? () => clock.now() : undefined,
    ...options.outbox,
  });
  const incidents = new IncidentDesk({
    stores,
    services: new ServiceCatalogue((options.customers ?? generalCustomersConfig()).services),
    delivery: outbox.replies,
    clock: clock ?? systemClock,
    timeZone: support.businessHours.timezone,
    log,
  });
  // A ticket opened anyway during an incident is noted on the incident (once, by any process).
  outbox.ticketEvents.subscribe(new IncidentTicketLinks(incidents), 'incident-tickets');
  const { engine, ticketEvents, locks, customers } = assembleEngine({
    matcher: understanding,
    knowledge: understanding,
    stores,
    support,
    customers: options.customers,
    thresholds: options.thresholds,
    ticketEvents: outbox.ticketEvents,
    announcements: incidents,
    clock,
    log,
  });
  const agentDesk = new AgentDesk({
    stores,
    support,
    delivery: outbox.replies,
    clock,
    ticketEvents,
    locks,
    customers,
    mailContacts: options.smtp !== undefined,
    log,
  });
  const mailer = options.smtp && new SmtpMailer(options.smtp);
  mailer?.register(outbox.pump);
  return {
    engine,
    agentDesk,
    ticketEvents,
    customers,
    understanding,
    support,
    stores,
    delivery,
    outbox,
    curation: knowledge.curation,
    incidents,
    async start() {
      outbox.start();
    },
    async stop() {
      knowledge.stop();
      await outbox.stop();
      mailer?.close();
    },
  };
}
