import type { Redis } from 'ioredis';
import type { EventLog, EventReadOptions, LoggedEvent } from '../ports.ts';
import { storeDefaults } from '../store-options.ts';
import type { RedisKeys } from './redis-keys.ts';

type StreamEntry = [id: string, fields: string[]] | null;

/**
 * The event log on a Redis Stream with consumer groups: XADD to append (length capped), XAUTOCLAIM
 * to take over events a dead consumer left unacknowledged, XREADGROUP for new ones, XACK when done.
 * Needs Redis 6.2 or newer.
 */
export class RedisEventLog implements EventLog {
  private readonly knownGroups = new Set<string>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly now: () => number,
  ) {}

  async append(type: string, payload: unknown): Promise<string> {
    const id = await this.redis.xadd(
      this.keys.events(),
      'MAXLEN',
      '~',
      storeDefaults.maxEvents,
      '*',
      'type',
      type,
      'at',
      String(this.now()),
      'payload',
      JSON.stringify(payload ?? null),
    );
    return id as string;
  }

  async read(group: string, consumer: string, options: EventReadOptions = {}): Promise<LoggedEvent[]> {
    return this.withGroup(group, () => this.readFrom(group, consumer, options));
  }

  private async readFrom(group: string, consumer: string, options: EventReadOptions): Promise<LoggedEvent[]> {
    const count = options.count ?? storeDefaults.eventReadCount;
    const reclaimAfterMs = options.reclaimAfterMs ?? storeDefaults.eventReclaimAfterMs;
    const key = this.keys.events();
    const out: LoggedEvent[] = [];

    let cursor = '0-0';
    do {
      const [next, entries] = (await this.redis.xautoclaim(
        key,
        group,
        consumer,
        reclaimAfterMs,
        cursor,
        'COUNT',
        count - out.length,
      )) as [string, StreamEntry[], string[]?];
      for (const entry of entries) {
        // A reclaimed event was handed out at least once before (XAUTOCLAIM does not say how often).
        if (entry) out.push(toEvent(entry, 1));
      }
      cursor = next;
    } while (cursor !== '0-0' && out.length < count);

    if (out.length < count) {
      const result = (await this.redis.xreadgroup(
        'GROUP',
        group,
        consumer,
        'COUNT',
        count - out.length,
        'STREAMS',
        key,
        '>',
      )) as [string, StreamEntry[]][] | null;
      for (const entry of result?.[0]?.[1] ?? []) if (entry) out.push(toEvent(entry, 0));
    }
    return out;
  }

  async ack(group: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.withGroup(group, () => this.redis.xack(this.keys.events(), group, ...ids));
  }

  async pendingCount(group: string): Promise<number> {
    return this.withGroup(group, async () => {
      const summary = (await this.redis.xpending(this.keys.events(), group)) as [number, ...unknown[]];
      return Number(summary[0]);
    });
  }

  /** Runs with the group in place; recreates it once if the stream was deleted meanwhile (NOGROUP). */
  private async withGroup<T>(group: string, work: () => Promise<T>): Promise<T> {
    await this.ensureGroup(group);
    try {
      return await work();
    } catch (error) {
      if (!String((error as Error).message).startsWith('NOGROUP')) throw error;
      this.knownGroups.delete(group);
      await this.ensureGroup(group);
      return work();
    }
  }

  /** Creates the group reading from the start, so events appended before it existed are not missed. */
  private async ensureGroup(group: string): Promise<void> {
    if (this.knownGroups.has(group)) return;
    try {
      await this.redis.xgroup('CREATE', this.keys.events(), group, '0', 'MKSTREAM');
    } catch (error) {
      // BUSYGROUP: another process (or an earlier run) created it; that is the wanted state.
      if (!String((error as Error).message).startsWith('BUSYGROUP')) throw error;
    }
    this.knownGroups.add(group);
  }
}

function toEvent([id, fields]: [string, string[]], deliveries: number): LoggedEvent {
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) values.set(fields[i] as string, fields[i + 1] as string);
  return {
    id,
    type: values.get('type') ?? '',
    payload: JSON.parse(values.get('payload') ?? 'null'),
    at: Number(values.get('at') ?? 0),
    deliveries,
  };
}
