import type { Redis } from 'ioredis';
import type { Conversation } from '../../core/conversation.ts';
import { RuntimeError, StoreError, type SupportBotError } from '../../core/errors.ts';
import type { ConversationWrite, Stores } from '../../core/ports.ts';
import type { Ticket } from '../../core/ticket.ts';
import { ticketFigures } from '../../core/ticket-figures.ts';
import type { WebAccess } from '../../core/web-ports.ts';
import { RedisConversationStore } from '../redis/redis-conversations.ts';
import { RedisCounterStore } from '../redis/redis-counter-store.ts';
import { createRedisClient, type RedisStoreOptions, redisStoresOn } from '../redis/redis-stores.ts';
import { RedisTicketStore } from '../redis/redis-ticket-store.ts';
import { defaultStoreWarn } from '../store-options.ts';
import { compareNewestFirst, listingOf, matchesTicketFilter } from '../ticket-listing.ts';
import { failoverWebAccess } from './failover-web-access.ts';
import { describeRefusedChange, mergeRefusedChange } from './refused-change.ts';
import { Spool, type SpooledWrite } from './spool.ts';
import { isAway, lastReadAnnouncements, type SpoolingAccess, spooledPorts } from './spooled-ports.ts';
import { TicketIdReserve } from './ticket-id-reserve.ts';

export interface FailoverStoreOptions extends RedisStoreOptions {
  /** Where the spool lives (`<dataDir>/spool-<n>`); without it the spool is in memory. */
  dataDir?: string | undefined;
  /** How often a non-empty spool is written to Redis. Default 1 s. */
  drainIntervalMs?: number | undefined;
}

/**
 * Redis as the shared store, with a local fallback while Redis is away: the bot keeps answering
 * (conversations and de-duplication fall back to this process's memory), and every write that
 * must not be lost (tickets, queue entries, ticket events, replies, feedback, counters, ...) is
 * spooled to a local file and written to Redis, in order, when it is back. Ticket numbers come
 * from a reserve taken from Redis beforehand, so they stay unique. `health()` says `degraded`
 * while Redis is away or the spool is not yet written. While anything is spooled, new writes
 * queue behind it, so Redis sees them in the order they were accepted.
 */
export async function createFailoverStores(options: FailoverStoreOptions): Promise<Stores> {
  const warn = options.warn ?? defaultStoreWarn;
  const redis = createRedisClient(options);
  try {
    await redis.connect();
  } catch (error) {
    if (!isAway(error)) throw error;
    // Start anyway: answering from the FAQ needs no Redis; writes are spooled until it is there.
    warn(`Redis is not reachable at ${options.url}; starting degraded, writes are spooled locally`);
  }
  const remote = redisStoresOn(redis, options, async () => {
    await redis.quit();
  });
  const spool = Spool.open(options.dataDir, warn);
  return new FailoverStores(redis, remote, spool, options).stores;
}

class FailoverStores {
  readonly stores: Stores;
  /** Written while away (or queued behind the spool): the local truth until drained. */
  private readonly localConversations = new Map<string, Conversation | null>();
  private readonly localTickets = new Map<string, Ticket>();
  /** Web conversations issued while Redis was away: their customers can go on at once. */
  private readonly localWebAccess = new Map<string, WebAccess | null>();
  /** Credentials this process read lately, so their customers go on while Redis is away. */
  private readonly seenWebAccess = new Map<string, WebAccess>();
  /** Only while Redis is away: repeats of an event are still recognised. */
  private readonly localDedupe = new Map<string, number>();
  private readonly tickets: RedisTicketStore;
  private readonly conversations: RedisConversationStore;
  private readonly ticketIds: TicketIdReserve;
  private readonly timer: NodeJS.Timeout;
  private draining: Promise<void> | undefined;
  private closed = false;
  private readonly warn: (message: string) => void;
  private readonly now: () => number;

  constructor(
    private readonly redis: Redis,
    private readonly remote: Stores,
    private readonly spool: Spool,
    options: FailoverStoreOptions,
  ) {
    this.warn = options.warn ?? defaultStoreWarn;
    this.now = () => (options.clock ?? { now: Date.now }).now();
    if (!(remote.tickets instanceof RedisTicketStore))
      throw new RuntimeError('internal_error', 'failover needs the Redis ticket store');
    this.tickets = remote.tickets;
    const tickets = remote.tickets;
    this.ticketIds = new TicketIdReserve(
      spool,
      (count) => tickets.reserveIds(count),
      () => this.ready(),
    );
    if (!(remote.conversations instanceof RedisConversationStore))
      throw new RuntimeError('internal_error', 'failover needs the Redis conversation store');
    this.conversations = remote.conversations;
    for (const write of spool.pending()) this.remember(write);
    this.timer = setInterval(() => void this.maintain(), options.drainIntervalMs ?? 1_000);
    this.timer.unref();
    this.stores = this.build();
    void this.maintain();
  }

