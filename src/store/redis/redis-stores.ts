import { Redis, type RedisOptions } from 'ioredis';
import type { DedupeStore, QueueStore, Stores } from '../ports.ts';
import { redisRateLimits } from '../rate-limits.ts';
import { defaultStoreWarn, type StoreOptions, storeDefaults, systemStoreClock } from '../store-options.ts';
import { LuaScript } from './lua-script.ts';
import { RedisAccountStore, RedisQuestionLog, RedisSettingsStore } from './redis-admin-ports.ts';
import { RedisAnnouncementStore } from './redis-announcements.ts';
import { RedisConversationStore } from './redis-conversations.ts';
import { RedisKnowledgeStore, RedisSlaTimers } from './redis-coordination.ts';
import { RedisCounterStore } from './redis-counter-store.ts';
import { RedisKeys } from './redis-keys.ts';
import { RedisAuditLog, RedisFeedbackStore, RedisUnansweredStore } from './redis-lists.ts';
import { RedisOutbox } from './redis-outbox.ts';
import { RedisPersonalData } from './redis-personal-data.ts';
import { RedisTicketStore } from './redis-ticket-store.ts';
import { RedisResponseStore, RedisWebAccess, RedisWebEvents } from './redis-web-events.ts';

export interface RedisStoreOptions extends StoreOptions {
  /** redis://[user:password@]host:port[/db] or rediss:// for TLS. */
  url: string;
  /** Put before every key, so several bots (or tests) can share one Redis. */
  prefix: string;
  /** Extra ioredis options (timeouts, TLS). */
  redisOptions?: RedisOptions | undefined;
  /** Characters of conversation JSON this process keeps of its own writes (0: none); see RedisConversationStore. */
  conversationCacheChars?: number | undefined;
  /** How often a web long poll re-reads without a notification (one lost in a reconnect). Default 2 s. */
  webEventRecheckMs?: number | undefined;
}

/**
 * First time seen within the TTL? Expiry is checked against the caller's clock (stored value =
 * expiry time), so a manual test clock and Redis agree; PX lets Redis drop the key itself.
 * KEYS: the dedupe key. ARGV: now, expiry time, ttl ms.
 */
const firstSeen = new LuaScript(
  `local v = redis.call('GET', KEYS[1])
   if v and tonumber(v) > tonumber(ARGV[1]) then return 0 end
   redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
   return 1`,
  1,
);

/** Appends a ticket to a queue unless it is in already. KEYS: queue seq, queue. ARGV: ticket id. */
const enqueue = new LuaScript(
  `if redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 0 end
   redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[1]), ARGV[1])
   return 1`,
  2,
);

/** Connects (failing fast when Redis is unreachable) and returns every store port on Redis. */
export async function createRedisStores(options: RedisStoreOptions): Promise<Stores> {
  const redis = await connectRedis(options);
  return redisStoresOn(redis, options, async () => {
    await redis.quit();
  });
}

/** Connects; rejects when Redis is unreachable. */
export async function connectRedis(
  options: Pick<RedisStoreOptions, 'url' | 'redisOptions' | 'warn'>,
): Promise<Redis> {
  const redis = createRedisClient(options);
  await redis.connect();
  return redis;
}

/**
 * A client (not yet connected) that fails commands fast while Redis is away, so callers can fall
 * back, and keeps reconnecting in the background. Connection errors are reported at most every 30 s.
 */
