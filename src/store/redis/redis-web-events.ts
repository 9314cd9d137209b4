import type { Redis } from 'ioredis';
import type { ResponseStore } from '../../core/ports.ts';
import type { Reply } from '../../core/reply.ts';
import type { WebAccess, WebAccessStore, WebEvent, WebEventStore } from '../../core/web-ports.ts';
import { storeDefaults } from '../store-options.ts';
import { luaScript } from './lua-script.ts';
import type { RedisKeys } from './redis-keys.ts';

/**
 * Appends replies under the next cursor numbers, atomically. The stored item is built as a string
 * so the reply JSON is kept byte for byte (cjson would turn `[]` into `{}`).
 * KEYS: events list, sequence counter. ARGV: now, max events, ttl ms, reply JSON...
 */
const append = luaScript('append-web-event', 2);

export interface RedisWebEventOptions {
  now: () => number;
  warn: (message: string) => void;
  /** A long poll re-reads this often even without a notification (one lost during a reconnect). */
  recheckMs?: number | undefined;
}

/**
 * Pushed web replies in Redis, for several bot processes: one list and one counter per
 * conversation (hash-tagged, so Redis Cluster keeps them on one slot), and a pub/sub notification
 * that wakes the long polls of every process at once. The subscription takes a connection of its
 * own, opened with the first long poll.
 */
export class RedisWebEvents implements WebEventStore {
  private readonly waiters = new Map<string, Set<() => void>>();
  private subscriber: Redis | undefined;
  private subscribing: Promise<unknown> | undefined;
  /** Set by wakeAll on shutdown: long polls return at once from then on. */
  private stopped = false;
  private readonly recheckMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly options: RedisWebEventOptions,
  ) {
    this.recheckMs = options.recheckMs ?? 2_000;
  }

  async has(conversationId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.webSeq(conversationId))) === 1;
  }

  async touch(conversationId: string): Promise<void> {
    const key = this.keys.webSeq(conversationId);
    const ttl = storeDefaults.webEventRetentionMs;
    const created = await this.redis.set(key, '0', 'PX', ttl, 'NX');
    if (created === null) await this.redis.pexpire(key, ttl);
    // The credential lives as long as the conversation is in use.
    await this.redis.pexpire(this.keys.webAccess(conversationId), ttl);
  }

  async append(conversationId: string, replies: Reply[]): Promise<WebEvent[]> {
    if (replies.length === 0) return [];
    const now = this.options.now();
    const last = Number(
      await append.run(
        this.redis,
        [this.keys.webEvents(conversationId), this.keys.webSeq(conversationId)],
        [
          now,
          storeDefaults.webEventsPerConversation,
          storeDefaults.webEventRetentionMs,
          ...replies.map((r) => JSON.stringify(r)),
        ],
      ),
    );
    await this.redis.publish(this.keys.webChannel(), conversationId);
    return replies.map((reply, i) => ({ seq: last - replies.length + 1 + i, at: now, reply }));
  }

  async since(conversationId: string, after: number): Promise<{ events: WebEvent[]; cursor: number }> {
    const [items, seq] = await Promise.all([
      this.redis.lrange(this.keys.webEvents(conversationId), 0, -1),
      this.redis.get(this.keys.webSeq(conversationId)),
    ]);
    const events: WebEvent[] = [];
    for (const item of items) {
      try {
        const event = JSON.parse(item) as WebEvent;
        if (event.seq > after) events.push(event);
      } catch (error) {
        this.options.warn(`unreadable web event of ${conversationId} skipped: ${String(error)}`);
      }
    }
    return { events, cursor: Math.max(after, Number(seq ?? 0)) };
  }

  async waitFor(conversationId: string, after: number, ms: number): Promise<void> {
    await this.subscribe();
    const deadline = Date.now() + ms;
    while (!this.stopped && Date.now() < deadline) {
      if ((await this.since(conversationId, after)).events.length > 0) return;
      await this.sleep(conversationId, Math.min(this.recheckMs, deadline - Date.now()));
    }
  }

  wakeAll(): void {
    this.stopped = true;
    for (const set of this.waiters.values()) for (const wake of [...set]) wake();
  }

  async close(): Promise<void> {
    this.wakeAll();
    await this.subscriber?.quit().catch(() => undefined);
  }

  private subscribe(): Promise<unknown> {
    if (this.subscribing) return this.subscribing;
    const subscriber = this.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('message', (_channel: string, conversationId: string) => this.wake(conversationId));
    subscriber.on('error', (error: Error) => this.options.warn(`web event subscription: ${error.message}`));
    this.subscribing = subscriber.subscribe(this.keys.webChannel()).catch((error: unknown) => {
      // Polls still re-read every recheckMs; the next long poll tries to subscribe again.
      this.subscribing = undefined;
      this.options.warn(`web event subscription failed: ${String(error)}`);
    });
    return this.subscribing;
  }

  private wake(conversationId: string): void {
    for (const wake of [...(this.waiters.get(conversationId) ?? [])]) wake();
  }

  /** Sleeps until a notification for the conversation, a release, or the timeout. */
  private sleep(conversationId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(conversationId) ?? new Set();
      const onWake = (): void => {
        clearTimeout(timer);
        set.delete(onWake);
        if (set.size === 0) this.waiters.delete(conversationId);
        resolve();
      };
      const timer = setTimeout(onWake, Math.max(0, ms));
      set.add(onWake);
      this.waiters.set(conversationId, set);
    });
  }
}

/** Issued web conversations: the token hash as a JSON string per conversation, expiring with it. */
export class RedisWebAccess implements WebAccessStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async issue(conversationId: string, access: WebAccess): Promise<boolean> {
    const ttl = storeDefaults.webEventRetentionMs;
    const created = await this.redis.set(
      this.keys.webAccess(conversationId),
      JSON.stringify(access),
      'PX',
      ttl,
      'NX',
    );
    if (created === null) return false;
    await this.redis.set(this.keys.webSeq(conversationId), '0', 'PX', ttl, 'NX');
    return true;
  }

  async get(conversationId: string): Promise<WebAccess | undefined> {
    const stored = await this.redis.get(this.keys.webAccess(conversationId));
    return stored === null ? undefined : (JSON.parse(stored) as WebAccess);
  }

  async forget(conversationId: string): Promise<void> {
    await this.redis.del(
      this.keys.webAccess(conversationId),
      this.keys.webEvents(conversationId),
      this.keys.webSeq(conversationId),
    );
  }
}

/** Remembered answers as plain keys with a TTL; the first answer wins (SET NX). */
export class RedisResponseStore implements ResponseStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async get(key: string): Promise<unknown> {
    const stored = await this.redis.get(this.keys.response(key));
    return stored === null ? undefined : JSON.parse(stored);
  }

  async put(key: string, value: unknown, ttlMs: number): Promise<void> {
    await this.redis.set(this.keys.response(key), JSON.stringify(value), 'PX', ttlMs, 'NX');
  }
}
