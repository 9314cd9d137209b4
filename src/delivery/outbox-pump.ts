import { UndeliverableError } from '../core/delivery.ts';
import { errorCode, errorMessage, type Logger, silentLogger } from '../core/logger.ts';
import type { Outbox, OutboxItem } from '../store/ports.ts';

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
  /** Lanes worked on at once. Default 32. */
  batch?: number | undefined;
}

/**
 * Works the outbox: takes due lanes (each leased to this process), delivers their first item
 * through the handler of its kind, and marks it done, or schedules a retry with exponential
 * backoff. Lanes are worked side by side, items of one lane one after another, so a slow or
 * failing destination holds up only itself. Every process runs one; an item is delivered by
 * whichever process takes its lane, once (its id), in the order its lane got them.
 */
export class OutboxPump {
  private readonly handlers = new Map<string, OutboxHandler>();
  private readonly log: Logger;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private again = false;
  private stopped = true;

  constructor(private readonly options: OutboxPumpOptions) {
    this.log = options.log ?? silentLogger;
    this.now = options.now ?? Date.now;
  }

  register(kind: string, handler: OutboxHandler): void {
    if (this.handlers.has(kind)) throw new Error(`an outbox handler for ${kind} is registered already`);
    this.handlers.set(kind, handler);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops taking work and waits for the deliveries in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => 0);
  }

  /**
   * Runs a pass that starts after this call (waiting for one in progress first), so an item added
   * just before is delivered before this resolves, unless more lanes are due than a pass takes.
   * Waits at most `maxWaitMs` (a slow platform must not hold up a turn; the pass goes on in the
   * background, and the pump's own passes take what is left). Never rejects.
   */
  async flush(maxWaitMs = 2_000): Promise<void> {
    const pass = (async () => {
      if (this.running) await this.running.catch(() => 0);
      const handled = await this.drain();
      // More may be due: the background loop carries on at once.
      if (handled > 0 && !this.stopped) this.schedule(0);
    })().catch((error: unknown) => this.warnPass(error));
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, maxWaitMs);
      timer.unref?.();
    });
    await Promise.race([pass, waited]);
    clearTimeout(timer);
  }

  /** One pass over the due lanes; returns how many items it finished or scheduled for a retry. */
  async drain(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain()
        .then((handled) => {
          const more = handled > 0 || this.again;
          this.again = false;
          this.schedule(more ? 0 : (this.options.pollMs ?? 100));
        })
        .catch((error: unknown) => {
          this.warnPass(error);
          this.schedule(Math.max(1_000, this.options.pollMs ?? 100));
        });
    }, delay);
    this.timer.unref?.();
  }

  private warnPass(error: unknown): void {
    this.log.warn('outbox pass failed, will retry', { code: errorCode(error), error: errorMessage(error) });
  }

  private async pass(): Promise<number> {
    const { outbox, consumer } = this.options;
    const items = await outbox.take(consumer, this.options.batch ?? 32, this.options.leaseMs ?? 30_000);
    await Promise.all(items.map((item) => this.deliver(item)));
    return items.length;
  }

  private async deliver(item: OutboxItem): Promise<void> {
    const { outbox, consumer } = this.options;
    const handler = this.handlers.get(item.kind);
    try {
      if (!handler) throw new Error(`no outbox handler for ${item.kind} in this process`);
      await handler(item);
    } catch (error) {
      if (error instanceof UndeliverableError) {
        // Refused for good: kept in the log, and the lane goes on with its next item.
        this.log.error('outbox item refused for good, dropped', {
          code: errorCode(error),
          error: errorMessage(error),
          kind: item.kind,
          lane: item.lane,
          id: item.id,
        });
        await outbox.done(item, consumer);
        return;
      }
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
    await outbox.done(item, consumer);
  }

  private backoff(attempts: number): number {
    const base = this.options.baseBackoffMs ?? 1_000;
    return Math.min(this.options.maxBackoffMs ?? 300_000, base * 2 ** attempts);
  }
}
