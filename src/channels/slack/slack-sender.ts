import type { webApi } from '@slack/bolt';
import type { Clock } from '../../core/clock.ts';
import { DeferredDelivery } from '../../core/delivery.ts';
import { errorCode, errorMessage, type Logger, silentLogger } from '../../core/logger.ts';
import type { SlackMessage } from './blocks/block-kit.ts';

type WebClient = webApi.WebClient;

/** Something to send to one Slack channel. */
export type Outgoing =
  | {
      kind: 'post';
      channel: string;
      threadTs?: string | undefined;
      message: SlackMessage;
      /**
       * Posted at most once under this id: it travels with the message as metadata, and a retry
       * (or a first attempt with `check`, when an earlier process may have posted it) looks for
       * it among the conversation's latest messages before posting.
       */
      once?: { id: string; check: boolean } | undefined;
    }
  | { kind: 'update'; channel: string; ts: string; message: SlackMessage }
  /** One of the bot's own messages; one already gone counts as deleted. */
  | { kind: 'delete'; channel: string; ts: string }
  | {
      kind: 'ephemeral';
      channel: string;
      user: string;
      threadTs?: string | undefined;
      message: SlackMessage;
    };

export type SendResult =
  | { ok: true; ts: string | undefined }
  /** failed: Slack did not take it in this round (the caller's outbox retries); undeliverable: refused for good. */
  | { ok: false; code: 'failed' | 'undeliverable'; error: string };

export interface UndeliverableMessage {
  outgoing: Outgoing;
  error: string;
  at: number;
}

export interface SlackSenderOptions {
  /** A client with its own retries off (rejectRateLimitedCalls, retries: 0): pacing is done here. */
  client: WebClient;
  clock: Clock;
  /** Waits; tests pass one that moves a manual clock instead. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
  log?: Logger | undefined;
  /** chat.postMessage allows about one message per second per channel. */
  perChannelIntervalMs?: number | undefined;
  /** Attempts in one round before the message is given back to the caller as failed. */
  maxAttempts?: number | undefined;
  /** Backoff for errors without Retry-After (network, 5xx); doubles per attempt. */
  baseBackoffMs?: number | undefined;
  /** `admit` defers a delivery whose posts would wait longer than this behind the channel's queue. */
  maxQueueWaitMs?: number | undefined;
}

interface Item {
  outgoing: Outgoing;
  attempts: number;
  /** After Slack refused the blocks: 1 = the message's fallback blocks, 2 = text only. */
  downgrade: 0 | 1 | 2;
  settled: boolean;
  /** An attempt failed without Slack's answer (network, 5xx): it may have been taken. */
  uncertain?: boolean;
  resolve: (result: SendResult) => void;
}

interface Lane {
  queue: Item[];
  running: boolean;
  nextAt: number;
}

type Outcome =
  | { kind: 'sent'; ts: string | undefined }
  | { kind: 'retry'; afterMs: number; error: string; uncertain?: boolean }
  | { kind: 'refused'; error: string };

const STOPPED: SendResult = { ok: false, code: 'failed', error: 'sender_stopped' };

/** The metadata event type of replies posted at most once (see Outgoing `once`). */
export const ONCE_EVENT_TYPE = 'support_bot_reply';
/** How far back a retry looks for its earlier post: Slack's newest messages of the conversation. */
const ONCE_LOOKBACK = 50;

/** Platform errors that say "try again later" rather than "this message is wrong". */
const TRANSIENT_PLATFORM_ERRORS = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);
/** Refusals a text-only version of the message may get past. */
const BLOCK_ERRORS = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_too_long', 'too_many_blocks']);

const realSleep = (ms: number) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
  });

/**
 * Sends messages in order per channel at Slack's pace and honours 429 Retry-After within a short
 * round of attempts. It keeps nothing: a message Slack does not take in its round comes back as
 * `failed` and the caller's outbox (src/delivery) retries it later, so a process that stops loses
 * nothing that was accepted. A message Slack refuses outright (and whose text-only version it
 * refuses too) comes back `undeliverable`, and is listed in `undeliverable`.
 */
export class SlackSender {
  private readonly client: WebClient;
  private readonly clock: Clock;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly log: Logger;
  private readonly interval: number;
  private readonly maxAttempts: number;
  private readonly baseBackoffMs: number;
  private readonly lanes = new Map<string, Lane>();
  private readonly maxQueueWaitMs: number;
  /** Per channel: until when posting time is promised to deferred deliveries. */
  private readonly promised = new Map<string, number>();
  /** Deferred deliveries (by their outbox id) and the time each was promised. */
  private readonly reserved = new Map<string, number>();
  private readonly refused: UndeliverableMessage[] = [];
  private stopped = false;

  constructor(options: SlackSenderOptions) {
    this.client = options.client;
    this.clock = options.clock;
    this.sleep = options.sleep ?? realSleep;
    this.log = options.log ?? silentLogger;
    this.interval = options.perChannelIntervalMs ?? 1_000;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.baseBackoffMs = options.baseBackoffMs ?? 1_000;
    this.maxQueueWaitMs = options.maxQueueWaitMs ?? 2_000;
  }

