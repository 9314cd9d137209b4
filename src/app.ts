import { AccountDirectory } from './admin/accounts/account-directory.ts';
import { auditedDesk } from './admin/audited-desk.ts';
import { mountAdminConsole } from './admin/mount-admin-console.ts';
import { MatchSettings } from './admin/tuning/match-settings.ts';
import { assembleBot } from './assemble-bot.ts';
import { attachSentenceEncoderAtStart } from './attach-sentence-encoder.ts';
import { loadEverything } from './bot-files/load-bot-files.ts';
import { startSlackChannel } from './channels/slack/slack-channel.ts';
import { startTeamsChannel } from './channels/teams/start-teams-channel.ts';
import { AttachmentLinks } from './channels/web/attachment-links.ts';
import { startWebChannel } from './channels/web/start-web-channel.ts';
import { HelpdeskWebhook } from './channels/webhook/helpdesk-webhook.ts';
import type { Config } from './config/config.ts';
import { readWebhookEndpoints } from './config/webhook-endpoints.ts';
import type { Channel } from './core/channel.ts';
import type { Clock } from './core/clock.ts';
import { systemClock } from './core/clock.ts';
import type { Engine } from './core/engine.ts';
import type { Logger } from './core/logger.ts';
import type { Stores } from './core/ports.ts';
import type { AgentDesk } from './handoff/agent-desk.ts';
import { SlaEscalation } from './handoff/sla-escalation.ts';
import { SlaWatcher } from './handoff/sla-watcher.ts';
import { DAY_MS, TicketRetention } from './handoff/ticket-retention.ts';
import { HttpServer } from './http/http-server.ts';
import { AnnouncementSchedule } from './incidents/announcement-schedule.ts';
import { Metrics } from './ops/metrics.ts';
import { type AttachmentFiles, attachmentFilesFor } from './store/attachment-files.ts';
import { createStores } from './store/create-stores.ts';
import { storeDefaults } from './store/store-options.ts';
import { IndexCache, indexCacheDir } from './understanding/index-cache.ts';
import type { Understanding } from './understanding/understanding.ts';

/** True when `work` finished within `ms`. */
async function withTimeout(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const result = await Promise.race([work.then(() => true as const), late]);
  clearTimeout(timer);
  return result;
}

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

/** Customers' files beside the data (or in ATTACHMENTS_DIR), and the signed links agents open them with. */
async function openAttachments(
  config: Config,
  baseUrl: () => string,
  clock: Clock,
): Promise<{ files: AttachmentFiles; links: AttachmentLinks }> {
  const files = attachmentFilesFor(config, clock);
  return { files, links: new AttachmentLinks(files, await files.linkKey(), baseUrl, clock) };
}

async function openStores(config: Config, clock: Clock | undefined): Promise<Stores> {
  // REDIS_URL: everything in Redis, with a local spool in DATA_DIR while Redis is away.
  return createStores({
    redisUrl: config.REDIS_URL,
    redisPrefix: config.REDIS_PREFIX,
    dataDir: config.DATA_DIR,
    clock,
    // An idle conversation (state and transcript) is kept no longer than the retention time.
    conversationTtlMs: Math.min(storeDefaults.conversationTtlMs, config.RETENTION_DAYS * DAY_MS),
  });
}

