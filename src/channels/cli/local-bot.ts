import type { Clock } from '../../core/clock.ts';
import { DeliveryRouter } from '../../core/delivery.ts';
import { Engine } from '../../core/engine.ts';
import type { MatchThresholds } from '../../core/match.ts';
import { AgentDesk } from '../../handoff/agent-desk.ts';
import { loadSupportConfig, type SupportConfig } from '../../handoff/support-config.ts';
import { startKnowledgeCuration } from '../../knowledge/start-knowledge-curation.ts';
import { type Logger, silentLogger } from '../../ops/logger.ts';
import { createEmbeddedStores } from '../../store/embedded/embedded-stores.ts';
import type { Stores } from '../../store/ports.ts';
import { Understanding } from '../../understanding/understanding.ts';

export interface LocalBotOptions {
  knowledgeDir: string;
  intentsDir: string;
  /** Path of config/support.yaml. */
  supportConfig: string;
  thresholds: MatchThresholds;
  /** Embedded stores keep their journal here; in memory without it. */
  dataDir?: string | undefined;
  clock?: Clock | undefined;
  log?: Logger | undefined;
}

/** One bot, assembled from its real parts with the embedded stores. */
export interface LocalBot {
  engine: Engine;
  agentDesk: AgentDesk;
  stores: Stores;
  understanding: Understanding;
  delivery: DeliveryRouter;
  support: SupportConfig;
  close(): Promise<void>;
}

/**
 * Builds the bot for the terminal chat: the same Engine, AgentDesk, Understanding and FAQ
 * curation the server runs (see app.ts), on the embedded stores, without an HTTP server. The engine and the desk share ticket
 * events and conversation locks, so an agent action never interleaves with a customer turn.
 */
export async function createLocalBot(options: LocalBotOptions): Promise<LocalBot> {
  const log = options.log ?? silentLogger;
  const [understanding, support] = await Promise.all([
    Understanding.load({ knowledgeDir: options.knowledgeDir, intentsDir: options.intentsDir }),
    loadSupportConfig(options.supportConfig),
  ]);
  const stores = await createEmbeddedStores({ dataDir: options.dataDir, clock: options.clock });
  // FAQ edits admins saved in the console apply here too; a terminal session needs no polling.
  const knowledge = await startKnowledgeCuration({
    understanding,
    stores,
    log,
    clock: options.clock,
    pollMs: 0,
  });
  const delivery = new DeliveryRouter({ clock: options.clock, log });
  const engine = new Engine({
    matcher: understanding,
    knowledge: understanding,
    stores,
    support,
    thresholds: options.thresholds,
    delivery,
    clock: options.clock,
    log,
  });
  const agentDesk = new AgentDesk({
    stores,
    support,
    delivery,
    clock: options.clock,
    ticketEvents: engine.ticketEvents,
    locks: engine.locks,
    log,
  });
  await delivery.start();
  return {
    engine,
    agentDesk,
    stores,
    understanding,
    delivery,
    support,
    close: async () => {
      knowledge.stop();
      delivery.stop();
      await stores.close();
    },
  };
}
