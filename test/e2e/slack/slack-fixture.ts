import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { AccountDirectory } from '../../../src/admin/accounts/account-directory.ts';
import { type SlackChannel, startSlackChannel } from '../../../src/channels/slack/slack-channel.ts';
import { signSlackRequest } from '../../../src/channels/slack/slack-signature.ts';
import { AttachmentLinks } from '../../../src/channels/web/attachment-links.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { HttpServer } from '../../../src/http/http-server.ts';
import { createLocalBot, type LocalBot } from '../../../src/local-bot.ts';
import { AttachmentFiles } from '../../../src/store/attachment-files.ts';
import { shippedThresholds } from '../../support/shipped-thresholds.ts';
import { SlackApiStandIn } from '../../support/slack-api-stand-in.ts';

export const SIGNING_SECRET = 'e2e-signing-secret-0123456789abcdef';
export const TEAM = 'T0SUPPORT';
export const ADMIN = 'UADMIN1';
export const CUSTOMER = 'UCUSTOMER1';
export const AGENT = 'UAGENT1';
export const AGENT_CHANNEL = 'CAGENTS';
export const NETWORK_CHANNEL = 'CNETWORK';
export const THIRD_LEVEL_CHANNEL = 'CLEVEL3';
export const DM = 'DCUSTOMER1';

/** A modal the bot opened, as Slack got it (the fields the tests read). */
export interface OpenedView {
  callback_id: string;
  private_metadata: string;
  blocks: {
    type: string;
    block_id?: string;
    element?: { initial_value?: string; initial_option?: { value: string }; options?: { value: string }[] };
  }[];
}

export interface SlackResponse {
  status: number;
  text: string;
  json: () => unknown;
}

/**
 * One fixture for the enclosing describe block: started before its tests, closed after them;
 * each test starts with the bot idle and the recorded Slack calls cleared.
 */
export function useSlackFixture(
  setup?: (fx: SlackFixture) => void,
  options: { customersConfig?: () => string } = {},
): SlackFixture {
  const fx = new SlackFixture(options);
  beforeAll(async () => {
    await fx.start();
    setup?.(fx);
  });
  afterAll(() => fx.close());
  beforeEach(async () => {
    await fx.settle();
    fx.slack.clear();
  });
  return fx;
}

/**
 * The real bot (engine, agent desk, understanding with the default knowledge, embedded stores)
 * with the real Bolt app on the bot's real HTTP server, talking to a local stand-in for Slack.
 * Time is a manual clock; waiting (pacing, Retry-After) moves it instead of sleeping.
 */
export class SlackFixture {
  readonly slack = new SlackApiStandIn({ teamId: TEAM });
  readonly clock = new ManualClock();
  /** Every wait the sender asked for, in ms. */
  readonly waits: number[] = [];
  bot!: LocalBot;
  server!: HttpServer;
  channel!: SlackChannel;

  dataDir = '';
  /** Files customers share, kept in the data directory (at most 5,000 bytes, PNG and text). */
  attachments!: AttachmentFiles;
  private seq = 0;

  /** `customersConfig`: the path of a customers.yaml, asked for at start. */
  constructor(private readonly options: { customersConfig?: () => string } = {}) {}

