import type { Clock } from './clock.ts';
import { systemClock } from './clock.ts';
import { errorCode, errorMessage, type Logger, silentLogger } from './logger.ts';
import type { Reply } from './reply.ts';
import type { ChannelKind, ConversationRef } from './turn.ts';

/** Sends replies to a conversation later (proactively): agent relays, resolve notices. */
export interface ReplySink {
  deliver(ref: ConversationRef, replies: Reply[]): Promise<void>;
}

/** Replies accepted but not yet delivered. */
export interface PendingDelivery {
  id: string;
  ref: ConversationRef;
  replies: Reply[];
  acceptedAt: number;
  attempts: number;
  nextAttemptAt: number;
  lastError?: string | undefined;
}

/** Where pending deliveries wait. In memory by default; a durable implementation can replace it. */
export interface DeliveryOutbox {
  save(pending: PendingDelivery): Promise<void>;
  remove(id: string): Promise<void>;
  /** Oldest first. */
  list(): Promise<PendingDelivery[]>;
}

export class MemoryDeliveryOutbox implements DeliveryOutbox {
  private readonly items = new Map<string, PendingDelivery>();

  async save(pending: PendingDelivery): Promise<void> {
    this.items.set(pending.id, structuredClone(pending));
  }

  async remove(id: string): Promise<void> {
    this.items.delete(id);
  }

  async list(): Promise<PendingDelivery[]> {
    return [...this.items.values()]
      .sort((a, b) => a.acceptedAt - b.acceptedAt)
      .map((p) => structuredClone(p));
  }
}

export interface DeliveryRouterOptions {
  clock?: Clock;
  log?: Logger;
  outbox?: DeliveryOutbox;
  /** How often pending deliveries are retried by the background timer (ms). */
  retryIntervalMs?: number;
  /** Backoff for the first retry; doubles per attempt up to maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * Routes proactive replies to the channel the conversation lives in. A delivery that fails (or
 * whose channel is not registered yet) is kept and retried, in order per conversation: nothing
 * accepted is lost, and a customer never sees a later message before an earlier one.
 */
export class DeliveryRouter implements ReplySink {
  private readonly sinks = new Map<ChannelKind, ReplySink>();
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly outbox: DeliveryOutbox;
  private readonly retryIntervalMs: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private timer: NodeJS.Timeout | undefined;
  private sequence = 0;
  /** Conversations with deliveries waiting: new ones go behind them. */
  private readonly waiting = new Set<string>();
  private retrying: Promise<void> | undefined;

  constructor(options: DeliveryRouterOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? silentLogger;
    this.outbox = options.outbox ?? new MemoryDeliveryOutbox();
    this.retryIntervalMs = options.retryIntervalMs ?? 5_000;
    this.baseBackoffMs = options.baseBackoffMs ?? 2_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 300_000;
  }

  register(channel: ChannelKind, sink: ReplySink): void {
    this.sinks.set(channel, sink);
    if (this.waiting.size > 0) void this.retryDue(true);
  }

  /** Loads deliveries kept from before a restart and starts the background retry timer. */
  async start(): Promise<void> {
    for (const pending of await this.outbox.list()) this.waiting.add(pending.ref.conversationId);
    if (this.timer) return;
    this.timer = setInterval(() => void this.retryDue(), this.retryIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Resolves once the replies are delivered or safely queued for retry; never rejects. */
  async deliver(ref: ConversationRef, replies: Reply[]): Promise<void> {
    if (replies.length === 0) return;
    const now = this.clock.now();
    const pending: PendingDelivery = {
      id: `${now.toString(36)}-${(this.sequence++).toString(36)}`,
      ref,
      replies,
      acceptedAt: now,
      attempts: 0,
      nextAttemptAt: now,
    };
    if (this.waiting.has(ref.conversationId)) {
      await this.keep(pending, 'earlier delivery still pending');
      return;
    }
    const error = await this.attempt(pending);
    if (error !== undefined) await this.keep(pending, error);
  }

  /** Number of deliveries waiting for a retry. */
  async pendingCount(): Promise<number> {
    return (await this.outbox.list()).length;
  }

  /**
   * Retries every pending delivery that is due (all of them with force), oldest first, in order
   * per conversation. Called by the timer; tests and a re-registered channel call it directly.
   */
  async retryDue(force = false): Promise<void> {
    if (this.retrying) return this.retrying;
    this.retrying = this.runRetries(force).finally(() => {
      this.retrying = undefined;
    });
    return this.retrying;
  }

  private async runRetries(force: boolean): Promise<void> {
    const blocked = new Set<string>();
    for (const pending of await this.outbox.list()) {
      const key = pending.ref.conversationId;
      if (blocked.has(key) || (!force && pending.nextAttemptAt > this.clock.now())) {
        blocked.add(key);
        continue;
      }
      const error = await this.attempt(pending);
      if (error === undefined) {
        await this.outbox.remove(pending.id);
        continue;
      }
      pending.attempts += 1;
      pending.lastError = error;
      pending.nextAttemptAt = this.clock.now() + this.backoff(pending.attempts);
      await this.outbox.save(pending);
      blocked.add(key);
    }
    // Recomputed from the outbox: deliveries accepted while this pass ran must stay in order too.
    this.waiting.clear();
    for (const pending of await this.outbox.list()) this.waiting.add(pending.ref.conversationId);
  }

  /** Returns undefined on success, else the reason. */
  private async attempt(pending: PendingDelivery): Promise<string | undefined> {
    const sink = this.sinks.get(pending.ref.channel);
    if (!sink) return `no channel registered for ${pending.ref.channel}`;
    try {
      await sink.deliver(pending.ref, pending.replies);
      return undefined;
    } catch (error) {
      this.log.warn('delivery failed, will retry', {
        code: errorCode(error),
        error: errorMessage(error),
        channel: pending.ref.channel,
        conversationId: pending.ref.conversationId,
        attempts: pending.attempts + 1,
      });
      return errorMessage(error);
    }
  }

  private async keep(pending: PendingDelivery, reason: string): Promise<void> {
    pending.attempts += 1;
    pending.lastError = reason;
    pending.nextAttemptAt = this.clock.now() + this.backoff(pending.attempts);
    this.waiting.add(pending.ref.conversationId);
    await this.outbox.save(pending);
  }

  private backoff(attempts: number): number {
    return Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** Math.max(0, attempts - 1));
  }
}