  /**
   * Called before a delivery's first post to `channel` (by its outbox id). When its posts would
   * wait longer than maxQueueWaitMs behind the channel's queue (one post a second), or behind
   * deliveries deferred before it, it throws DeferredDelivery with a time of its own, one
   * interval after the last promised: the outbox works other lanes meanwhile instead of holding
   * a delivery slot for each message queued into one busy channel (a busy agents' channel would
   * otherwise hold up every customer's reply). A delivery that comes back for its time goes in.
   */
  admit(channel: string, id: string): void {
    if (this.reserved.delete(id)) return;
    const now = this.clock.now();
    const lane = this.lanes.get(channel);
    let queuedPosts = 0;
    for (const item of lane?.queue ?? []) if (isPaced(item.outgoing)) queuedPosts += 1;
    const free = Math.max(now, lane?.nextAt ?? 0) + queuedPosts * this.interval;
    const promised = this.promised.get(channel) ?? 0;
    if (free - now <= this.maxQueueWaitMs && promised <= now) {
      this.promised.delete(channel);
      return;
    }
    const at = Math.max(free, promised);
    this.promised.set(channel, at + this.interval);
    this.reserved.set(id, at);
    // A deferred delivery another process took instead never comes back here.
    if (this.reserved.size > 1_000) {
      for (const [key, time] of this.reserved) if (time < now - 60_000) this.reserved.delete(key);
    }
    throw new DeferredDelivery(at, `slack channel ${channel} is busy; this delivery waits until ${at}`);
  }

  /** Queues the message; resolves when it is sent, failed for now, or refused. Never rejects. */
  send(outgoing: Outgoing): Promise<SendResult> {
    // Failed for now, not refused: the outbox keeps it for another process (or this one, started
    // again). Refused, it would be dropped, a reply lost at every stop that ran out of drain time.
    if (this.stopped) return Promise.resolve(STOPPED);
    return new Promise((resolve) => {
      const lane = this.lane(outgoing.channel);
      lane.queue.push({ outgoing, attempts: 0, downgrade: 0, settled: false, resolve });
      if (!lane.running) void this.pump(outgoing.channel, lane);
    });
  }

  /** Messages waiting to be sent. */
  get pending(): number {
    let count = 0;
    for (const lane of this.lanes.values()) count += lane.queue.length;
    return count;
  }

  get undeliverable(): readonly UndeliverableMessage[] {
    return this.refused;
  }

  /** Resolves when nothing is waiting to be sent. */
  async idle(pollMs = 5): Promise<void> {
    while (this.pending > 0) await new Promise((resolve) => setTimeout(resolve, pollMs));
  }

  /**
   * Stops taking messages; lanes finish their current attempt and stop. What is still queued comes
   * back as failed at once, so the outbox frees its lanes for other processes now rather than when
   * their leases run out.
   */
  stop(): void {
    this.stopped = true;
    for (const lane of this.lanes.values()) for (const item of lane.queue) this.settle(item, STOPPED);
  }

  private lane(channel: string): Lane {
    let lane = this.lanes.get(channel);
    if (!lane) {
      lane = { queue: [], running: false, nextAt: 0 };
      this.lanes.set(channel, lane);
    }
    return lane;
  }

  private async pump(channel: string, lane: Lane): Promise<void> {
    lane.running = true;
    try {
      while (!this.stopped) {
        const item = lane.queue[0];
        if (!item) break;
        const wait = lane.nextAt - this.clock.now();
        if (wait > 0) await this.sleep(wait);
        if (this.stopped) break;
        const outcome = await this.attempt(item);
        this.handleOutcome(channel, lane, item, outcome);
      }
    } finally {
      lane.running = false;
      if (lane.queue.length === 0) this.lanes.delete(channel);
    }
  }

  private handleOutcome(channel: string, lane: Lane, item: Item, outcome: Outcome): void {
    const now = this.clock.now();
    if (outcome.kind === 'sent') {
      lane.queue.shift();
      // The one-message-per-second pace is for posts; updates and deletes change what is there.
      if (isPaced(item.outgoing)) lane.nextAt = now + this.interval;
      this.settle(item, { ok: true, ts: outcome.ts });
      return;
    }
    if (outcome.kind === 'refused') {
      if (item.downgrade < 2 && BLOCK_ERRORS.has(outcome.error)) {
        // Better simpler blocks, or the plain text, than nothing.
        const fallback = item.outgoing.kind !== 'delete' && item.outgoing.message.fallbackBlocks;
        item.downgrade = item.downgrade === 0 && fallback ? 1 : 2;
        return;
      }
      lane.queue.shift();
      this.refused.push({ outgoing: item.outgoing, error: outcome.error, at: now });
      this.log.error('slack refused a message', { code: outcome.error, channel, kind: item.outgoing.kind });
      this.settle(item, { ok: false, code: 'undeliverable', error: outcome.error });
      return;
    }
    item.attempts += 1;
    if (outcome.uncertain) item.uncertain = true;
    if (item.attempts < this.maxAttempts) {
      lane.nextAt = now + outcome.afterMs;
      return;
    }
    // A round used up: back to the caller, whose outbox retries; the channel rests meanwhile.
    this.log.warn('slack did not take a message in its round; the outbox retries it', {
      code: outcome.error,
      channel,
      attempts: item.attempts,
    });
    lane.queue.shift();
    lane.nextAt = now + outcome.afterMs;
    this.settle(item, { ok: false, code: 'failed', error: outcome.error });
  }

