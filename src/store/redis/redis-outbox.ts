import type { Redis } from 'ioredis';
import type { NewOutboxItem, Outbox, OutboxItem } from '../../core/outbox-port.ts';
import { storeDefaults } from '../store-options.ts';
import { luaScript } from './lua-script.ts';
import type { RedisKeys } from './redis-keys.ts';

/*
 * The outbox in Redis. Keys (one hash tag, so each script works on one slot): a list per lane of
 * item JSON, `ready` (lanes with items that no one holds, scored by when their first item is due:
 * 0 now, else the retry time; a take reads only these, not every lane under way, which cut the
 * commands per Slack message with two processes from 88 to 70), `ids` (items waiting), `leased`
 * (lane → lease end; a lane whose lease ran out is taken from here) with `holder` (lane → consumer),
 * `handed` (ids handed out and not finished) and `done:<id>` (delivered ids, expiring).
 */

/**
 * A lane becomes due when its first item is added (scored by that time, so lanes are served
 * oldest first). KEYS: ready, ids. ARGV: done prefix, lane prefix, now, then lane, id, item JSON
 * for each item.
 */
const addItems = luaScript('add-items', 2);

/**
 * Leases due lanes that no one holds and returns their first items, each followed by 1 when it
 * was handed out before and never finished, and by its failed attempts. Items are kept as
 * written (never re-encoded here: cjson would turn an empty array into an object); attempts are
 * counted beside them. KEYS: ready, leased, holder, handed, attempts.
 * ARGV: now, max, lease ms, lane prefix, consumer.
 */
const takeItems = luaScript('take-items', 5);

/**
 * The first item of a lane was delivered; the lane's next item is due now (behind lanes due
 * earlier). KEYS: ready, leased, holder, handed, ids, attempts.
 * ARGV: lane prefix, lane, id, done prefix, done ttl ms, consumer, now.
 */
const doneItem = luaScript('done-item', 6);

/**
 * The first item of a lane failed: it stays first, one attempt more, due at `retryAt`.
 * KEYS: ready, leased, holder, handed, attempts. ARGV: lane prefix, lane, id, retry at, consumer.
 */
const retryItem = luaScript('retry-item', 5);

/** Renews leases the consumer still holds. KEYS: leased, holder. ARGV: lease end, consumer, lanes... */
const extendLeases = luaScript('extend-leases', 2);

export class RedisOutbox implements Outbox {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly now: () => number,
  ) {}

  async add(items: NewOutboxItem[]): Promise<void> {
    if (items.length === 0) return;
    const at = this.now();
    const args: (string | number)[] = [this.keys.outboxDonePrefix(), this.keys.outboxLanePrefix(), at];
    for (const item of items) {
      args.push(item.lane, item.id, JSON.stringify({ ...item, at }));
    }
    await addItems.run(this.redis, [this.keys.outboxReady(), this.keys.outboxIds()], args);
  }

  async take(consumer: string, max: number, leaseMs: number): Promise<OutboxItem[]> {
    const answer = (await takeItems.run(
      this.redis,
      [
        this.keys.outboxReady(),
        this.keys.outboxLeased(),
        this.keys.outboxHolder(),
        this.keys.outboxHanded(),
        this.keys.outboxAttempts(),
      ],
      [this.now(), max, leaseMs, this.keys.outboxLanePrefix(), consumer],
    )) as (string | number)[];
    const items: OutboxItem[] = [];
    for (let i = 0; i < answer.length; i += 3) {
      const stored = JSON.parse(String(answer[i])) as Omit<OutboxItem, 'interrupted' | 'attempts'>;
      items.push({ ...stored, attempts: Number(answer[i + 2]), interrupted: Number(answer[i + 1]) === 1 });
    }
    return items;
  }

  async done(item: OutboxItem, consumer: string): Promise<void> {
    await doneItem.run(
      this.redis,
      [
        this.keys.outboxReady(),
        this.keys.outboxLeased(),
        this.keys.outboxHolder(),
        this.keys.outboxHanded(),
        this.keys.outboxIds(),
        this.keys.outboxAttempts(),
      ],
      [
        this.keys.outboxLanePrefix(),
        item.lane,
        item.id,
        this.keys.outboxDonePrefix(),
        storeDefaults.outboxDoneTtlMs,
        consumer,
        this.now(),
      ],
    );
  }

  async retry(item: OutboxItem, consumer: string, retryAt: number, failed = true): Promise<void> {
    await retryItem.run(
      this.redis,
      [
        this.keys.outboxReady(),
        this.keys.outboxLeased(),
        this.keys.outboxHolder(),
        this.keys.outboxHanded(),
        this.keys.outboxAttempts(),
      ],
      [this.keys.outboxLanePrefix(), item.lane, item.id, retryAt, consumer, failed ? '1' : '0'],
    );
  }

  async extend(items: OutboxItem[], consumer: string, leaseMs: number): Promise<void> {
    if (items.length === 0) return;
    await extendLeases.run(
      this.redis,
      [this.keys.outboxLeased(), this.keys.outboxHolder()],
      [this.now() + leaseMs, consumer, ...items.map((i) => i.lane)],
    );
  }

  async size(): Promise<{ items: number; retrying: number }> {
    const [items, retrying] = await Promise.all([
      this.redis.scard(this.keys.outboxIds()),
      this.redis.zcount(this.keys.outboxReady(), `(${this.now()}`, '+inf'),
    ]);
    return { items, retrying };
  }
}
