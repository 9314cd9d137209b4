import { assembleBot, loadEverything } from '../../assemble-bot.ts';
import type { Clock } from '../../core/clock.ts';
import type { DeliveryRouter } from '../../core/delivery.ts';
import type { Engine } from '../../core/engine.ts';
import type { Logger } from '../../core/logger.ts';
import type { MatchThresholds } from '../../core/match.ts';
import type { OutboxDelivery } from '../../delivery/outbox-delivery.ts';
import type { AgentDesk } from '../../handoff/agent-desk.ts';
import type { SupportConfig } from '../../handoff/support-config.ts';
import type { IncidentDesk } from '../../incidents/incident-desk.ts';
import type { KnowledgeCuration } from '../../knowledge/knowledge-curation.ts';
import { createEmbeddedStores } from '../../store/embedded/embedded-stores.ts';
import type { Stores } from '../../store/ports.ts';
import { IndexCache, indexCacheDir } from '../../understanding/index-cache.ts';
import { loadSentenceEncoder } from '../../understanding/sentence-encoder.ts';
import type { Understanding } from '../../understanding/understanding.ts';

export interface LocalBotOptions {
  knowledgeDir: string;
  intentsDir: string;
  /** Path of config/support.yaml. */
  supportConfig: string;
  /** Path of config/customers.yaml; without it everyone gets the general contract. */
  customersConfig?: string | undefined;
  thresholds: MatchThresholds;
  /** Embedded stores keep their journal here; in memory without it. */
  dataDir?: string | undefined;
  clock?: Clock | undefined;
  log?: Logger | undefined;
  /** SENTENCE_ENCODER=on: English messages are also re-ranked by sentence meaning. */
  sentenceEncoder?: boolean | undefined;
}

/** One bot, assembled from its real parts with the embedded stores. */
export interface LocalBot {
  engine: Engine;
  agentDesk: AgentDesk;
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
  };
  // With a data directory, the built index is kept there as the server keeps it.
  const indexCache = options.dataDir
    ? new IndexCache({ dir: indexCacheDir(options.dataDir), log: options.log })
    : undefined;
  const { understanding, support, customers } = await loadEverything(files, { indexCache });
  if (options.sentenceEncoder) await understanding.useSentenceEncoder(await loadSentenceEncoder());
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
    stores,
    understanding,
    delivery: bot.delivery,
    outbox: bot.outbox,
    support,
    curation: bot.curation,
    incidents: bot.incidents,
    close: async () => {
      await bot.stop();
      await stores.close();
    },
  };
}