  private build(): Stores {
    const { remote } = this;
    const via: SpoolingAccess = {
      remote,
      ready: () => this.ready(),
      spoolSize: () => this.spool.size,
      now: () => this.now(),
      read: (local, preferLocal, fromRemote) => this.read(local, preferLocal, fromRemote),
      write: (write) => this.write(write),
      spooledQueueEntries: (queue) => this.spooledQueueEntries(queue),
    };
    return {
      ...spooledPorts(via),
      conversations: {
        get: (id) =>
          this.read(
            () =>
              this.localConversations.has(id)
                ? (structuredClone(this.localConversations.get(id)) ?? undefined)
                : undefined,
            this.localConversations.has(id),
            () => remote.conversations.get(id),
          ),
        put: (conversation) => this.putConversation(conversation),
        delete: (id) => this.write({ port: 'conversations', method: 'delete', args: [id] }),
      },
      dedupe: {
        firstSeen: async (key, ttlMs) => {
          try {
            if (this.ready()) return await remote.dedupe.firstSeen(key, ttlMs);
          } catch (error) {
            if (!isAway(error)) throw error;
          }
          const now = this.now();
          const until = this.localDedupe.get(key);
          if (until !== undefined && until > now) return false;
          this.localDedupe.set(key, now + ttlMs);
          return true;
        },
      },
      tickets: {
        nextId: () => this.ticketIds.next(),
        create: async (ticket) => {
          if (this.localTickets.has(ticket.id)) {
            throw new StoreError('ticket_exists', `Ticket ${ticket.id} exists already.`);
          }
          await this.write({ port: 'tickets', method: 'create', args: [ticket] });
        },
        get: (id) =>
          this.read(
            () => structuredClone(this.localTickets.get(id)),
            this.localTickets.has(id),
            () => remote.tickets.get(id),
          ),
        update: async (id, change) => {
          const local = this.localTickets.get(id);
          if (!local) return remote.tickets.update(id, change);
          const next = change(structuredClone(local));
          await this.write({ port: 'tickets', method: 'put', args: [next] });
          return structuredClone(next);
        },
        list: async (filter) => {
          let fromRedis: Ticket[] = [];
          try {
            if (this.ready()) fromRedis = await remote.tickets.list(filter);
          } catch (error) {
            if (!isAway(error)) throw error;
          }
          const local = [...this.localTickets.values()].filter((t) =>
            matchesTicketFilter(listingOf(t), filter),
          );
          const merged = new Map(
            [...fromRedis, ...local.map((t) => structuredClone(t))].map((t) => [t.id, t]),
          );
          return [...merged.values()].sort((a, b) => compareNewestFirst(listingOf(a), listingOf(b)));
        },
        listFigures: async (filter) => (await this.stores.tickets.list(filter)).map(ticketFigures),
      },
      webAccess: failoverWebAccess(via, this.localWebAccess, this.seenWebAccess),
      announcements: lastReadAnnouncements(via),
      personalData: {
        erase: async (request) => {
          this.requireRedis('erase a customer’s data');
          for (const id of request.conversationIds) {
            this.localConversations.delete(id);
            this.localWebAccess.delete(id);
            this.seenWebAccess.delete(id);
          }
          return remote.personalData.erase(request);
        },
        expire: async (cutoff) => {
          this.requireRedis('remove data past its retention time');
          return remote.personalData.expire(cutoff);
        },
      },
      health: () => {
        if (!this.ready())
          return { status: 'degraded', detail: `redis ${this.redis.status}; ${this.spoolNote()}` };
        if (this.spool.size > 0) return { status: 'degraded', detail: `redis back; ${this.spoolNote()}` };
        return { status: 'ok' };
      },
      close: async () => {
        if (this.closed) return;
        this.closed = true;
        clearInterval(this.timer);
        await this.draining;
        if (this.ready()) await this.drain();
        this.spool.close();
        await remote.close();
      },
    };
  }

  /**
   * Compare-and-set as Redis does it, against the local copy while one is the newer truth. A
   * spooled write carries the revision it was made on and the one it gives, so writes queued
   * behind it still match when they reach Redis.
   */
  private async putConversation(conversation: Conversation): Promise<ConversationWrite> {
    const { id } = conversation;
    if (this.localConversations.has(id)) {
      const local = this.localConversations.get(id);
      if ((local ? local.revision : undefined) !== conversation.revision) return 'conflict';
    } else if (this.ready()) {
      // The spool holds nothing of this conversation, so nothing of it must reach Redis first:
      // written now, the other processes see it (spooled, they would write over it, and the
      // spooled turn would be refused when it got there).
      try {
        return await this.conversations.put(conversation);
      } catch (error) {
        if (!isAway(error)) throw error;
      }
    }
    const revision = this.conversations.newRevision();
    // A copy: the caller's object gets the new revision below, the spooled write keeps the old one.
    await this.write({
      port: 'conversations',
      method: 'putAt',
      args: [structuredClone(conversation), revision],
    });
    conversation.revision = revision;
    return 'written';
  }

  /** Erasure works on Redis alone: with writes still spooled it could miss some of them. */
  private requireRedis(what: string): void {
    if (this.ready() && this.spool.size === 0) return;
    throw new StoreError(
      'store_unavailable',
      `Cannot ${what} now: Redis is away or writes from its absence are still being written to it. Try again in a minute.`,
    );
  }

