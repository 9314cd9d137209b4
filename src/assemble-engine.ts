import type { ActiveAnnouncements } from './core/announcement.ts';
import type { Clock } from './core/clock.ts';
import { systemClock } from './core/clock.ts';
import { ConversationLocks } from './core/conversation-locks.ts';
import { Engine } from './core/engine.ts';
import type { KnowledgeLookup } from './core/knowledge-lookup.ts';
import { type Logger, silentLogger } from './core/logger.ts';
import type { Matcher, MatchThresholds } from './core/match.ts';
import type { Stores } from './core/ports.ts';
import { TicketEventHub, type TicketListener } from './core/ticket-events.ts';
import { ContractAnswers } from './handoff/contract-answers.ts';
import { ContractLedger } from './handoff/contract-ledger.ts';
import { CustomerDirectory } from './handoff/customer-directory.ts';
import { type CustomersConfig, generalCustomersConfig } from './handoff/customers-config.ts';
import { Handoff } from './handoff/handoff.ts';
import type { SupportConfig } from './handoff/support-config.ts';
import { TicketFollowUp } from './handoff/ticket-follow-up.ts';
import { TicketReopening } from './handoff/ticket-reopening.ts';
import { IntakeFlow } from './intake/intake-flow.ts';

export interface AssembleEngineOptions {
  /** Understanding: intents + FAQ candidates (src/understanding/understanding.ts). */
  matcher: Matcher;
  /** FAQ entries by id (Understanding implements this too). */
  knowledge: KnowledgeLookup;
  stores: Stores;
  /** config/support.yaml, loaded with loadSupportConfig. */
  support: SupportConfig;
  /** config/customers.yaml: whom the bot serves (default: everyone gets the general contract). */
  customers?: CustomersConfig | undefined;
  thresholds: MatchThresholds;
  clock?: Clock | undefined;
  /** Shared with the AgentDesk and the SlaWatcher; created when absent. */
  ticketEvents?: TicketEventHub | undefined;
  /** Subscribed to the ticket events at once. */
  ticketListeners?: TicketListener[] | undefined;
  log?: Logger | undefined;
  /** How long a turn id is remembered for de-duplication (default 24 h). */
  dedupeTtlMs?: number | undefined;
  /** Maintenance windows and incidents the bot tells customers about (the IncidentDesk). */
  announcements?: ActiveAnnouncements | undefined;
}

/** The engine and the parts of it that the agent side shares. */
export interface AssembledEngine {
  engine: Engine;
  handoff: Handoff;
  /** Whom the bot serves: organisations and their contracts. */
  customers: CustomerDirectory;
  /** Every ticket change, for the AgentDesk, the SLA watcher and the agent channels. */
  ticketEvents: TicketEventHub;
  /** Shared with the AgentDesk so agent actions and customer turns never interleave. */
  locks: ConversationLocks;
}

/**
 * The conversation engine with its collaborators: the intake of config/support.yaml's forms, the
 * hand-off to second-level queues and the contract answers of config/customers.yaml. core declares
 * what it needs of them (IntakePort, HandoffPort, ContractAnswersPort); they are made here.
 */
export function assembleEngine(options: AssembleEngineOptions): AssembledEngine {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;
  const ticketEvents = options.ticketEvents ?? new TicketEventHub(log);
  for (const listener of options.ticketListeners ?? []) ticketEvents.subscribe(listener);
  const locks = new ConversationLocks();
  const customers = new CustomerDirectory(options.customers ?? generalCustomersConfig());
  const { stores, support } = options;
  const handoff = new Handoff({ stores, support, customers, clock, ticketEvents });
  const ledger = new ContractLedger(stores.tickets, customers);
  const reopening = new TicketReopening({ stores, support, ticketEvents, clock });
  const engine = new Engine({
    matcher: options.matcher,
    knowledge: options.knowledge,
    stores,
    intake: new IntakeFlow(support),
    handoff,
    followUp: new TicketFollowUp(handoff, reopening),
    contractAnswers: new ContractAnswers(customers, ledger, support),
    defaultQueue: support.defaultQueue,
    thresholds: options.thresholds,
    clock,
    locks,
    log,
    dedupeTtlMs: options.dedupeTtlMs,
    announcements: options.announcements,
  });
  return { engine, handoff, customers, ticketEvents, locks };
}