export function createRedisClient(options: Pick<RedisStoreOptions, 'url' | 'redisOptions' | 'warn'>): Redis {
  const warn = options.warn ?? defaultStoreWarn;
  const redis = new Redis(options.url, {
    lazyConnect: true,
    connectTimeout: 5_000,
    commandTimeout: 2_000,
    // A command waits at most one reconnect; the caller decides what to do without Redis.
    maxRetriesPerRequest: 1,
    // Off: auto-pipelining holds each command until the next event-loop turn to batch it, which
    // cost a lone turn about 15 % of its time and gained nothing with 8 turns in flight either
    // (bench/store-bench.ts: 1,760 -> 2,000 and 3,800 -> 4,100 turns/s on this machine).
    enableAutoPipelining: false,
    ...options.redisOptions,
  });
  let lastReport = 0;
  redis.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastReport < 30_000) return;
    lastReport = now;
    warn(`redis: ${error.message} (status ${redis.status})`);
  });
  return redis;
}

/** The store ports on an existing connection; `close` is what closing the stores does. */
export function redisStoresOn(
  redis: Redis,
  options: Omit<RedisStoreOptions, 'url'>,
  close: () => Promise<void>,
): Stores {
  const keys = new RedisKeys(options.prefix);
  const clock = options.clock ?? systemStoreClock;
  const ttl = options.conversationTtlMs ?? storeDefaults.conversationTtlMs;
  const cap = options.listCap ?? storeDefaults.listCap;
  const warn = options.warn ?? defaultStoreWarn;

  const conversations = new RedisConversationStore(redis, keys, {
    clock,
    ttlMs: ttl,
    warn,
    cacheChars: options.conversationCacheChars,
  });

  const dedupe: DedupeStore = {
    async firstSeen(key, ttlMs) {
      const now = clock.now();
      const result = await firstSeen.run(redis, [keys.dedupe(key)], [now, now + ttlMs, ttlMs]);
      return result === 1;
    },
  };

  const queues: QueueStore = {
    async enqueue(queue, ticketId) {
      await enqueue.run(redis, [keys.queueSeq(), keys.queue(queue)], [ticketId]);
    },
    async remove(queue, ticketId) {
      await redis.zrem(keys.queue(queue), ticketId);
    },
    async position(queue, ticketId) {
      const rank = await redis.zrank(keys.queue(queue), ticketId);
      return rank === null ? undefined : rank + 1;
    },
    async list(queue) {
      return redis.zrange(keys.queue(queue), '0', '-1');
    },
  };

  const counters = new RedisCounterStore(redis, keys, warn);

  const now = (): number => clock.now();
  const knowledge = new RedisKnowledgeStore(redis, keys, now, warn);
  const webEvents = new RedisWebEvents(redis, keys, { now, warn, recheckMs: options.webEventRecheckMs });
  const settings = new RedisSettingsStore(redis, keys, warn);
  let closing: Promise<void> | undefined;

  return {
    conversations,
    dedupe,
    tickets: new RedisTicketStore(redis, keys, warn),
    queues,
    feedback: new RedisFeedbackStore(redis, keys, cap),
    unanswered: new RedisUnansweredStore(redis, keys, cap),
    audit: new RedisAuditLog(redis, keys, cap),
    counters,
    slaTimers: new RedisSlaTimers(redis, keys),
    knowledge,
    webEvents,
    webAccess: new RedisWebAccess(redis, keys),
    limits: redisRateLimits(redis, options.prefix),
    responses: new RedisResponseStore(redis, keys),
    accounts: new RedisAccountStore(redis, keys),
    settings,
    questions: new RedisQuestionLog(redis, keys, cap),
    outbox: new RedisOutbox(redis, keys, now),
    announcements: new RedisAnnouncementStore(redis, keys),
    personalData: new RedisPersonalData(redis, keys, conversations),
    health() {
      return redis.status === 'ready'
        ? { status: 'ok' }
        : { status: 'degraded', detail: `redis connection ${redis.status}` };
    },
    close() {
      // Counts still in memory are written first; if Redis is away they are reported lost.
      closing ??= counters
        .close()
        .catch((error: unknown) => warn(`counters not written at close: ${String(error)}`))
        .then(() => knowledge.close())
        .then(() => settings.close())
        .then(() => webEvents.close())
        .then(close);
      return closing;
    },
  };
}