/** Builds and starts the whole bot from parsed config: stores, engine, channels, one HTTP server. */
export async function startBot(
  config: Config,
  log: Logger,
  options: { clock?: Clock } = {},
): Promise<RunningBot> {
  // The built index is kept in DATA_DIR: a start with unchanged knowledge skips the training.
  const indexCache = new IndexCache({ dir: indexCacheDir(config.DATA_DIR), log });
  const { understanding, support, customers } = await loadEverything(config, { indexCache });
  // Loaded while the stores open and the channels are set up; awaited before the bot starts.
  const attachingEncoder =
    config.SENTENCE_ENCODER === 'on'
      ? attachSentenceEncoderAtStart(understanding, {
          dataDir: config.DATA_DIR,
          redis: config.REDIS_URL ? { url: config.REDIS_URL, prefix: config.REDIS_PREFIX } : undefined,
          log,
        })
      : undefined;
  // Should a step before that await fail, its error is the one start-up reports.
  attachingEncoder?.catch(() => undefined);
  const stores = await openStores(config, options.clock);
  // MATCH_THRESHOLD and MATCH_MARGIN, until a curator sets others (in every process at once).
  const matchSettings = new MatchSettings(
    { threshold: config.MATCH_THRESHOLD, margin: config.MATCH_MARGIN },
    stores.settings,
    log,
  );
  await matchSettings.start();
  const bot = await assembleBot({
    understanding,
    support,
    customers,
    stores,
    thresholds: matchSettings,
    knowledgeDir: config.KNOWLEDGE_DIR,
    clock: options.clock,
    log,
    smtp: config.SMTP_URL && config.SMTP_FROM ? { url: config.SMTP_URL, from: config.SMTP_FROM } : undefined,
  });
  const { engine, agentDesk, delivery, curation } = bot;
  // What agents do in the console and in Slack goes into the audit log.
  const desk = auditedDesk(agentDesk, stores, options.clock ?? systemClock);

  // Reminders before and at an SLA breach; each fires once per ticket, also with several processes.
  // The contracts' escalation path at a breach: an outbox step, carried out once by any process.
  const escalation = new SlaEscalation({ stores, desk, customers: bot.customers, log });
  escalation.register(bot.outbox.pump);
  const slaWatcher = new SlaWatcher({
    stores,
    support,
    customers: bot.customers,
    escalation,
    ticketEvents: bot.ticketEvents,
    clock: options.clock,
    log,
  });

  const server = new HttpServer({
    host: config.HOST,
    port: config.PORT,
    log,
    metrics: new Metrics({ processMetrics: true }),
  });
  server.addReadinessCheck({ name: 'store', check: () => stores.health() });
  const attachments = await openAttachments(
    config,
    () => config.PUBLIC_URL ?? server.url,
    options.clock ?? systemClock,
  );
  const webAndConsole = {
    server,
    attachments,
    engine,
    ticketEvents: bot.ticketEvents,
    agentDesk: desk,
    stores,
    understanding,
    support,
    curation,
    matchSettings,
    delivery,
    adminToken: config.ADMIN_TOKEN,
    integrationToken: config.INTEGRATION_TOKEN,
    customers: bot.customers,
    incidents: bot.incidents,
    identitySecret: config.WEB_IDENTITY_SECRET,
    webLimits: {
      newConversationsPerMinute: config.WEB_NEW_CONVERSATIONS_PER_MINUTE,
      messagesPerMinute: config.WEB_MESSAGES_PER_MINUTE,
      trustProxy: config.TRUST_PROXY,
    },
    clock: options.clock,
    log,
  };
  const web = await startWebChannel(webAndConsole);
  mountAdminConsole(webAndConsole);
  // Agents mapped to console accounts act under the account's name in Slack and Teams.
  const accounts = new AccountDirectory(stores, options.clock ?? systemClock);
  // On when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set: HTTP mode on this server, or Socket Mode.
  const slack = await startSlackChannel({
    config,
    engine,
    agentDesk: desk,
    accounts,
    stores,
    understanding,
    curation,
    support,
    server,
    delivery,
    outbox: bot.outbox.replies,
    inbox: bot.outbox.inbox,
    ticketEvents: bot.ticketEvents,
    attachments: { saver: attachments.files, urls: attachments.links },
    clock: options.clock,
    log,
  });
  // Off (401) without credentials, unless TEAMS_ALLOW_UNAUTHENTICATED for local development.
  const teams = await startTeamsChannel({
    config,
    engine,
    agentDesk: desk,
    accounts,
    curation,
    ticketEvents: bot.ticketEvents,
    stores,
    server,
    delivery,
    outbox: bot.outbox.replies,
    support,
    attachmentUrls: attachments.links,
    attachmentSaver: attachments.files,
    clock: options.clock,
    log,
  });
  // Ticket events to the helpdesk(s) of WEBHOOK_URL, through the outbox (signed, retried, in order).
  const webhooks = readWebhookEndpoints(config);
  for (const endpoint of webhooks.ok ? webhooks.endpoints : []) {
    bot.outbox.ticketEvents.subscribe(
      new HelpdeskWebhook(endpoint, options.clock ?? systemClock),
      endpoint.name,
    );
  }
  const sentenceEncoder = await attachingEncoder;
  if (sentenceEncoder) {
    server.addReadinessCheck({ name: 'sentence-encoder', check: () => sentenceEncoder.status() });
  }
  await bot.start();
  slaWatcher.start();
  // Closed tickets lose their personal data after RETENTION_DAYS (hourly sweep, every process).
  const retention = new TicketRetention({
    stores,
    clock: options.clock ?? systemClock,
    retentionDays: config.RETENTION_DAYS,
    attachments: attachments.files,
    log,
  });
  retention.start();
  // Maintenance windows end at their end: their linked customers are told without an admin.
  const schedule = new AnnouncementSchedule(bot.incidents, options.clock ?? systemClock, log);
  schedule.start();
  const channels: Channel[] = [web, ...(slack ? [slack] : []), teams];
  const { url, port } = await server.start();
  log.info('support bot started', {
    url,
    entries: understanding.knowledge.all().length,
    store: config.REDIS_URL ? 'redis' : 'embedded',
    slack: 'off',
    ...Object.fromEntries(channels.map((channel) => [channel.kind, channel.mode])),
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
      // Graceful: no new turns here from now on, what is under way finishes (bounded), then close.
      server.beginDrain();
      slaWatcher.stop();
      retention.stop();
      schedule.stop();
      matchSettings.stop();
      // Long polls of the web chat end now (the page asks again, elsewhere), so they do not hold the drain.
      await web.stop();
      const until = Date.now() + config.DRAIN_TIMEOUT_MS;
      const left = () => Math.max(0, until - Date.now());
      const drained =
        (await server.idle(left())) &&
        (await withTimeout(Promise.all(channels.map((channel) => channel.idle())), left())) &&
        // Events acknowledged just now wait in the outbox: handled here before the pump stops.
        (await withTimeout(workOffDue(bot.outbox.pump), left())) &&
        (await withTimeout(bot.stop(), left()));
      if (!drained)
        log.warn('drain time over; stopping with work under way', {
          drainTimeoutMs: config.DRAIN_TIMEOUT_MS,
        });
      for (const channel of channels) if (channel.kind !== 'web') await channel.stop();
      await server.stop();
      // An edit's index trained afresh must not write into DATA_DIR after the stop. Abandoned, it
      // ends within a step; the bound is for an encoder worker that no longer answers.
      await withTimeout(understanding.stopRebuilding(), Math.max(left(), 1_000));
      await stores.close();
      await sentenceEncoder?.close();
    },
  };
}

/** Delivers what is due until nothing is (items waiting for a later retry stay for later). */
async function workOffDue(pump: { drain(): Promise<number> }): Promise<void> {
  while ((await pump.drain()) > 0) {}
}
