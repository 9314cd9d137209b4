import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountDirectory } from '../../../src/admin/accounts/account-directory.ts';
import {
  startTeamsChannel,
  TEAMS_MESSAGES_PATH,
  type TeamsChannel,
  type TeamsChannelOptions,
} from '../../../src/channels/teams/start-teams-channel.ts';
import type { AttachmentSaver } from '../../../src/core/attachment.ts';
import { systemClock } from '../../../src/core/clock.ts';
import { HttpServer } from '../../../src/http/http-server.ts';
import { createLocalBot, type LocalBot } from '../../../src/local-bot.ts';
import { shippedThresholds } from '../../support/shipped-thresholds.ts';
import { type ConnectorCall, TeamsConnectorStandIn } from '../../support/teams-connector-stand-in.ts';

export interface PostResult {
  status: number;
  body: unknown;
}

export interface TeamsFixture {
  url: string;
  connector: TeamsConnectorStandIn;
  bot: LocalBot;
  teams: TeamsChannel;
  server: HttpServer;
  customer(options?: { name?: string; locale?: string }): TeamsCustomer;
  post(activity: unknown, headers?: Record<string, string>): Promise<PostResult>;
  close(): Promise<void>;
}

/**
 * The real bot (engine, agent desk, embedded stores) with the real botbuilder CloudAdapter on
 * the real HTTP server, in local mode (TEAMS_ALLOW_UNAUTHENTICATED, no credentials), talking to
 * a connector stand-in on 127.0.0.1. Nothing leaves the machine.
 */
