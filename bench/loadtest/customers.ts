import { createSlackApiFetch } from '../../src/channels/slack/slack-api-fetch.ts';
import { signSlackRequest } from '../../src/channels/slack/slack-signature.ts';
import type { Reply } from '../../src/core/reply.ts';
import type { SlackApiStandIn } from '../../test/support/slack-api-stand-in.ts';

export const SIGNING_SECRET = 'loadtest-signing-secret-0123456789';
export const TEAM = 'T0LOAD';

/** Where a request can go: the bot processes behind a load balancer that skips a dead one. */
export interface Balancer {
  /** The process for the next request (round robin over the live ones). */
  pick(avoid?: string): string;
}

export interface Sample {
  at: number;
  /** Request sent → reply visible to the customer. */
  ms: number;
  channel: 'slack' | 'web';
  /** Web only: the conversation's first message (opening it included), or one to an open ticket. */
  web?: 'first' | 'ticket' | undefined;
}

export interface Tally {
  samples: Sample[];
  ackMs: number[];
  lost: number;
  retriedRequests: number;
  /** Why each unanswered web message went unanswered: the last answer it got, by count. */
  unansweredBecause: Record<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The simulated customers share the two cores with the bots: requests on undici's pool cost a
// third of the global fetch's CPU (see the bot's own Slack client).
const leanFetch = createSlackApiFetch();

async function post(url: string, init: RequestInit, timeoutMs: number): Promise<Response | undefined> {
  try {
    return await leanFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    return undefined;
  }
}

let tsCounter = 0;
const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++tsCounter).padStart(6, '0')}`;

/**
 * A Slack customer in a DM: each message is a signed Events API request to one process; Slack's
 * own retries are played when a request fails (another process, X-Slack-Retry-Num). The answer
 * is visible when the stand-in Web API got the bot's post in the customer's DM.
 */
export class SlackCustomer {
  sent = 0;
  /**
   * Messages the bot acknowledged (a 200 within Slack's 3 s, on some attempt). Only those were
   * accepted: Slack gives up on an event after its retries, so one never acknowledged may have no
   * answer, and is not counted lost (nor an answer to it duplicated).
   */
  acked = 0;
  readonly channel: string;
  readonly user: string;

  constructor(
    n: number,
    private readonly slack: SlackApiStandIn,
    private readonly balancer: Balancer,
    private readonly tally: Tally,
    /** Posts the bot makes per message (measured before the run). */
    private readonly repliesPerMessage: number,
  ) {
    this.channel = `DLOAD${n}`;
    this.user = `ULOAD${n}`;
    // Slack knows every member who writes: users.info answers for them, as it does in production.
    slack.addUser(this.user, `Kunde ${n}`, n % 2 ? 'de-DE' : 'en-US');
  }

  async say(text: string, answerTimeoutMs: number): Promise<void> {
    const eventId = `EvLoad${this.user}x${this.sent}`;
    const ts = nextTs();
    const body = JSON.stringify({
      token: 'legacy',
      team_id: TEAM,
      api_app_id: 'A0LOAD',
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'message', channel_type: 'im', channel: this.channel, user: this.user, text, ts },
    });
    this.sent += 1;
    const started = performance.now();
    const at = Date.now();
    let target = this.balancer.pick();
    let acknowledged = false;
    for (let attempt = 0; attempt < 4; attempt++) {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const sentAt = performance.now();
      const response = await post(
        `${target}/slack/events`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-slack-request-timestamp': timestamp,
            'x-slack-signature': signSlackRequest(SIGNING_SECRET, timestamp, body),
            ...(attempt > 0
              ? { 'x-slack-retry-num': String(attempt), 'x-slack-retry-reason': 'http_error' }
              : {}),
          },
          body,
        },
        3_000,
      );
      if (response) await response.arrayBuffer();
      if (response?.status === 200) {
        this.tally.ackMs.push(performance.now() - sentAt);
        this.acked += 1;
        acknowledged = true;
        break;
      }
      // Slack retries a request that failed or was not acknowledged in 3 s.
      this.tally.retriedRequests += 1;
      await sleep(500);
      target = this.balancer.pick(target);
    }
    // Never acknowledged: Slack would have given up on it; no answer is owed, none is timed.
    if (!acknowledged) return;
    const expected = this.acked * this.repliesPerMessage;
    if (await this.slack.waitForPosts(this.channel, expected, answerTimeoutMs)) {
      this.tally.samples.push({ at, ms: performance.now() - started, channel: 'slack' });
    }
  }
}

/**
 * A web chat customer: each message a POST with an Idempotency-Key, retried (on another process)
 * when it fails, as the chat page does; the answer is visible in the response.
 */
export class WebCustomer {
  sent = 0;
  tickets = 0;
  /** Issued by the bot on the first message (POST /api/conversations), as the chat page does. */
  private issued: { id: string; token: string } | undefined;

  constructor(
    n: number,
    private readonly balancer: Balancer,
    private readonly tally: Tally,
  ) {
    this.label = `load-${n}`;
  }

  readonly label: string;

  /** The conversation's id inside the bot, once issued. */
  get conversationId(): string | undefined {
    return this.issued && `web:${this.issued.id}`;
  }

  /** Asks any process for a conversation; another one is asked when one fails. */
  private async open(
    deadlineMs: number,
    started: number,
  ): Promise<{ id: string; token: string } | undefined> {
    let target = this.balancer.pick();
    while (!this.issued && performance.now() - started < deadlineMs) {
      const response = await post(
        `${target}/api/conversations`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
        10_000,
      );
      if (response?.status === 201) this.issued = (await response.json()) as { id: string; token: string };
      else {
        await response?.arrayBuffer();
        this.tally.retriedRequests += 1;
        await sleep(250);
        target = this.balancer.pick(target);
      }
    }
    return this.issued;
  }

  async send(body: unknown, deadlineMs: number): Promise<Reply[] | undefined> {
    const started = performance.now();
    const at = Date.now();
    const web = !this.issued ? 'first' : this.tickets > 0 ? 'ticket' : undefined;
    const chat = await this.open(deadlineMs, started);
    const key = `${chat?.id}-${this.sent++}`;
    let target = this.balancer.pick();
    let last = chat ? 'no response' : 'no conversation issued';
    while (chat && performance.now() - started < deadlineMs) {
      const response = await post(
        `${target}/api/conversations/${chat.id}/messages`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': key,
            authorization: `Bearer ${chat.token}`,
          },
          body: JSON.stringify(body),
        },
        10_000,
      );
      if (response?.status === 200) {
        const { replies } = (await response.json()) as { replies: Reply[] };
        if (replies.length > 0) {
          this.tally.samples.push({ at, ms: performance.now() - started, channel: 'web', web });
          return replies;
        }
        last = '200 without replies';
      } else if (response) {
        last = `${response.status} ${(await response.text()).slice(0, 80)}`;
      } else last = 'no response';
      this.tally.retriedRequests += 1;
      await sleep(250);
      target = this.balancer.pick(target);
    }
    this.tally.lost += 1;
    const because = this.tally.unansweredBecause;
    because[last] = (because[last] ?? 0) + 1;
    return undefined;
  }
}
