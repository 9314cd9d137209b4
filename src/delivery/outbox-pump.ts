import { AsyncLocalStorage } from 'node:async_hooks';
import { DeferredDelivery, UndeliverableError } from '../core/delivery.ts';
import { RuntimeError } from '../core/errors.ts';
import { errorCode, errorMessage, type Logger, silentLogger } from '../core/logger.ts';
import type { Outbox, OutboxItem } from '../core/outbox-port.ts';

/** Set while a handler runs: a flush from inside a delivery must not wait for that delivery. */
const insideDelivery = new AsyncLocalStorage<true>();

/** Delivers one kind of outbox item; rejects when it could not (the item is retried). */
export type OutboxHandler = (item: OutboxItem) => Promise<void>;

export interface OutboxPumpOptions {
  outbox: Outbox;
  /** This process, unique among the running ones. */
  consumer: string;
  log?: Logger | undefined;
  now?: (() => number) | undefined;
  /** Idle poll interval. Default 100 ms. */
  pollMs?: number | undefined;
  /** How long a lane is leased while its item is delivered; a dead process's lane comes back after it. Default 30 s. */
  leaseMs?: number | undefined;
  /** First retry after a failure; doubles per attempt up to maxBackoffMs. Defaults 1 s and 5 min. */
  baseBackoffMs?: number | undefined;
  maxBackoffMs?: number | undefined;
  /** Lanes worked on at once (deliveries under way). Default 64. */
  batch?: number | undefined;
}

/**
 * Works the outbox: takes due lanes (each leased to this process), delivers their first item
 * through the handler of its kind, and marks it done, or schedules a retry with exponential
 * backoff. Up to `batch` lanes are worked side by side, and a finished delivery makes room for the
 * next at once, so a slow or failing destination (Slack pacing a channel) holds up only itself. Every process runs one; an item is delivered by
 * whichever process takes its lane, once (its id), in the order its lane got them.
 */
export class OutboxPump {
  private readonly handlers = new Map<string, OutboxHandler>();
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly maxInFlight: number;
  /** Cancels the next scheduled pass, if one is scheduled. */
  private cancelPass: (() => void) | undefined;
  private stopped = true;
  /** Deliveries under way, each holding its lane; a slow one holds up only its own lane. */
  private readonly inFlight = new Set<Promise<void>>();
  /** The deliveries under way by item id, for a flush that waits for its own items only. */
  private readonly byId = new Map<string, Promise<void>>();
  /** The items under way, whose lane leases are renewed while they take long. */
  private readonly underWay = new Set<OutboxItem>();
  private renewer: NodeJS.Timeout | undefined;
  private taking: Promise<number> | undefined;

  constructor(private readonly options: OutboxPumpOptions) {
    this.log = options.log ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.maxInFlight = options.batch ?? 64;
  }

  register(kind: string, handler: OutboxHandler): void {
    if (this.handlers.has(kind))
      throw new RuntimeError('internal_error', `an outbox handler for ${kind} is registered already`);
    this.handlers.set(kind, handler);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
    // A slow platform must not let another process take a lane this one is still delivering.
    const leaseMs = this.options.leaseMs ?? 30_000;
    this.renewer = setInterval(() => void this.renewLeases(leaseMs), Math.max(100, Math.floor(leaseMs / 3)));
    this.renewer.unref?.();
  }

  private async renewLeases(leaseMs: number): Promise<void> {
    if (this.underWay.size === 0) return;
    try {
      await this.options.outbox.extend([...this.underWay], this.options.consumer, leaseMs);
    } catch (error) {
      this.warnPass(error);
    }
  }