export async function startTeamsFixture(
  options: {
    config?: Partial<TeamsChannelOptions['config']>;
    withSupport?: boolean;
    /** TEAMS_AGENT_CHANNELS: agents work in these channels, through the connector stand-in. */
    agentChannels?: string;
    /** Where the files customers send are kept; without it they are not fetched. */
    attachmentSaver?: AttachmentSaver;
  } = {},
): Promise<TeamsFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'support-bot-teams-'));
  const connector = new TeamsConnectorStandIn();
  await connector.start();
  const bot = await createLocalBot({
    knowledgeDir: 'knowledge',
    intentsDir: 'intents',
    supportConfig: 'config/support.yaml',
    thresholds: shippedThresholds(),
    dataDir: join(dataDir, 'stores'),
  });
  const server = new HttpServer({ port: 0, stopGraceMs: 1_000 });
  const agents = options.agentChannels
    ? {
        agentDesk: bot.agentDesk,
        ticketEvents: bot.ticketEvents,
        accounts: new AccountDirectory(bot.stores, systemClock),
        curation: bot.curation,
      }
    : {};
  const teams = await startTeamsChannel({
    config: {
      TEAMS_ALLOW_UNAUTHENTICATED: true,
      ...(options.agentChannels
        ? { TEAMS_AGENT_CHANNELS: options.agentChannels, TEAMS_SERVICE_URL: connector.url }
        : {}),
      ...options.config,
    },
    ...agents,
    engine: bot.engine,
    stores: bot.stores,
    server,
    delivery: bot.delivery,
    outbox: bot.outbox.replies,
    support: options.withSupport === false ? undefined : bot.support,
    retry: { attempts: 3, baseMs: 5 },
    attachmentSaver: options.attachmentSaver,
  });
  const { url } = await server.start();
  const post = postTo(url);
  return {
    url,
    connector,
    bot,
    teams,
    server,
    post,
    customer: (customerOptions = {}) => new TeamsCustomer(post, connector, customerOptions),
    close: async () => {
      await teams.stop();
      await server.stop();
      await bot.close();
      await connector.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Posts activities to the bot's /api/messages the way the Bot Connector does. */
export function postTo(
  baseUrl: string,
): (activity: unknown, headers?: Record<string, string>) => Promise<PostResult> {
  return async (activity, headers = {}) => {
    const response = await fetch(`${baseUrl}${TEAMS_MESSAGES_PATH}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof activity === 'string' ? activity : JSON.stringify(activity),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
}

/** A Teams user in a personal chat with the bot: builds the activities Teams would send. */
export class TeamsCustomer {
  readonly conversationId = `a:1${randomUUID().replace(/-/g, '')}`;
  readonly userId = `29:1${randomUUID().replace(/-/g, '')}`;
  readonly aadObjectId = randomUUID();
  readonly name: string;
  readonly locale: string;
  private sequence = 0;

  constructor(
    private readonly send: (activity: unknown, headers?: Record<string, string>) => Promise<PostResult>,
    private readonly connector: TeamsConnectorStandIn,
    options: { name?: string; locale?: string },
  ) {
    this.name = options.name ?? 'Erika Mustermann';
    this.locale = options.locale ?? 'de-DE';
  }

  /** The engine's conversation id for this chat. */
  get engineConversationId(): string {
    return `teams:${this.conversationId}`;
  }

  activity(fields: Record<string, unknown>): Record<string, unknown> {
    return {
      id: `act-${this.conversationId.slice(-6)}-${++this.sequence}`,
      channelId: 'msteams',
      serviceUrl: this.connector.url,
      timestamp: new Date().toISOString(),
      locale: this.locale,
      from: { id: this.userId, name: this.name, aadObjectId: this.aadObjectId },
      recipient: { id: '28:support-bot', name: 'IT Support' },
      conversation: { id: this.conversationId, conversationType: 'personal', tenantId: 'tenant-1' },
      channelData: { tenant: { id: 'tenant-1' } },
      ...fields,
    };
  }

  say(text: string): Promise<PostResult> {
    return this.send(this.activity({ type: 'message', text, textFormat: 'plain' }));
  }

  /** Action.Execute on a card: the `adaptiveCard/action` invoke Teams sends. */
  execute(replyToId: string, data: Record<string, unknown>, verb = 'sb.action'): Promise<PostResult> {
    return this.send(
      this.activity({
        type: 'invoke',
        name: 'adaptiveCard/action',
        replyToId,
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      }),
    );
  }

  /** Action.Submit on a card: a message whose value is the card's data. */
  submit(replyToId: string, data: Record<string, unknown>): Promise<PostResult> {
    return this.send(this.activity({ type: 'message', replyToId, value: data }));
  }

  /** Teams' own 👍/👎 under a message, with the text of its feedback form. */
  feedback(replyToId: string, reaction: 'like' | 'dislike', feedbackText?: string): Promise<PostResult> {
    return this.send(
      this.activity({
        type: 'invoke',
        name: 'message/submitAction',
        replyToId,
        value: {
          actionName: 'feedback',
          actionValue: { reaction, feedback: JSON.stringify({ feedbackText: feedbackText ?? '' }) },
        },
      }),
    );
  }

  /** Messages the bot sent into this chat so far. */
  messages(): ConnectorCall[] {
    return this.connector.messages(this.conversationId);
  }
}

type Json = Record<string, unknown>;

/** The Adaptive Card in a message the bot sent, if it carries one. */
export function cardOf(call: ConnectorCall | undefined): Json | undefined {
  const attachments = call?.activity.attachments as { contentType: string; content: Json }[] | undefined;
  return attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** Calls `visit` on every object in a card (depth first, parents before children). */
function eachNode(card: unknown, visit: (node: Json) => void): void {
  if (Array.isArray(card)) {
    for (const item of card) eachNode(item, visit);
    return;
  }
  if (typeof card !== 'object' || card === null) return;
  const record = card as Json;
  visit(record);
  for (const value of Object.values(record)) eachNode(value, visit);
}

/** Every Action.Execute in a card, wherever it sits. */
export function executeActions(card: unknown): { title: string; verb: string; data: Json }[] {
  const found: { title: string; verb: string; data: Json }[] = [];
  eachNode(card, (node) => {
    if (node.type === 'Action.Execute') {
      found.push({ title: String(node.title), verb: String(node.verb), data: node.data as Json });
    }
  });
  return found;
}

/** All text a card shows (TextBlocks and facts), for assertions. */
export function cardText(card: unknown): string {
  const parts: string[] = [];
  eachNode(card, (node) => {
    if (node.type === 'TextBlock') parts.push(String(node.text));
    if (node.type === 'FactSet') {
      for (const fact of node.facts as { title: string; value: string }[])
        parts.push(`${fact.title}: ${fact.value}`);
    }
  });
  return parts.join('\n');
}

/** Ids of the inputs in a card. */
export function inputIds(card: unknown): string[] {
  const ids: string[] = [];
  eachNode(card, (node) => {
    if (typeof node.type === 'string' && node.type.startsWith('Input.')) ids.push(String(node.id));
  });
  return ids;
}

/** The one button whose engine action matches. */
export function buttonFor(
  card: unknown,
  match: (action: Json) => boolean,
): { title: string; verb: string; data: Json } | undefined {
  return executeActions(card).find((a) => {
    const action = a.data.sbAction as Json | undefined;
    return action !== undefined && match(action);
  });
}
