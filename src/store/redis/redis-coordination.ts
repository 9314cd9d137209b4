import type { Redis } from 'ioredis';
import type { FaqEntry } from '../../core/faq-entry.ts';
import type { Language } from '../../core/language.ts';
import type {
  KnowledgeRevision,
  KnowledgeSnapshot,
  KnowledgeStore,
  SlaTimer,
  SlaTimerStore,
} from '../../core/ports.ts';
import { luaScript } from './lua-script.ts';
import { RedisChangeFeed } from './redis-change-feed.ts';
import type { RedisKeys } from './redis-keys.ts';

/** Leases due timers: their score moves to the lease end. KEYS: due, at. ARGV: now, lease ms, limit. */
const claimDueTimers = luaScript('claim-due-timers', 2);

/** Removes all timers of a ticket. KEYS: due, at, the ticket's set. */
const cancelTicketTimers = luaScript('cancel-ticket-timers', 3);

const timerMember = (ticketId: string, name: string): string => `${ticketId}|${name}`;

function parseTimer(member: string, dueAt: string | number): SlaTimer {
  const sep = member.indexOf('|');
  return { ticketId: member.slice(0, sep), name: member.slice(sep + 1), dueAt: Number(dueAt) };
}

export class RedisSlaTimers implements SlaTimerStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async schedule(timer: SlaTimer): Promise<void> {
    const member = timerMember(timer.ticketId, timer.name);
    await this.redis
      .multi()
      .zadd(this.keys.slaDue(), timer.dueAt, member)
      .hset(this.keys.slaAt(), member, String(timer.dueAt))
      .sadd(this.keys.slaOfTicket(timer.ticketId), member)
      .exec();
  }

  async cancel(ticketId: string, name?: string): Promise<void> {
    if (name === undefined) {
      await cancelTicketTimers.run(
        this.redis,
        [this.keys.slaDue(), this.keys.slaAt(), this.keys.slaOfTicket(ticketId)],
        [],
      );
      return;
    }
    const member = timerMember(ticketId, name);
    await this.redis
      .multi()
      .zrem(this.keys.slaDue(), member)
      .hdel(this.keys.slaAt(), member)
      .srem(this.keys.slaOfTicket(ticketId), member)
      .exec();
  }

  async claimDue(now: number, leaseMs: number, limit = 100): Promise<SlaTimer[]> {
    const flat = (await claimDueTimers.run(
      this.redis,
      [this.keys.slaDue(), this.keys.slaAt()],
      [now, leaseMs, limit],
    )) as string[];
    const timers: SlaTimer[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2)
      timers.push(parseTimer(flat[i] as string, flat[i + 1] as string));
    return timers.sort((a, b) => a.dueAt - b.dueAt);
  }

  done(ticketId: string, name: string): Promise<void> {
    return this.cancel(ticketId, name);
  }

  async list(): Promise<SlaTimer[]> {
    const all = await this.redis.hgetall(this.keys.slaAt());
    return Object.entries(all)
      .map(([member, dueAt]) => parseTimer(member, dueAt))
      .sort((a, b) => a.dueAt - b.dueAt || (a.ticketId < b.ticketId ? -1 : 1));
  }
}

/**
 * Records a knowledge change under the next version. KEYS: version, current, history.
 * ARGV: field, revision JSON without the version, history cap. Returns the full revision JSON.
 */
const recordKnowledgeChange = luaScript('record-knowledge-change', 3);

const HISTORY_CAP = 50;

/**
 * Records many knowledge changes under one next version (an import), atomically. KEYS: version,
 * current, then one history key per change. ARGV: history cap, then field and revision JSON
 * (without the version) per change. Returns the version.
 */
const recordKnowledgeChanges = luaScript('record-knowledge-changes', -1);

/**
 * Versioned FAQ edits. Every change is published on a channel; each process's subscriber tells its
 * listeners, and after a reconnect it compares versions, so a change missed meanwhile still arrives.
 */
export class RedisKnowledgeStore implements KnowledgeStore {
  private readonly feed: RedisChangeFeed;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly now: () => number,
    warn: (message: string) => void,
  ) {
    this.feed = new RedisChangeFeed(
      redis,
      keys.knowledgeChannel(),
      keys.knowledgeVersion(),
      'knowledge',
      warn,
    );
  }

  async current(): Promise<KnowledgeSnapshot> {
    const [version, all] = await Promise.all([
      this.redis.get(this.keys.knowledgeVersion()),
      this.redis.hgetall(this.keys.knowledgeCurrent()),
    ]);
    const revisions = Object.values(all).map((json) => JSON.parse(json) as KnowledgeRevision);
    return {
      version: Number(version ?? 0),
      entries: revisions.flatMap((r) => (r.entry ? [r.entry] : [])),
      removed: revisions.filter((r) => !r.entry).map((r) => ({ id: r.id, language: r.language })),
    };
  }

  save(entry: KnowledgeRevision['entry'] & object, actor: string): Promise<KnowledgeRevision> {
    return this.change({ at: this.now(), actor, id: entry.id, language: entry.language, entry });
  }

  remove(id: string, language: Language, actor: string): Promise<KnowledgeRevision> {
    return this.change({ at: this.now(), actor, id, language });
  }

  async saveMany(entries: readonly FaqEntry[], actor: string): Promise<KnowledgeRevision[]> {
    if (entries.length === 0) return [];
    const at = this.now();
    const revisions = entries.map((entry) => ({ at, actor, id: entry.id, language: entry.language, entry }));
    const version = Number(
      await recordKnowledgeChanges.run(
        this.redis,
        [
          this.keys.knowledgeVersion(),
          this.keys.knowledgeCurrent(),
          ...revisions.map((r) => this.keys.knowledgeHistory(r.id, r.language)),
        ],
        [HISTORY_CAP, ...revisions.flatMap((r) => [`${r.id}|${r.language}`, JSON.stringify(r)])],
      ),
    );
    await this.feed.publish(version);
    return revisions.map((r) => ({ version, ...r }));
  }

  async history(id: string, language: Language): Promise<KnowledgeRevision[]> {
    const items = await this.redis.lrange(this.keys.knowledgeHistory(id, language), 0, -1);
    return items.map((json) => JSON.parse(json) as KnowledgeRevision);
  }

  onChange(listener: (version: number) => void): () => void {
    return this.feed.onChange(listener);
  }

  close(): Promise<void> {
    return this.feed.close();
  }

  private async change(revision: Omit<KnowledgeRevision, 'version'>): Promise<KnowledgeRevision> {
    const field = `${revision.id}|${revision.language}`;
    const json = (await recordKnowledgeChange.run(
      this.redis,
      [
        this.keys.knowledgeVersion(),
        this.keys.knowledgeCurrent(),
        this.keys.knowledgeHistory(revision.id, revision.language),
      ],
      [field, JSON.stringify(revision), HISTORY_CAP],
    )) as string;
    const full = JSON.parse(json) as KnowledgeRevision;
    await this.feed.publish(full.version);
    return full;
  }
}
