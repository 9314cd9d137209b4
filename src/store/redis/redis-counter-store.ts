import type { Redis } from 'ioredis';
import { StoreError } from '../../core/errors.ts';
import type { CounterStore } from '../ports.ts';
import type { RedisKeys } from './redis-keys.ts';

/**
 * Analytics counters (HINCRBY per day), added up in memory and written every `flushMs` in one
 * pipeline: a turn then costs no Redis round trip for its counters. The trade-off: a process
 * that crashes loses the counts of its last `flushMs`; reads and close() write pending counts
 * first. While Redis is away the counts wait in memory.
 */
export class RedisCounterStore implements CounterStore {
  private pending = new Map<string, Map<string, number>>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;
  private lastWarning = 0;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly warn: (message: string) => void,
    private readonly flushMs = 250,
  ) {}

  async increment(name: string, day: string, by = 1): Promise<void> {
    if (this.closed) throw new StoreError('store_closed', 'The store is closed.');
    this.add(name, day, by);
  }

  /** Straight to Redis, no buffering (replaying spooled counts). */
  async incrementNow(name: string, day: string, by = 1): Promise<void> {
    await this.redis.hincrby(this.keys.counters(day), name, by);
  }

  private add(name: string, day: string, by: number): void {
    let counts = this.pending.get(day);
    if (!counts) {
      counts = new Map();
      this.pending.set(day, counts);
    }
    counts.set(name, (counts.get(name) ?? 0) + by);
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush().catch((error: unknown) => {
          // Retried with the next timer; reported at most every 30 s while Redis is away.
          if (Date.now() - this.lastWarning < 30_000) return;
          this.lastWarning = Date.now();
          this.warn(`counters not written yet, will retry: ${String(error)}`);
        });
      }, this.flushMs);
      this.timer.unref();
    }
  }

  async get(day: string): Promise<Record<string, number>> {
    await this.flush();
    const raw = await this.redis.hgetall(this.keys.counters(day));
    return Object.fromEntries(Object.entries(raw).map(([name, count]) => [name, Number(count)]));
  }

  /** Writes what is pending; on failure the counts go back to pending for the next attempt. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const pipeline = this.redis.pipeline();
    for (const [day, counts] of batch) {
      for (const [name, by] of counts) pipeline.hincrby(this.keys.counters(day), name, by);
    }
    this.flushing = pipeline
      .exec()
      .then((results) => {
        const failed = results?.find(([error]) => error)?.[0];
        if (failed) throw failed;
      })
      .catch((error: unknown) => {
        for (const [day, counts] of batch) {
          for (const [name, by] of counts) this.add(name, day, by);
        }
        throw error;
      })
      .finally(() => {
        this.flushing = undefined;
      });
    await this.flushing;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