  async start(): Promise<this> {
    await this.slack.start();
    this.slack.addUser(CUSTOMER, 'Max Muster', 'de-DE');
    this.slack.addUser(AGENT, 'Erika Agent', 'de-DE');
    this.slack.addUser(ADMIN, 'Ada Admin', 'en-US');
    this.dataDir = await mkdtemp(join(tmpdir(), 'support-bot-slack-'));
    this.attachments = new AttachmentFiles(
      join(this.dataDir, 'attachments'),
      { maxBytes: 5_000, types: new Set(['image/png', 'text/plain']) },
      this.clock,
    );
    this.bot = await createLocalBot({
      knowledgeDir: 'knowledge',
      intentsDir: 'intents',
      supportConfig: 'config/support.yaml',
      customersConfig: this.options.customersConfig?.(),
      thresholds: shippedThresholds(),
      clock: this.clock,
    });
    this.server = new HttpServer({ port: 0, stopGraceMs: 1_000 });
    const channel = await startSlackChannel({
      config: {
        SLACK_BOT_TOKEN: 'xoxb-e2e-token',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_APP_TOKEN: undefined,
        SLACK_SOCKET_MODE: false,
        SLACK_API_URL: this.slack.apiUrl,
        SLACK_ADMIN_USERS: ADMIN,
        SLACK_AGENT_CHANNELS: `general=${AGENT_CHANNEL},network=${NETWORK_CHANNEL},level3=${THIRD_LEVEL_CHANNEL}`,
      },
      engine: this.bot.engine,
      agentDesk: this.bot.agentDesk,
      accounts: new AccountDirectory(this.bot.stores, this.clock),
      stores: this.bot.stores,
      understanding: this.bot.understanding,
      curation: this.bot.curation,
      support: this.bot.support,
      server: this.server,
      delivery: this.bot.delivery,
      outbox: this.bot.outbox.replies,
      inbox: this.bot.outbox.inbox,
      ticketEvents: this.bot.ticketEvents,
      attachments: {
        saver: this.attachments,
        urls: new AttachmentLinks(this.attachments, Buffer.alloc(32, 1), () => this.server.url, this.clock),
      },
      clock: this.clock,
      sleep: async (ms) => {
        this.waits.push(ms);
        this.clock.advance(ms);
      },
    });
    if (!channel) throw new Error('slack did not start');
    this.channel = channel;
    await this.server.start();
    return this;
  }

  /** Stops what was started (also after a failed start). */
  async close(): Promise<void> {
    await this.channel?.stop();
    await this.server?.stop();
    await this.bot?.close();
    await this.slack.stop();
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
  }

  /** Waits until every request so far is processed and its messages are sent (through the outbox). */
  async settle(): Promise<void> {
    await this.channel.idle();
    await this.bot.outbox.idle();
    await this.channel.idle();
  }

  nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${this.seq}`;
  }

  nextTs(): string {
    this.seq += 1;
    return `${Math.floor(this.clock.now() / 1000)}.${String(this.seq).padStart(6, '0')}`;
  }

  /** A request as Slack sends it: signed with the secret and the current (manual) time. */
  async post(
    body: string,
    contentType: string,
    options: { timestamp?: number; signature?: string; headers?: Record<string, string> } = {},
  ): Promise<SlackResponse> {
    const timestamp = String(options.timestamp ?? Math.floor(this.clock.now() / 1000));
    const signature = options.signature ?? signSlackRequest(SIGNING_SECRET, timestamp, body);
    const response = await fetch(`${this.server.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': signature,
        ...options.headers,
      },
      body,
    });
    const text = await response.text();
    return { status: response.status, text, json: () => JSON.parse(text) };
  }

  /** An Events API callback around `event`. */
  eventBody(event: Record<string, unknown>, eventId = this.nextId('Ev')): string {
    return JSON.stringify({
      token: 'legacy',
      team_id: TEAM,
      api_app_id: 'A0SUPPORT',
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(this.clock.now() / 1000),
      event,
    });
  }

  event(
    event: Record<string, unknown>,
    options: { eventId?: string; headers?: Record<string, string> } = {},
  ) {
    return this.post(this.eventBody(event, options.eventId), 'application/json', {
      headers: options.headers,
    });
  }

  /** A DM from a customer; returns the message ts. */
  async dm(text: string, user = CUSTOMER, channel = DM): Promise<string> {
    const ts = this.nextTs();
    const res = await this.event({
      type: 'message',
      channel_type: 'im',
      channel,
      user,
      text,
      ts,
      team: TEAM,
    });
    if (res.status !== 200) throw new Error(`event refused: ${res.status}`);
    return ts;
  }

  /** Interactivity (block actions, shortcuts, view submissions): `payload=<json>` form posts. */
  interaction(payload: Record<string, unknown>) {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.post(body, 'application/x-www-form-urlencoded');
  }

  /** The fields every interaction payload carries: team, user, app and a fresh trigger id. */
  private interactionBy(user: string) {
    return {
      team: { id: TEAM, domain: 'support' },
      user: { id: user, username: user.toLowerCase(), team_id: TEAM },
      api_app_id: 'A0SUPPORT',
      token: 'legacy',
      trigger_id: this.nextId('trigger.'),
    };
  }

  command(command: string, text: string, user = CUSTOMER, channel = 'CGENERAL') {
    const body = new URLSearchParams({
      token: 'legacy',
      team_id: TEAM,
      team_domain: 'support',
      channel_id: channel,
      channel_name: 'general',
      user_id: user,
      user_name: user.toLowerCase(),
      command,
      text,
      api_app_id: 'A0SUPPORT',
      response_url: this.slack.responseUrl(),
      trigger_id: this.nextId('trigger.'),
    }).toString();
    return this.post(body, 'application/x-www-form-urlencoded');
  }

  /** A click on a button of a message the bot posted (as the stand-in recorded it). */
  click(
    message: { channel: string; ts: string; blocks: unknown[]; text?: string; thread_ts?: string },
    actionId: string,
    value: string,
    user = CUSTOMER,
    type = 'button',
  ) {
    return this.interaction({
      type: 'block_actions',
      ...this.interactionBy(user),
      container: {
        type: 'message',
        message_ts: message.ts,
        channel_id: message.channel,
        is_ephemeral: false,
        ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
      },
      channel: { id: message.channel, name: 'x' },
      message: {
        type: 'message',
        ts: message.ts,
        text: message.text ?? '',
        blocks: message.blocks,
        ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
      },
      response_url: this.slack.responseUrl(),
      actions: [
        {
          type,
          action_id: actionId,
          block_id: 'b',
          value,
          action_ts: this.nextTs(),
          text: { type: 'plain_text', text: 'x' },
        },
      ],
    });
  }

  /** A modal submission with `values` as block_id → value (selects given as { option }). */
  submitView(
    view: { callback_id: string; private_metadata?: string },
    values: Record<string, string | { option: string }>,
    user = CUSTOMER,
  ) {
    const state: Record<string, Record<string, unknown>> = {};
    for (const [block, value] of Object.entries(values)) {
      state[block] = {
        value:
          typeof value === 'string'
            ? { type: 'plain_text_input', value }
            : {
                type: 'static_select',
                selected_option: { value: value.option, text: { type: 'plain_text', text: value.option } },
              },
      };
    }
    const id = this.nextId('V');
    return this.interaction({
      type: 'view_submission',
      ...this.interactionBy(user),
      view: {
        id,
        hash: `${id}-hash`,
        type: 'modal',
        team_id: TEAM,
        callback_id: view.callback_id,
        private_metadata: view.private_metadata ?? '',
        state: { values: state },
        blocks: [],
      },
    });
  }

  /** The modal the bot opened last (views.open). */
  lastOpenedView(): OpenedView {
    const view = this.slack.callsTo('views.open').at(-1)?.args.view;
    if (!view) throw new Error('no modal was opened');
    return view as OpenedView;
  }

  /** Messages the bot posted (successfully) to a channel, optionally in a thread. */
  posted(
    channel: string,
    threadTs?: string,
  ): { channel: string; ts: string; text: string; blocks: unknown[]; thread_ts?: string }[] {
    return this.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === channel && (threadTs === undefined || c.args.thread_ts === threadTs))
      .map((c) => {
        return {
          channel,
          ts: String(c.response?.ts ?? ''),
          text: String(c.args.text ?? ''),
          blocks: (c.args.blocks as unknown[]) ?? [],
          ...(typeof c.args.thread_ts === 'string' ? { thread_ts: c.args.thread_ts } : {}),
        };
      });
  }
}
