import type { Redis } from 'ioredis';
import { SupportBotError } from '../../core/errors.ts';
import type { Ticket } from '../../core/ticket.ts';
import type { TicketFilter, TicketStore } from '../ports.ts';
import { readTicket, writeRecord } from '../record-schemas.ts';
import { storeDefaults } from '../store-options.ts';
import { compareNewestFirst, listingOf, matchesTicketFilter } from '../ticket-listing.ts';
import { LuaScript } from './lua-script.ts';
import type { RedisKeys } from './redis-keys.ts';

/** Compare-and-set of one hash field: writes only if nobody changed it since it was read. */
const compareAndSet = new LuaScript(
  `if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
     redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
     return 1
   end
   return 0`,
  1,
);

const MAX_UPDATE_ATTEMPTS = 100;

/**
 * Tickets as versioned JSON records in one hash. `update` is optimistic: read, change, and write
 * with a compare-and-set script; on a conflict (another process wrote in between) read again.
 */
export class RedisTicketStore implements TicketStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly warn: (message: string) => void,
  ) {}

  async nextId(): Promise<string> {
    const n = await this.redis.incr(this.keys.ticketSeq());
    return `${storeDefaults.ticketPrefix}${storeDefaults.firstTicketNumber - 1 + n}`;
  }

  /** Reserves `count` ticket numbers at once (for use while Redis is away). */
  async reserveIds(count: number): Promise<string[]> {
    const last = await this.redis.incrby(this.keys.ticketSeq(), count);
    return Array.from(
      { length: count },
      (_, i) => `${storeDefaults.ticketPrefix}${storeDefaults.firstTicketNumber - 1 + last - count + 1 + i}`,
    );
  }

  /** Writes a ticket as it is, created or not (replaying a spooled change). */
  async put(ticket: Ticket): Promise<void> {
    await this.redis.hset(this.keys.tickets(), ticket.id, writeRecord(ticket));
  }

  async create(ticket: Ticket): Promise<void> {
    const created = await this.redis.hsetnx(this.keys.tickets(), ticket.id, writeRecord(ticket));
    if (created === 0) throw new SupportBotError('ticket_exists', `Ticket ${ticket.id} exists already.`);
  }

  async get(id: string): Promise<Ticket | undefined> {
    const text = await this.redis.hget(this.keys.tickets(), id);
    return text === null ? undefined : this.read(id, text);
  }

  async update(id: string, change: (ticket: Ticket) => Ticket): Promise<Ticket | undefined> {
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const before = await this.redis.hget(this.keys.tickets(), id);
      if (before === null) return undefined;
      const current = this.read(id, before);
      if (!current) return undefined;
      const next = change(current);
      if (next.id !== id) {
        throw new SupportBotError('ticket_id_changed', `An update may not change the id of ${id}.`);
      }
      const after = writeRecord(next);
      const written = await compareAndSet.run(this.redis, [this.keys.tickets()], [id, before, after]);
      if (written === 1) return JSON.parse(JSON.stringify(next)) as Ticket;
      // Lost the race: back off a little, randomised, so the contenders spread out.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt + 1, 10)));
    }
    throw new SupportBotError('ticket_update_conflict', `Ticket ${id} kept changing; update gave up.`);
  }

  async list(filter?: TicketFilter): Promise<Ticket[]> {
    const all = await this.redis.hgetall(this.keys.tickets());
    const tickets: Ticket[] = [];
    for (const [id, text] of Object.entries(all)) {
      const ticket = this.read(id, text);
      if (ticket && matchesTicketFilter(listingOf(ticket), filter)) tickets.push(ticket);
    }
    return tickets.sort((a, b) => compareNewestFirst(listingOf(a), listingOf(b)));
  }

  private read(id: string, text: string): Ticket | undefined {
    const result = readTicket(text);
    if (result.ok) return result.value;
    this.warn(`ticket ${id} is unreadable and skipped: ${result.problem}`);
    return undefined;
  }
}
