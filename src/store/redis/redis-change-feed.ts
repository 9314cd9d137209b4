import type { Redis } from 'ioredis';

/**
 * Version announcements on a pub/sub channel, for changes every process must follow (knowledge,
 * settings). Each process's subscriber tells its listeners of a newer version; after a reconnect
 * it reads the version key, so a change published while it was away still arrives.
 */
export class RedisChangeFeed {
  private readonly listeners = new Set<(version: number) => void>();
  private subscriber: Redis | undefined;
  private lastVersion = 0;

  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
    private readonly versionKey: string,
    private readonly what: string,
    private readonly warn: (message: string) => void,
  ) {}

  onChange(listener: (version: number) => void): () => void {
    this.listeners.add(listener);
    this.subscribe();
    return () => {
      this.listeners.delete(listener);
    };
  }

  async publish(version: number): Promise<void> {
    await this.redis.publish(this.channel, String(version));
  }

  async close(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await subscriber.quit();
  }

  private subscribe(): void {
    if (this.subscriber) return;
    const subscriber = this.redis.duplicate({ lazyConnect: false, maxRetriesPerRequest: null });
    this.subscriber = subscriber;
    subscriber.on('error', (error: Error) => this.warn(`${this.what} subscriber: ${error.message}`));
    subscriber.on('message', (_channel: string, message: string) => this.emit(Number(message)));
    // On every (re)connect: subscribe, then catch up on a change published while away.
    subscriber.on('ready', () => {
      subscriber
        .subscribe(this.channel)
        .then(() => this.redis.get(this.versionKey))
        .then((version) => this.emit(Number(version ?? 0)))
        .catch((error: Error) => this.warn(`${this.what} subscription failed: ${error.message}`));
    });
  }

  private emit(version: number): void {
    if (!Number.isFinite(version) || version <= this.lastVersion) return;
    this.lastVersion = version;
    for (const listener of this.listeners) {
      try {
        listener(version);
      } catch (error) {
        this.warn(`a ${this.what} change listener failed: ${String(error)}`);
      }
    }
  }
}
