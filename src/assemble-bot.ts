import { SmtpMailer, type SmtpSettings } from './channels/email/smtp-mailer.ts';
import type { Config } from './config/config.ts';
import { type Clock, systemClock } from './core/clock.ts';
import { DeliveryRouter } from './core/delivery.ts';
import { Engine } from './core/engine.ts';
import { ValidationFailedError, type ValidationProblem } from './core/errors.ts';
import { type Logger, silentLogger } from './core/logger.ts';
import type { MatchThresholds } from './core/match.ts';
import {
  createOutboxDelivery,
  type OutboxDelivery,
  type OutboxDeliveryOptions,
} from './delivery/outbox-delivery.ts';
import { AgentDesk } from './handoff/agent-desk.ts';
import {
  type CustomersConfig,
  generalCustomersConfig,
  loadCustomersConfig,
} from './handoff/customers-config.ts';
import { ServiceCatalogue } from './handoff/service-catalogue.ts';
import { loadSupportConfig, type SupportConfig } from './handoff/support-config.ts';
import { IncidentDesk } from './incidents/incident-desk.ts';
import { IncidentTicketLinks } from './incidents/incident-ticket-links.ts';
import type { KnowledgeCuration } from './knowledge/knowledge-curation.ts';
import { startKnowledgeCuration } from './knowledge/start-knowledge-curation.ts';
import type { Stores } from './store/ports.ts';
import type { IndexCache } from './understanding/index-cache.ts';
import { Understanding, type UnderstandingSources } from './understanding/understanding.ts';

/**
 * The files a bot is made of: the FAQ, the intents, config/support.yaml and config/customers.yaml
 * (without CUSTOMERS_CONFIG everyone is served the general contract).
 */
export type BotFiles = Pick<Config, 'KNOWLEDGE_DIR' | 'INTENTS_DIR' | 'SUPPORT_CONFIG'> &
  Partial<Pick<Config, 'CUSTOMERS_CONFIG'>>;

/**
 * Loads knowledge, intents and the support config together so a broken start-up lists every
 * problem of every file at once, not just the first file's; then builds the matcher's index (or
 * restores it from `indexCache`).
 */
export async function loadEverything(
  files: BotFiles,
  options: { indexCache?: IndexCache | undefined } = {},
): Promise<{ understanding: Understanding; support: SupportConfig; customers: CustomersConfig }> {
  const { sources, support, customers } = await checkBotFiles(files);
  const understanding = await Understanding.build(sources, { cache: options.indexCache });
  return { understanding, support, customers };
}

/** The bot's files loaded and checked, every problem of every file listed at once; no index built. */
export async function checkBotFiles(
  files: BotFiles,
): Promise<{ sources: UnderstandingSources; support: SupportConfig; customers: CustomersConfig }> {
  const [sources, support] = await Promise.allSettled([
    Understanding.loadSources({ knowledgeDir: files.KNOWLEDGE_DIR, intentsDir: files.INTENTS_DIR }),
    loadSupportConfig(files.SUPPORT_CONFIG),
  ]);
  // The customers' queues are checked against support.yaml's, when that one is readable.
  const customers = await settle(
    files.CUSTOMERS_CONFIG
      ? loadCustomersConfig(
          files.CUSTOMERS_CONFIG,
          support.status === 'fulfilled' ? support.value : undefined,
        )
      : Promise.resolve(generalCustomersConfig()),
  );
  const problems: ValidationProblem[] = [];
  for (const result of [sources, support, customers]) {
    if (result.status === 'fulfilled') continue;
    if (result.reason instanceof ValidationFailedError) problems.push(...result.reason.problems);
    else throw result.reason;
  }
  if (sources.status === 'fulfilled' && customers.status === 'fulfilled') {
    const source = files.CUSTOMERS_CONFIG ?? 'config/customers.yaml';
    problems.push(...unknownAnswerEntries(customers.value, sources.value, source));
  }
  if (
    problems.length > 0 ||
    sources.status === 'rejected' ||
    support.status === 'rejected' ||
    customers.status === 'rejected'
  ) {
    throw new ValidationFailedError('The bot cannot start', problems);
  }
  return { sources: sources.value, support: support.value, customers: customers.value };
}

/** customers.yaml's `answers` name FAQ entries: each must exist in the knowledge. */
function unknownAnswerEntries(
  customers: CustomersConfig,
  sources: UnderstandingSources,
  source: string,
): ValidationProblem[] {
  const ids = new Set(sources.entries.map((e) => e.id));
  return Object.entries(customers.answers).flatMap(([kind, entries]) =>
    entries.flatMap((id, index) =>
      ids.has(id) ? [] : [{ source, field: `answers.${kind}.${index}`, message: `no FAQ entry "${id}"` }],
    ),
  );
}

async function settle<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  const [result] = await Promise.allSettled([promise]);
  // allSettled of one promise always yields one result.
  return result as PromiseSettledResult<T>;
}

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
  const engine = new Engine({
    matcher: understanding,
    knowledge: understanding,
    stores,
    support,
    customers: options.customers,
    thresholds: options.thresholds,
    delivery: outbox.replies,
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
    ticketEvents: engine.ticketEvents,
    locks: engine.locks,
    customers: engine.customers,
    mailContacts: options.smtp !== undefined,
    log,
  });
  const mailer = options.smtp && new SmtpMailer(options.smtp);
  mailer?.register(outbox.pump);
  return {
    engine,
    agentDesk,
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