  private settle(item: Item, result: SendResult): void {
    if (item.settled) return;
    item.settled = true;
    item.resolve(result);
  }

  private async attempt(item: Item): Promise<Outcome> {
    const out = item.outgoing;
    if (out.kind === 'delete') return this.delete(out, item.attempts);
    const blocks =
      item.downgrade === 0
        ? out.message.blocks
        : item.downgrade === 1
          ? out.message.fallbackBlocks
          : undefined;
    const content = blocks ? { text: out.message.text, blocks } : { text: out.message.text };
    try {
      if (out.kind === 'post') {
        if (out.once && (out.once.check || item.uncertain)) {
          const earlier = await this.postedBefore(out.channel, out.threadTs, out.once.id);
          if (earlier) return { kind: 'sent', ts: earlier };
        }
        const result = await this.client.chat.postMessage({
          channel: out.channel,
          ...(out.threadTs ? { thread_ts: out.threadTs } : {}),
          ...content,
          ...(out.once
            ? { metadata: { event_type: ONCE_EVENT_TYPE, event_payload: { outbox_id: out.once.id } } }
            : {}),
          unfurl_links: false,
          unfurl_media: false,
        });
        return { kind: 'sent', ts: result.ts };
      }
      if (out.kind === 'update') {
        const result = await this.client.chat.update({ channel: out.channel, ts: out.ts, ...content });
        return { kind: 'sent', ts: result.ts ?? out.ts };
      }
      const result = await this.client.chat.postEphemeral({
        channel: out.channel,
        user: out.user,
        ...(out.threadTs ? { thread_ts: out.threadTs } : {}),
        ...content,
      });
      return { kind: 'sent', ts: result.message_ts };
    } catch (error) {
      return this.classify(error, item.attempts);
    }
  }

  /**
   * The ts of a message with this once-id among the conversation's (or thread's) newest ones.
   * Undefined when there is none, or when Slack cannot be asked: then the message is posted, as
   * a rare second copy beats a lost reply.
   */
  private async postedBefore(
    channel: string,
    threadTs: string | undefined,
    id: string,
  ): Promise<string | undefined> {
    try {
      const page = threadTs
        ? await this.client.conversations.replies({
            channel,
            ts: threadTs,
            limit: ONCE_LOOKBACK,
            include_all_metadata: true,
          })
        : await this.client.conversations.history({
            channel,
            limit: ONCE_LOOKBACK,
            include_all_metadata: true,
          });
      const found = (page.messages ?? []).find((m) => {
        const metadata = (
          m as { metadata?: { event_type?: string; event_payload?: { outbox_id?: unknown } } }
        ).metadata;
        return metadata?.event_type === ONCE_EVENT_TYPE && metadata.event_payload?.outbox_id === id;
      });
      return found?.ts;
    } catch (error) {
      this.log.warn('could not look for an earlier post; posting', { channel, error: errorMessage(error) });
      return undefined;
    }
  }

  private async delete(out: { channel: string; ts: string }, attempts: number): Promise<Outcome> {
    try {
      await this.client.chat.delete({ channel: out.channel, ts: out.ts });
    } catch (error) {
      const outcome = this.classify(error, attempts);
      // Deleted by an earlier attempt, or by someone in Slack: what was asked for is so.
      if (!(outcome.kind === 'refused' && outcome.error === 'message_not_found')) return outcome;
    }
    return { kind: 'sent', ts: out.ts };
  }

  private classify(error: unknown, attempts: number): Outcome {
    const code = errorCode(error);
    const backoff = this.baseBackoffMs * 2 ** attempts;
    if (code === 'slack_webapi_rate_limited_error') {
      const seconds = (error as { retryAfter?: unknown }).retryAfter;
      const afterMs = typeof seconds === 'number' && seconds > 0 ? seconds * 1_000 : backoff;
      return { kind: 'retry', afterMs, error: 'ratelimited' };
    }
    if (code === 'slack_webapi_platform_error') {
      const platform = (error as { data?: { error?: unknown } }).data?.error;
      const name = typeof platform === 'string' ? platform : 'unknown_error';
      return TRANSIENT_PLATFORM_ERRORS.has(name)
        ? { kind: 'retry', afterMs: backoff, error: name }
        : { kind: 'refused', error: name };
    }
    // Network trouble, timeouts and HTTP 5xx pass; the message stays. Slack may have taken it.
    return { kind: 'retry', afterMs: backoff, error: `${code}: ${errorMessage(error)}`, uncertain: true };
  }
}

/** Posts (and ephemeral posts) go at Slack's pace; updates and deletes change what is there. */
function isPaced(outgoing: Outgoing): boolean {
  return outgoing.kind === 'post' || outgoing.kind === 'ephemeral';
}
