import { startSlackChannel } from './channels/slack/slack-channel.ts';
import { startTeamsChannel } from './channels/teams/start-teams-channel.ts';
import { HttpServer } from './channels/web/http-server.ts';
import { startWebChannel } from './channels/web/start-web-channel.ts';
import type { Config } from './config/config.ts';
import type { Clock } from './core/clock.ts';
import { DeliveryRouter } from './core/delivery.ts';
import { Engine } from './core/engine.ts';
import { ValidationFailedError, type ValidationProblem } from './core/errors.ts';
import { AgentDesk } from './handoff/agent-desk.ts';
import { createDurableHandoff } from './handoff/durable/durable-handoff.ts';
import { SlaWatcher } from './handoff/sla-watcher.ts';
import { loadSupportConfig, type SupportConfig } from './handoff/support-config.ts';
import { startKnowledgeCuration } from './knowledge/start-knowledge-curation.ts';
import type { Logger } from './ops/logger.ts';
import { createStores } from './store/create-stores.ts';
import type { Stores } from './store/ports.ts';
import { Understanding } from './understanding/understanding.ts';

export interface RunningBot {
  url: string;
  port: number;
  engine: Engine;
  agentDesk: AgentDesk;
  understanding: Understanding;
  stores: Stores;
  server: HttpServer;
  stop(): Promise<void>;
}

/**
 * Loads knowledge, intents and the support config together so a broken start-up lists every
 * problem of every file at once, not just the first file's.
 */
export async function loadEverything(
  config: Config,
): Promise<{ understanding: Understanding; support: SupportConfig }> {
  const [understanding, support] = await Promise.allSettled([
    Understanding.load({ knowledgeDir: config.KNOWLEDGE_DIR, intentsDir: config.INTENTS_DIR }),
    loadSupportConfig(config.SUPPORT_CONFIG),
  ]);
  const problems: ValidationProblem[] = [];
  for (const result of [understanding, support]) {
    if (result.status === 'fulfilled') continue;
    if (result.reason instanceof ValidationFailedError) problems.push(...result.reason.problems);
    else throw result.reason;
  }
  if (understanding.status === 'rejected' || support.status === 'rejected') {
    throw new ValidationFailedError('The bot cannot start', problems);
  }
  return { understanding: understanding.value, support: support.value };
}

async function openStores(config: Config, clock: Clock | undefined): Promise<Stores> {
  // REDIS_URL: everything in Redis, with a local spool in DATA_DIR while Redis is away.
  return createStores({
    redisUrl: config.REDIS_URL,
    redisPrefix: config.REDIS_PREFIX,
    dataDir: config.DATA_DIR,
    clock,
  });
}

/** Builds and starts the whole bot from parsed config: stores, engine, channels, one HTTP server. */
export async function startBot(
  config: Config,
  log: Logger,
  options: { clock?: Clock } = {},
): Promise<RunningBot> {
  const { understanding, support } = await loadEverything(config);
  const stores = await openStores(config, options.clock);
  // Admin edits on top of the files, kept live in every process; also reloads changed files.
  const knowledge = await startKnowledgeCuration({
    understanding,
    stores,
    knowledgeDir: config.KNOWLEDGE_DIR,
    log,
    clock: options.clock,
  });
  const delivery = new DeliveryRouter({ clock: options.clock, log });
  // Ticket events and proactive replies go through the stores' durable event log: processed by
  // whichever process is alive, each effect (card, message) once.
  const handoff = createDurableHandoff({ stores, deliverTo: delivery, log });
  const engine = new Engine({
    matcher: understanding,
    knowledge: understanding,
    stores,
    support,
    thresholds: { threshold: config.MATCH_THRESHOLD, margin: config.MATCH_MARGIN },
    delivery: handoff.delivery,
    ticketEvents: handoff.ticketEvents,
    clock: options.clock,
    log,
  });
  const agentDesk = new AgentDesk({
    stores,
    support,
    delivery: handoff.delivery,
    clock: options.clock,
    ticketEvents: engine.ticketEvents,
    locks: engine.locks,
    log,
  });

  // Reminders before and at an SLA breach; each fires once per ticket, also with several processes.
  const slaWatcher = new SlaWatcher({
    stores,
    support,
    ticketEvents: engine.ticketEvents,
    clock: options.clock,
    log,
  });

  const server = new HttpServer({ host: config.HOST, port: config.PORT, log });
  server.addReadinessCheck({ name: 'store', check: () => stores.health() });
  const web = await startWebChannel({
    server,
    engine,
    agentDesk,
    stores,
    understanding,
    curation: knowledge.curation,
    delivery,
    adminToken: config.ADMIN_TOKEN,
    dataDir: config.REDIS_URL ? undefined : config.DATA_DIR,
    clock: options.clock,
    log,
  });
  // On when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set: HTTP mode on this server, or Socket Mode.
  const slack = await startSlackChannel({
    config,
    engine,
    agentDesk,
    stores,
    understanding,
    curation: knowledge.curation,
    support,
    server,
    delivery,
    ticketEvents: engine.ticketEvents,
    clock: options.clock,
    log,
  });
  // Off (401) without credentials, unless TEAMS_ALLOW_UNAUTHENTICATED for local development.
  const teams = await startTeamsChannel({
    config,
    engine,
    stores,
    server,
    delivery,
    support,
    clock: options.clock,
    log,
  });
  await delivery.start();
  handoff.start();
  slaWatcher.start();
  const { url, port } = await server.start();
  log.info('support bot started', {
    url,
    entries: understanding.knowledge.all().length,
    store: config.REDIS_URL ? 'redis' : 'embedded',
    slack: slack?.mode ?? 'off',
    teams: teams.mode,
  });

  return {
    url,
    port,
    engine,
    agentDesk,
    understanding,
    stores,
    server,
    async stop() {
      knowledge.stop();
      slaWatcher.stop();
      delivery.stop();
      await handoff.stop();
      await slack?.stop();
      await teams.stop();
      await web.stop();
      await server.stop();
      await stores.close();
    },
  };
}
