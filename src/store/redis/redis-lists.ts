import type { Redis } from 'ioredis';
import type {
  AuditEvent,
  AuditLog,
  Feedback,
  FeedbackStore,
  UnansweredQuestion,
  UnansweredStore,
} from '../../core/ports.ts';
import { luaScript } from './lua-script.ts';
import type { RedisKeys } from './redis-keys.ts';

/** A capped list, newest first: LPUSH then LTRIM in one transaction. */
export class CappedRedisList<T> {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly cap: number,
  ) {}

  async push(item: T): Promise<void> {
    await this.redis
      .multi()
      .lpush(this.key, JSON.stringify(item))
      .ltrim(this.key, 0, this.cap - 1)
      .exec();
  }

  async newest(limit?: number): Promise<T[]> {
    const count = Math.min(limit ?? this.cap, this.cap);
    if (count <= 0) return [];
    const items = await this.redis.lrange(this.key, 0, count - 1);
    return items.map((text) => JSON.parse(text) as T);
  }
}

export class RedisFeedbackStore implements FeedbackStore {
  private readonly items: CappedRedisList<Feedback>;
  constructor(redis: Redis, keys: RedisKeys, cap: number) {
    this.items = new CappedRedisList(redis, keys.feedback(), cap);
  }
  add(feedback: Feedback): Promise<void> {
    return this.items.push(feedback);
  }
  list(limit?: number): Promise<Feedback[]> {
    return this.items.newest(limit);
  }
}

export class RedisAuditLog implements AuditLog {
  private readonly log: CappedRedisList<AuditEvent>;
  constructor(redis: Redis, keys: RedisKeys, cap: number) {
    this.log = new CappedRedisList(redis, keys.audit(), cap);
  }
  append(event: AuditEvent): Promise<void> {
    return this.log.push(event);
  }
  list(limit?: number): Promise<AuditEvent[]> {
    return this.log.newest(limit);
  }
}

/**
 * Adds a question under the next number and drops the oldest beyond the cap, atomically.
 * KEYS: seq, data, status, order. ARGV: id prefix, question JSON without id/status, cap.
 * The id is spliced into the JSON here so the script does not need to re-encode it.
 */
const addQuestion = luaScript('add-question', 4);

/** Sets a status only for a question that exists. KEYS: data, status. ARGV: id, status. */
const setQuestionStatus = luaScript('set-question-status', 2);

export class RedisUnansweredStore implements UnansweredStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly cap: number,
  ) {}

  async add(question: Omit<UnansweredQuestion, 'id' | 'status'>): Promise<UnansweredQuestion> {
    const k = this.keys;
    const id = (await addQuestion.run(
      this.redis,
      [k.unansweredSeq(), k.unansweredData(), k.unansweredStatus(), k.unansweredOrder()],
      ['UQ-', JSON.stringify(question), this.cap],
    )) as string;
    return { ...JSON.parse(JSON.stringify(question)), id, status: 'open' };
  }

  async list(status?: UnansweredQuestion['status']): Promise<UnansweredQuestion[]> {
    const k = this.keys;
    const ids = await this.redis.zrevrange(k.unansweredOrder(), 0, -1);
    if (ids.length === 0) return [];
    const [data, statuses] = await Promise.all([
      this.redis.hmget(k.unansweredData(), ...ids),
      this.redis.hmget(k.unansweredStatus(), ...ids),
    ]);
    const out: UnansweredQuestion[] = [];
    ids.forEach((id, i) => {
      const text = data[i];
      const current = statuses[i] as UnansweredQuestion['status'] | null | undefined;
      if (!text || !current || (status !== undefined && current !== status)) return;
      out.push({ ...(JSON.parse(text) as Omit<UnansweredQuestion, 'id' | 'status'>), id, status: current });
    });
    return out;
  }

  async setStatus(id: string, status: UnansweredQuestion['status']): Promise<void> {
    await setQuestionStatus.run(
      this.redis,
      [this.keys.unansweredData(), this.keys.unansweredStatus()],
      [id, status],
    );
  }
}