  private ready(): boolean {
    return this.redis.status === 'ready';
  }

  private spoolNote(): string {
    return `${this.spool.size} write(s) spooled locally`;
  }

  /** Local data first when it is the newer truth; else Redis; while Redis is away, local or nothing. */
  private async read<T>(local: () => T, preferLocal: boolean, remote: () => Promise<T>): Promise<T> {
    if (preferLocal) return local();
    if (!this.ready()) return local();
    try {
      return await remote();
    } catch (error) {
      if (!isAway(error)) throw error;
      return local();
    }
  }

  /** Straight to Redis when it is there and nothing waits before; otherwise into the spool. */
  private async write(write: SpooledWrite): Promise<void> {
    if (this.closed) throw new StoreError('store_closed', 'The store is closed.');
    if (this.ready() && this.spool.size === 0) {
      try {
        await this.apply(write);
        return;
      } catch (error) {
        if (!isAway(error)) throw error;
      }
    }
    this.spool.add(write);
    this.remember(write);
  }

  /** Keeps what reads need to see of a spooled write. */
  private remember(write: SpooledWrite): void {
    if (write.port === 'conversations') {
      const [arg, revision] = write.args as [Conversation | string, string | undefined];
      if (write.method === 'putAt') {
        const conversation = arg as Conversation;
        this.localConversations.set(conversation.id, { ...structuredClone(conversation), revision });
      } else this.localConversations.set(arg as string, null);
    } else if (write.port === 'tickets') {
      const ticket = write.args[0] as Ticket;
      this.localTickets.set(ticket.id, structuredClone(ticket));
    } else if (write.port === 'webAccess') {
      const [id, access] = write.args as [string, WebAccess | undefined];
      this.seenWebAccess.delete(id);
      this.localWebAccess.set(id, write.method === 'issue' && access ? structuredClone(access) : null);
    }
  }

  private spooledQueueEntries(queue: string): string[] {
    const ids: string[] = [];
    for (const write of this.spool.pending()) {
      if (write.port !== 'queues' || write.args[0] !== queue) continue;
      const id = write.args[1] as string;
      if (write.method === 'enqueue' && !ids.includes(id)) ids.push(id);
      if (write.method === 'remove' && ids.includes(id)) ids.splice(ids.indexOf(id), 1);
    }
    return ids;
  }

  private async apply(write: SpooledWrite, replay = false): Promise<void> {
    // The event log of earlier versions, spooled before an upgrade: the outbox does its work now.
    if (write.port === 'events') return;
    if (write.port === 'conversations' && write.method === 'putAt') {
      const [conversation, revision] = write.args as [Conversation, string];
      if ((await this.conversations.putAt(conversation, revision)) === 'conflict') {
        // Another process wrote it while this one could not reach Redis: theirs stands, with the
        // lines of this turn (the customer's words, the answer they saw) and a ticket it opened.
        const merged = await mergeRefusedChange(
          this.conversations,
          (id) => this.tickets.get(id),
          conversation,
        );
        this.warn(describeRefusedChange(conversation.id, merged));
      }
      return;
    }
    if (write.port === 'tickets' && write.method === 'put') {
      await this.tickets.put(write.args[0] as Ticket);
      return;
    }
    if (replay && write.port === 'counters' && this.remote.counters instanceof RedisCounterStore) {
      // Spooled counts are written for real before the spool forgets them.
      const [name, day, by] = write.args as [string, string, number | undefined];
      await this.remote.counters.incrementNow(name, day, by);
      return;
    }
    const port = this.remote[write.port as keyof Stores] as unknown as Record<
      string,
      (...a: unknown[]) => Promise<unknown>
    >;
    const method = port?.[write.method];
    if (typeof method !== 'function')
      throw new StoreError('store_damaged', `unknown spooled write ${write.port}.${write.method}`);
    await method.apply(port, write.args);
  }

  /** Background: write the spool to Redis and keep the ticket number reserve filled. */
  private async maintain(): Promise<void> {
    if (this.closed || !this.ready()) return;
    try {
      if (this.spool.size > 0) await this.drain();
      await this.ticketIds.topUp();
    } catch (error) {
      if (!isAway(error)) this.warn(`spool maintenance failed: ${String(error)}`);
    }
  }

  private drain(): Promise<void> {
    this.draining ??= this.drainAll().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async drainAll(): Promise<void> {
    while (this.spool.size > 0 && this.ready()) {
      const [write] = this.spool.pending();
      if (!write) break;
      try {
        await this.apply(write, true);
      } catch (error) {
        if (isAway(error)) return;
        // Written before (a restart during the drain): fine. Anything else would block the rest.
        if ((error as SupportBotError).code !== 'ticket_exists') {
          this.warn(
            `spooled ${write.port}.${write.method} could not be written and is dropped: ${String(error)}`,
          );
        }
      }
      this.spool.markDrained();
    }
    if (this.spool.size === 0) {
      this.localConversations.clear();
      this.localTickets.clear();
      this.localDedupe.clear();
      this.localWebAccess.clear();
    }
  }
}