  /** Stops taking work and waits for the deliveries under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelPass?.();
    this.cancelPass = undefined;
    if (this.renewer) clearInterval(this.renewer);
    this.renewer = undefined;
    await this.taking?.catch(() => 0);
    await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Takes what is due now and waits for those deliveries, at most `maxWaitMs` (a slow platform
   * must not hold up a turn; they go on in the background). An item added just before is among
   * them unless more lanes are due than may be under way at once. Never rejects.
   */
  async flush(maxWaitMs = 2_000, ids?: readonly string[]): Promise<void> {
    // A handler adding items (an inbound message's answers) would wait for itself: start them instead.
    if (insideDelivery.getStore()) {
      this.kick();
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, maxWaitMs);
      timer.unref?.();
    });
    await Promise.race([this.drain(ids).catch((error: unknown) => this.warnPass(error)), waited]);
    clearTimeout(timer);
  }

  /** Looks for due items now instead of at the next poll (something was just added). */
  kick(): void {
    this.schedule(0);
  }

  /**
   * Takes the due lanes (as many as may be under way) and delivers their items; resolves with how
   * many, once they are done. With `ids`, once those of them under way are done: a turn waits for
   * its own replies, not for whatever else this process is delivering (a post paced by Slack).
   */
  async drain(ids?: readonly string[]): Promise<number> {
    const { items, done } = await this.take();
    if (ids) {
      const own = ids.map((id) => this.byId.get(id)).filter((d) => d !== undefined);
      await Promise.allSettled(own);
    } else await done;
    return items;
  }

  /** One take from the outbox; its deliveries start at once, `done` resolves when they are finished. */
  private async take(): Promise<{ items: number; done: Promise<unknown> }> {
    // One take at a time per process: two would only race for the same lanes.
    while (this.taking) await this.taking.catch(() => 0);
    const room = this.maxInFlight - this.inFlight.size;
    if (room <= 0) return { items: 0, done: Promise.resolve() };
    const { outbox, consumer } = this.options;
    this.taking = outbox.take(consumer, room, this.options.leaseMs ?? 30_000).then((items) => {
      for (const item of items) this.track(item.id, this.deliver(item));
      return items.length;
    });
    let taken: number;
    try {
      taken = await this.taking;
    } finally {
      this.taking = undefined;
    }
    return { items: taken, done: Promise.allSettled([...this.inFlight]) };
  }

  private track(id: string, delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    this.byId.set(id, delivery);
    void delivery.finally(() => {
      this.inFlight.delete(delivery);
      this.byId.delete(id);
      // Its lane may have more, and there is room for another lane.
      this.schedule(0);
    });
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.cancelPass) {
      if (delay > 0) return;
      this.cancelPass();
    }
    const pass = (): void => {
      this.cancelPass = undefined;
      this.take()
        .then(({ items }) => {
          if (items > 0) this.schedule(0);
          else if (!this.cancelPass) this.schedule(this.options.pollMs ?? 100);
        })
        .catch((error: unknown) => {
          this.warnPass(error);
          this.schedule(Math.max(1_000, this.options.pollMs ?? 100));
        });
    };
    // "Now" is the next turn of the event loop, not a timer: a timer waits at least a
    // millisecond, and a Slack message passes the pump twice (its event, then its answer).
    if (delay === 0) {
      const immediate = setImmediate(pass);
      immediate.unref?.();
      this.cancelPass = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(pass, delay);
      timer.unref?.();
      this.cancelPass = () => clearTimeout(timer);
    }
  }

  private warnPass(error: unknown): void {
    this.log.warn('outbox pass failed, will retry', { code: errorCode(error), error: errorMessage(error) });
  }

  private async deliver(item: OutboxItem): Promise<void> {
    this.underWay.add(item);
    try {
      await this.deliverOnce(item);
    } finally {
      this.underWay.delete(item);
    }
  }

  private async deliverOnce(item: OutboxItem): Promise<void> {
    const { outbox, consumer } = this.options;
    const handler = this.handlers.get(item.kind);
    try {
      try {
        if (!handler)
          throw new RuntimeError('internal_error', `no outbox handler for ${item.kind} in this process`);
        await insideDelivery.run(true, () => handler(item));
      } catch (error) {
        if (error instanceof DeferredDelivery) {
          // The destination is busy: the lane waits without holding a delivery slot meanwhile.
          await outbox.retry(item, consumer, error.retryAt, false);
          return;
        }
        if (!(error instanceof UndeliverableError)) {
          const delay = this.backoff(item.attempts);
          this.log.warn('outbox delivery failed, will retry', {
            code: errorCode(error),
            error: errorMessage(error),
            kind: item.kind,
            lane: item.lane,
            attempts: item.attempts + 1,
            retryInMs: delay,
          });
          await outbox.retry(item, consumer, this.now() + delay);
          return;
        }
        // Refused for good: kept in the log, and the lane goes on with its next item.
        this.log.error('outbox item refused for good, dropped', {
          code: errorCode(error),
          error: errorMessage(error),
          kind: item.kind,
          lane: item.lane,
          id: item.id,
        });
      }
      await outbox.done(item, consumer);
    } catch (error) {
      // The store is away: the lease runs out and the item comes back then.
      this.warnPass(error);
    }
  }

  private backoff(attempts: number): number {
    const base = this.options.baseBackoffMs ?? 1_000;
    return Math.min(this.options.maxBackoffMs ?? 300_000, base * 2 ** attempts);
  }
}
