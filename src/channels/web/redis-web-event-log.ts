import type { Redis } from 'ioredis';
import { type Clock, systemClock } from '../../core/clock.ts';
import type { Reply } from '../../core/reply.ts';
import { type Logger, silentLogger } from '../../ops/logger.ts';
import { connectRedis } from '../../store/redis/redis-stores.ts';
import type { WebEvent, WebEventStore } from './web-event-store.ts';

/**
 * Appends replies under the next cursor numbers, atomically. The stored item is built as a string
 * so the reply JSON is kept byte for byte (cjson would turn `[]` into `{}`).
 * KEYS: events list, sequence counter. ARGV: now, max events, ttl ms, reply JSON...
 */
const APPEND = `
local n = #ARGV - 3
local last = redis.call('INCRBY', KEYS[2], n)
for i = 1, n do
  local seq = last - n + i
  redis.call('RPUSH', KEYS[1], '{"seq":' .. seq .. ',"at":' .. ARGV[1] .. ',"reply":' .. ARGV[3 + i] .. '}')
end
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return last`;

export interface RedisWebEventLogOptions {
  url: string;
  /** REDIS_PREFIX, shared with the stores. */
  prefix: string;
  clock?: Clock | undefined;
  log?: Logger | undefined;
  maxEventsPerConversation?: number | undefined;
  /** Conversations untouched this long are forgotten (Redis expires their keys). */
  retentionMs?: number | undefined;
  /** A long poll re-reads this often even without a notification (one lost during a reconnect). */
  recheckMs?: number | undefined;
}

/**
 * Pushed web messages in Redis, for several bot processes: one list and one counter per
 * conversation (hash-tagged, so Redis Cluster keeps them on one slot), and a pub/sub
 * notification that wakes the long polls of every process at once.
 */
export class RedisWebEventLog implements WebEventStore {
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly maxEvents: number;
  private readonly retentionMs: number;
  private readonly recheckMs: number;
  private readonly channel: string;
  /** Set by wakeAll on shutdown: long polls return at once from then on. */
  private stopped = false;

  private constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly options: RedisWebEventLogOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.log = (options.log ?? silentLogger).child({ component: 'web-events' });
    this.maxEvents = options.maxEventsPerConversation ?? 200;
    this.retentionMs = options.retentionMs ?? 14 * 24 * 3_600_000;
    this.recheckMs = options.recheckMs ?? 2_000;
    this.channel = `${options.prefix}web:events`;
  }

  static async open(options: RedisWebEventLogOptions): Promise<RedisWebEventLog> {
    const redis = await connectRedis({ url: options.url });
    // Subscribing takes a connection for itself.
    const subscriber = redis.duplicate();
    const store = new RedisWebEventLog(redis, subscriber, options);
    subscriber.on('message', (_channel: string, conversationId: string) => store.wake(conversationId));
    subscriber.on('error', (error: Error) => store.log.warn('web event subscription error', { error }));
    await subscriber.subscribe(store.channel);
    return store;
  }

  async has(conversationId: string): Promise<boolean> {
    return (await this.redis.exists(this.seqKey(conversationId))) === 1;
  }

  async touch(conversationId: string): Promise<void> {
    const key = this.seqKey(conversationId);
    const created = await this.redis.set(key, '0', 'PX', this.retentionMs, 'NX');
    if (created === null) await this.redis.pexpire(key, this.retentionMs);
  }

  async append(conversationId: string, replies: Reply[]): Promise<WebEvent[]> {
    if (replies.length === 0) return [];
    const now = this.clock.now();
    const last = Number(
      await this.redis.eval(
        APPEND,
        2,
        this.listKey(conversationId),
        this.seqKey(conversationId),
        now,
        this.maxEvents,
        this.retentionMs,
        ...replies.map((r) => JSON.stringify(r)),
      ),
    );
    await this.redis.publish(this.channel, conversationId);
    return replies.map((reply, i) => ({ seq: last - replies.length + 1 + i, at: now, reply }));
  }

  async since(conversationId: string, after: number): Promise<{ events: WebEvent[]; cursor: number }> {
    const [items, seq] = await Promise.all([
      this.redis.lrange(this.listKey(conversationId), 0, -1),
      this.redis.get(this.seqKey(conversationId)),
    ]);
    const events: WebEvent[] = [];
    for (const item of items) {
      try {
        const event = JSON.parse(item) as WebEvent;
        if (event.seq > after) events.push(event);
      } catch (error) {
        this.log.warn('unreadable web event skipped', { conversationId, error });
      }
    }
    return { events, cursor: Math.max(after, Number(seq ?? 0)) };
  }

  async waitFor(conversationId: string, after: number, ms: number): Promise<void> {
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
    await Promise.all([this.subscriber.quit(), this.redis.quit()]);
  }

  private wake(conversationId: string): void {
    for (const wake of [...(this.waiters.get(conversationId) ?? [])]) wake();
  }

  /** Sleeps until a notification for the conversation, a release, or the timeout. */
  private sleep(conversationId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(conversationId) ?? new Set();
      const onWake = () => {
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

  private listKey(conversationId: string): string {
    return `${this.options.prefix}web:{${conversationId}}:events`;
  }

  private seqKey(conversationId: string): string {
    return `${this.options.prefix}web:{${conversationId}}:seq`;
  }
}
