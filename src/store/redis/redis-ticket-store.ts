import type { Redis } from 'ioredis';
import { StoreError } from '../../core/errors.ts';
import type { TicketFilter, TicketStore } from '../../core/ports.ts';
import { TICKET_STATUSES, type Ticket } from '../../core/ticket.ts';
import { type TicketFigures, ticketFigures } from '../../core/ticket-figures.ts';
import { readTicket, writeRecord } from '../record-schemas.ts';
import { storeDefaults } from '../store-options.ts';
import {
  compareNewestFirst,
  listingOf,
  matchesTicketFilter,
  parseListing,
  type TicketListing,
} from '../ticket-listing.ts';
import { luaScript } from './lua-script.ts';
import type { RedisKeys } from './redis-keys.ts';

/** KEYS of every write script: records, listings, figures, one set per status (see indexKeys). */
const KEYS = 3 + TICKET_STATUSES.length;

/** Creates a ticket unless the id exists. ARGV: id, record, listing, status place, figures. */
const createTicket = luaScript('create-ticket', KEYS);

/** Writes a ticket as it is. ARGV: id, record, listing, status place, figures. */
const putTicket = luaScript('put-ticket', KEYS);

/**
 * Compare-and-set: writes only if nobody changed the ticket since it was read.
 * ARGV: id, record, listing, status place, figures, the record as read.
 */
const compareAndSet = luaScript('compare-and-set-ticket', KEYS);

/**
 * Indexes a ticket written by an older version (no listing or no figures yet).
 * ARGV: id, (unused), listing, status place, figures.
 */
const indexIfMissing = luaScript('index-if-missing', KEYS);

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
    const listings = await this.listings(filter);
    return this.records(
      listings.map((listing) => listing.id),
      filter,
    );
  }

  /** The records of these tickets, in this order, that pass the filter. */
  private async records(ids: readonly string[], filter?: TicketFilter): Promise<Ticket[]> {
    const tickets: Ticket[] = [];
    (await this.hmget(this.keys.tickets(), ids)).forEach((text, i) => {
      const ticket = text === null ? undefined : this.read(ids[i] as string, text);
      // The record decides: an index entry can only be behind it (an older version wrote the ticket).
      if (ticket && matchesTicketFilter(listingOf(ticket), filter)) tickets.push(ticket);
    });
    return tickets;
  }

  /**
   * The figures kept beside each ticket, written by the same script as its record: a month of
   * reports reads these small entries instead of every ticket's transcript and events. (A
   * version before figures that changes a ticket leaves its figures behind until the next write
   * by this one, as it leaves the listing.)
   */
  async listFigures(filter?: TicketFilter): Promise<TicketFigures[]> {
    // The figures carry every field a filter asks but the customer: then they are read alone.
    if (filter?.customerId === undefined) return this.figuresAlone(filter);
    const listings = await this.listings(filter);
    const kept = await this.hmget(
      this.keys.ticketFigures(),
      listings.map((listing) => listing.id),
    );
    const figures: TicketFigures[] = [];
    const missing: string[] = [];
    kept.forEach((text, i) => {
      if (text === null) missing.push((listings[i] as TicketListing).id);
      else figures.push(JSON.parse(text) as TicketFigures);
    });
    if (missing.length === 0) return figures;
    // Written meanwhile by a version that keeps no figures: its record says.
    const byId = new Map(figures.map((f) => [f.id, f]));
    for (const ticket of await this.records(missing, filter)) byId.set(ticket.id, ticketFigures(ticket));
    return listings.flatMap((listing) => byId.get(listing.id) ?? []);
  }

  /** listFigures without the listings: the figures of the tickets asked, filtered and sorted. */
  private async figuresAlone(filter?: TicketFilter): Promise<TicketFigures[]> {
    await this.indexOlderTickets();
    const texts = filter?.status
      ? await this.hmget(
          this.keys.ticketFigures(),
          await this.redis.sunion(...filter.status.map((status) => this.keys.ticketsWithStatus(status))),
        )
      : await this.redis.hvals(this.keys.ticketFigures());
    const figures: TicketFigures[] = [];
    for (const text of texts) {
      if (text === null) continue;
      const f = JSON.parse(text) as TicketFigures;
      if (matchesTicketFilter(f, filter)) figures.push(f);
    }
    return figures.sort(compareNewestFirst);
  }

  /** The listings that pass the filter, newest first. */
  private async listings(filter?: TicketFilter): Promise<TicketListing[]> {
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
    return listings.sort(compareNewestFirst);
  }

  /**
   * Tickets an older version wrote have no listing or no figures yet: indexed once, when this
   * process first lists (and again should the counts of records and figures differ).
   */
  private async indexOlderTickets(): Promise<void> {
    const [records, figures] = await Promise.all([
      this.redis.hlen(this.keys.tickets()),
      this.redis.hlen(this.keys.ticketFigures()),
    ]);
    if (records === figures) return;
    const all = await this.redis.hgetall(this.keys.tickets());
    const known = new Set(await this.redis.hkeys(this.keys.ticketFigures()));
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
      this.keys.ticketFigures(),
      ...TICKET_STATUSES.map((status) => this.keys.ticketsWithStatus(status)),
    ];
  }

  /** id, record, listing, status place, figures: what every write script takes. */
  private writeArgs(ticket: Ticket): string[] {
    return [
      ticket.id,
      writeRecord(ticket),
      JSON.stringify(listingOf(ticket)),
      String(TICKET_STATUSES.indexOf(ticket.status) + 1),
      JSON.stringify(ticketFigures(ticket)),
    ];
  }

  private read(id: string, text: string): Ticket | undefined {
    const result = readTicket(text);
    if (result.ok) return result.value;
    this.warn(`ticket ${id} is unreadable and skipped: ${result.problem}`);
    return undefined;
  }
}
