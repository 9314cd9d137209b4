import type { Redis } from 'ioredis';
import { StoreError } from '../../core/errors.ts';
import { TICKET_STATUSES, type Ticket } from '../../core/ticket.ts';
import { type TicketFigures, ticketFigures } from '../../core/ticket-figures.ts';
import type { TicketFilter, TicketStore } from '../ports.ts';
import { readTicket, writeRecord } from '../record-schemas.ts';
import { storeDefaults } from '../store-options.ts';
import {
  compareNewestFirst,
  listingOf,
  matchesTicketFilter,
  parseListing,
  type TicketListing,
} from '../ticket-listing.ts';
import { LuaScript } from './lua-script.ts';
import type { RedisKeys } from './redis-keys.ts';

/**
 * Keeps a ticket's listing (the fields lists filter and sort on) and its status set in step with
 * its record, in the same script that writes the record: the console and the SLA check then read
 * the small listings and the open tickets instead of every ticket ever written.
 * Shared tail of the write scripts. KEYS: data, listing, one set per status. ARGV[1] id,
 * ARGV[3] listing JSON, ARGV[4] the status's place in TICKET_STATUSES (1-based).
 */
const INDEX = `redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
   for i = 3, #KEYS do redis.call('SREM', KEYS[i], ARGV[1]) end
   redis.call('SADD', KEYS[2 + tonumber(ARGV[4])], ARGV[1])`;

/** Creates a ticket unless the id exists. ARGV: id, record, listing, status place. */
const createTicket = new LuaScript(
  `if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
   ${INDEX}
   return 1`,
  2 + TICKET_STATUSES.length,
);

/** Writes a ticket as it is. ARGV: id, record, listing, status place. */
const putTicket = new LuaScript(
  `redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
   ${INDEX}
   return 1`,
  2 + TICKET_STATUSES.length,
);

/**
 * Compare-and-set: writes only if nobody changed the ticket since it was read.
 * ARGV: id, record, listing, status place, the record as read.
 */
const compareAndSet = new LuaScript(
  `if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[5] then return 0 end
   redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
   ${INDEX}
   return 1`,
  2 + TICKET_STATUSES.length,
);

/** Indexes a ticket written by an older version (no listing yet). ARGV: id, (unused), listing, status place. */
const indexIfMissing = new LuaScript(
  `if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
   ${INDEX}
   return 1`,
  2 + TICKET_STATUSES.length,
);

const MAX_UPDATE_ATTEMPTS = 100;
const HMGET_BATCH = 1000;

/**
 * Tickets as versioned JSON records in one hash, with a listing per ticket and a set of ids per
 * status beside it (see INDEX). `update` is optimistic: read, change, and write with a
 * compare-and-set script; on a conflict (another process wrote in between) read again.
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
    await putTicket.run(this.redis, this.indexKeys(), this.writeArgs(ticket));
  }

  async create(ticket: Ticket): Promise<void> {
    const created = await createTicket.run(this.redis, this.indexKeys(), this.writeArgs(ticket));
    if (created === 0) throw new StoreError('ticket_exists', `Ticket ${ticket.id} exists already.`);
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
        throw new StoreError('ticket_id_changed', `An update may not change the id of ${id}.`);
      }
      const written = await compareAndSet.run(this.redis, this.indexKeys(), [
        ...this.writeArgs(next),
        before,
      ]);
      if (written === 1) return JSON.parse(JSON.stringify(next)) as Ticket;
      // Lost the race: back off a little, randomised, so the contenders spread out.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt + 1, 10)));
    }
    throw new StoreError('ticket_update_conflict', `Ticket ${id} kept changing; update gave up.`);
  }

  async list(filter?: TicketFilter): Promise<Ticket[]> {
    await this.indexOlderTickets();
    const ids = filter?.status
      ? await this.redis.sunion(...filter.status.map((status) => this.keys.ticketsWithStatus(status)))
      : await this.redis.hkeys(this.keys.ticketListings());
    if (ids.length === 0) return [];
    const listings: TicketListing[] = [];
    (await this.hmget(this.keys.ticketListings(), ids)).forEach((text) => {
      const listing = text === null ? undefined : parseListing(text);
      if (listing && matchesTicketFilter(listing, filter)) listings.push(listing);
    });
    if (listings.length === 0) return [];
    listings.sort(compareNewestFirst);
    const records = await this.hmget(
      this.keys.tickets(),
      listings.map((listing) => listing.id),
    );
    const tickets: Ticket[] = [];
    records.forEach((text, i) => {
      const ticket = text === null ? undefined : this.read((listings[i] as TicketListing).id, text);
      // The record decides: an index entry can only be behind it (an older version wrote the ticket).
      if (ticket && matchesTicketFilter(listingOf(ticket), filter)) tickets.push(ticket);
    });
    return tickets;
  }

  /**
   * Figures from the whole records: Redis hands the JSON over anyway, and one place stays the
   * truth (a figures index beside each listing would be one more thing to keep in step).
   */
  async listFigures(filter?: TicketFilter): Promise<TicketFigures[]> {
    return (await this.list(filter)).map(ticketFigures);
  }

  /**
   * Tickets an older version wrote have no listing yet: indexed once, when this process first
   * lists (and again should the counts of records and listings differ).
   */
  private async indexOlderTickets(): Promise<void> {
    const [records, listings] = await Promise.all([
      this.redis.hlen(this.keys.tickets()),
      this.redis.hlen(this.keys.ticketListings()),
    ]);
    if (records === listings) return;
    const all = await this.redis.hgetall(this.keys.tickets());
    const known = new Set(await this.redis.hkeys(this.keys.ticketListings()));
    for (const [id, text] of Object.entries(all)) {
      if (known.has(id)) continue;
      const ticket = this.read(id, text);
      if (ticket) await indexIfMissing.run(this.redis, this.indexKeys(), this.writeArgs(ticket));
    }
  }

  /** HMGET in batches: a call with very many arguments would overflow the stack. */
  private async hmget(key: string, fields: readonly string[]): Promise<(string | null)[]> {
    const out: (string | null)[] = [];
    for (let i = 0; i < fields.length; i += HMGET_BATCH) {
      out.push(...(await this.redis.hmget(key, ...fields.slice(i, i + HMGET_BATCH))));
    }
    return out;
  }

  private indexKeys(): string[] {
    return [
      this.keys.tickets(),
      this.keys.ticketListings(),
      ...TICKET_STATUSES.map((status) => this.keys.ticketsWithStatus(status)),
    ];
  }

  /** id, record, listing, status place: what every write script takes. */
  private writeArgs(ticket: Ticket): string[] {
    return [
      ticket.id,
      writeRecord(ticket),
      JSON.stringify(listingOf(ticket)),
      String(TICKET_STATUSES.indexOf(ticket.status) + 1),
    ];
  }

  private read(id: string, text: string): Ticket | undefined {
    const result = readTicket(text);
    if (result.ok) return result.value;
    this.warn(`ticket ${id} is unreadable and skipped: ${result.problem}`);
    return undefined;
  }
}
