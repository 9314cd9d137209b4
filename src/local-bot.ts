import { assembleBot } from './assemble-bot.ts';
import { attachSentenceEncoder } from './attach-sentence-encoder.ts';
import { loadEverything } from './bot-files/load-bot-files.ts';
import type { ChatBotOptions } from './channels/cli/chat-command.ts';
import type { Clock } from './core/clock.ts';
import type { DeliveryRouter } from './core/delivery.ts';
import type { Engine } from './core/engine.ts';
import type { Stores } from './core/ports.ts';
import type { TicketEventHub } from './core/ticket-events.ts';
import type { OutboxDelivery } from './delivery/outbox-delivery.ts';
import type { AgentDesk } from './handoff/agent-desk.ts';
import type { CustomerDirectory } from './handoff/customer-directory.ts';
import type { SupportConfig } from './handoff/support-config.ts';
import type { IncidentDesk } from './incidents/incident-desk.ts';
import type { KnowledgeCuration } from './knowledge/knowledge-curation.ts';
import { createEmbeddedStores } from './store/embedded/embedded-stores.ts';
import { IndexCache, indexCacheDir } from './understanding/index-cache.ts';
import type { Understanding } from './understanding/understanding.ts';

/** The terminal chat's settings (the bot's files, thresholds, data directory), and a clock for tests. */
export interface LocalBotOptions extends ChatBotOptions {
  clock?: Clock | undefined;
}

/** One bot, assembled from its real parts with the embedded stores. */
export interface LocalBot {
  engine: Engine;
  agentDesk: AgentDesk;
  /** Every ticket change: the agent channels listen here. */
  ticketEvents: TicketEventHub;
  /** Whom the bot serves: organisations and their contracts. */
  customers: CustomerDirectory;
  stores: Stores;
  understanding: Understanding;
  delivery: DeliveryRouter;
  /** The outbox every customer-visible effect goes through (channels send their turns' replies here). */
  outbox: OutboxDelivery;
  support: SupportConfig;
  /** FAQ edits on top of the files, for the console and Slack's /faq. */
  curation: KnowledgeCuration;
  /** Maintenance windows and incidents. */
  incidents: IncidentDesk;
  close(): Promise<void>;
}

/**
 * Builds the bot for the terminal chat (and the channel tests): the same parts the server runs
 * (see assembleBot: the engine, the agent desk, the one outbox with its pump), on the embedded
 * stores, without an HTTP server.
 */
export async function createLocalBot(options: LocalBotOptions): Promise<LocalBot> {
  const files = {
    KNOWLEDGE_DIR: options.knowledgeDir,
    INTENTS_DIR: options.intentsDir,
    SUPPORT_CONFIG: options.supportConfig,
    CUSTOMERS_CONFIG: options.customersConfig,
    ...options.vectors,
  };
  // With a data directory, the built index is kept there as the server keeps it.
  const indexCache = options.dataDir
    ? new IndexCache({ dir: indexCacheDir(options.dataDir), log: options.log })
    : undefined;
  const { understanding, support, customers } = await loadEverything(files, { indexCache });
  // The phrasings' sentence vectors are kept in the data directory as the server keeps them.
  const encoder = options.sentenceEncoder
    ? await attachSentenceEncoder(understanding, { dataDir: options.dataDir, log: options.log })
    : undefined;
  const stores = await createEmbeddedStores({ dataDir: options.dataDir, clock: options.clock });
  const bot = await assembleBot({
    understanding,
    support,
    customers,
    stores,
    thresholds: options.thresholds,
    // FAQ edits admins saved in the console apply here too; a terminal session needs no polling.
    knowledgePollMs: 0,
    clock: options.clock,
    log: options.log,
  });
  await bot.start();
  return {
    engine: bot.engine,
    agentDesk: bot.agentDesk,
    ticketEvents: bot.ticketEvents,
    customers: bot.customers,
    stores,
    understanding,
    delivery: bot.delivery,
    outbox: bot.outbox,
    support,
    curation: bot.curation,
    incidents: bot.incidents,
    close: async () => {
      await bot.stop();
      await understanding.stopRebuilding();
      await stores.close();
      await encoder?.close();
    },
  };
}
