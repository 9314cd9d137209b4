/**
 * Remembers the answer to a request sent with an Idempotency-Key, so a client that retries
 * (timeout, flaky network) gets the same replies instead of an empty second answer. A retry that
 * arrives while the first is still running waits for it. Bounded by count and age.
 */
export class IdempotencyCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();

  constructor(
    private readonly ttlMs = 24 * 3_600_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `produce` once per key within the TTL; later calls get the first result. */
  run(key: string, produce: () => Promise<T>): Promise<T> {
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = produce();
    this.entries.set(key, { at: now, value });
    // A failed attempt must not be replayed: the retry should try again.
    value.catch(() => this.entries.delete(key));
    this.evict(now);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(now: number): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && now - entry.at < this.ttlMs) break;
      this.entries.delete(key);
    }
  }
}
