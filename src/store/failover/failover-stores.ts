import type { Redis } from 'ioredis';
import type { Announcement } from '../../core/announcement.ts';
import type { Conversation } from '../../core/conversation.ts';
import { RuntimeError, StoreError, SupportBotError } from '../../core/errors.ts';
import type { Ticket } from '../../core/ticket.ts';
import { ticketFigures } from '../../core/ticket-figures.ts';
import type { ConversationWrite, Stores, WebAccess } from '../ports.ts';
import { RedisConversationStore } from '../redis/redis-conversations.ts';
import { RedisCounterStore } from '../redis/redis-counter-store.ts';
import { createRedisClient, type RedisStoreOptions, redisStoresOn } from '../redis/redis-stores.ts';
import { RedisTicketStore } from '../redis/redis-ticket-store.ts';
import { defaultStoreWarn } from '../store-options.ts';
import { compareNewestFirst, listingOf, matchesTicketFilter } from '../ticket-listing.ts';
import { Spool, type SpooledWrite } from './spool.ts';

export interface FailoverStoreOptions extends RedisStoreOptions {
  /** Where the spool lives (`<dataDir>/spool-<n>`); without it the spool is in memory. */
  dataDir?: string | undefined;
  /** How often a non-empty spool is written to Redis. Default 1 s. */
  drainIntervalMs?: number | undefined;
}

/** Ticket numbers kept in reserve, for hand-offs while Redis is away. */
const RESERVE_LOW = 10;
const RESERVE_BATCH = 25;
/** Web credentials remembered per process for an outage: a few MB at most. */
const SEEN_WEB_ACCESS = 20_000;

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
  /** The announcements as last read, told to customers while Redis is away. */
  private lastAnnouncements: Announcement[] = [];
  private readonly tickets: RedisTicketStore;
  private readonly conversations: RedisConversationStore;
  private readonly timer: NodeJS.Timeout;
  private draining: Promise<void> | undefined;
  private reserving: Promise<void> | undefined;
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
    return {
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
        nextId: () => this.nextTicketId(),
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
      queues: {
        enqueue: (queue, ticketId) =>
          this.write({ port: 'queues', method: 'enqueue', args: [queue, ticketId] }),
        remove: (queue, ticketId) =>
          this.write({ port: 'queues', method: 'remove', args: [queue, ticketId] }),
        position: (queue, ticketId) =>
          this.read(
            () => (this.spooledQueueEntries(queue).includes(ticketId) ? 1 : undefined),
            this.spooledQueueEntries(queue).includes(ticketId),
            () => remote.queues.position(queue, ticketId),
          ),
        list: (queue) =>
          this.read(
            () => this.spooledQueueEntries(queue),
            false,
            () => remote.queues.list(queue),
          ),
      },
      feedback: {
        add: (feedback) => this.write({ port: 'feedback', method: 'add', args: [feedback] }),
        list: (limit) => remote.feedback.list(limit),
      },
      unanswered: {
        add: async (question) => {
          try {
            if (this.ready() && this.spool.size === 0) return await remote.unanswered.add(question);
          } catch (error) {
            if (!isAway(error)) throw error;
          }
          await this.write({ port: 'unanswered', method: 'add', args: [question] });
          return { ...question, id: `spooled-${this.now().toString(36)}`, status: 'open' };
        },
        list: (status) => remote.unanswered.list(status),
        setStatus: (id, status) => remote.unanswered.setStatus(id, status),
      },
      audit: {
        append: (event) => this.write({ port: 'audit', method: 'append', args: [event] }),
        list: (limit) => remote.audit.list(limit),
      },
      counters: {
        increment: (name, day, by) =>
          this.write({ port: 'counters', method: 'increment', args: [name, day, by] }),
        get: (day) => remote.counters.get(day),
      },
      slaTimers: {
        schedule: (timer) => this.write({ port: 'slaTimers', method: 'schedule', args: [timer] }),
        cancel: (ticketId, name) =>
          this.write({ port: 'slaTimers', method: 'cancel', args: [ticketId, name] }),
        claimDue: (now, leaseMs, limit) => remote.slaTimers.claimDue(now, leaseMs, limit),
        done: (ticketId, name) => remote.slaTimers.done(ticketId, name),
        list: () => remote.slaTimers.list(),
      },
      knowledge: remote.knowledge,
      // Accounts and settings are changed by people, who see an error while Redis is away.
      accounts: remote.accounts,
      settings: remote.settings,
      announcements: {
        get: (id) => remote.announcements.get(id),
        put: (announcement) => remote.announcements.put(announcement),
        // Customers are still told of announcements while Redis is away: the last list read.
        list: async () => {
          try {
            if (this.ready()) this.lastAnnouncements = await remote.announcements.list();
          } catch (error) {
            if (!isAway(error)) throw error;
          }
          return structuredClone(this.lastAnnouncements);
        },
      },
      questions: {
        add: (question) => this.write({ port: 'questions', method: 'add', args: [question] }),
        addOutcome: (outcome) => this.write({ port: 'questions', method: 'addOutcome', args: [outcome] }),
        list: (limit) => remote.questions.list(limit),
        outcomes: (limit) => remote.questions.outcomes(limit),
      },
      // Pushed web replies wait for Redis: a failed push is retried by the outbox, a poll answers
      // "not now" meanwhile.
      webEvents: remote.webEvents,
      // Redis-shared limits; each process limits on its own while Redis is away.
      limits: remote.limits,
      webAccess: {
        issue: async (id, access) => {
          if (this.localWebAccess.get(id)) return false;
          if (this.ready() && this.spool.size === 0) {
            try {
              const issued = await remote.webAccess.issue(id, access);
              if (issued) this.rememberSeen(id, access);
              return issued;
            } catch (error) {
              if (!isAway(error)) throw error;
            }
          }
          await this.write({ port: 'webAccess', method: 'issue', args: [id, access] });
          return true;
        },
        get: (id) =>
          this.read(
            () => structuredClone(this.localWebAccess.get(id) ?? this.seenWebAccess.get(id)),
            this.localWebAccess.has(id),
            async () => {
              const access = await remote.webAccess.get(id);
              this.rememberSeen(id, access);
              return access;
            },
          ),
        forget: (id) => this.write({ port: 'webAccess', method: 'forget', args: [id] }),
      },
      responses: {
        get: (key) =>
          this.read(
            () => undefined,
            false,
            () => remote.responses.get(key),
          ),
        put: (key, value, ttlMs) =>
          this.write({ port: 'responses', method: 'put', args: [key, value, ttlMs] }),
      },
      // Effects are added through the spool while Redis is away (nothing accepted is lost) and
      // delivered once it is back; taking and finishing need Redis.
      outbox: {
        add: async (items) => {
          try {
            if (this.ready() && this.spool.size === 0) return await remote.outbox.add(items);
          } catch (error) {
            if (!isAway(error)) throw error;
          }
          await this.write({ port: 'outbox', method: 'add', args: [items] });
        },
        take: (consumer, max, leaseMs) => remote.outbox.take(consumer, max, leaseMs),
        done: (item, consumer) => remote.outbox.done(item, consumer),
        retry: (item, consumer, retryAt) => remote.outbox.retry(item, consumer, retryAt),
        extend: (items, consumer, leaseMs) => remote.outbox.extend(items, consumer, leaseMs),
        size: () => remote.outbox.size(),
      },
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
    } else if (this.ready() && this.spool.size === 0) {
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

  /** Keeps the most recently used credentials, a bounded number, oldest dropped first. */
  private rememberSeen(id: string, access: WebAccess | undefined): void {
    this.seenWebAccess.delete(id);
    if (!access) return;
    this.seenWebAccess.set(id, structuredClone(access));
    if (this.seenWebAccess.size > SEEN_WEB_ACCESS) {
      const oldest = this.seenWebAccess.keys().next().value;
      if (oldest !== undefined) this.seenWebAccess.delete(oldest);
    }
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
        // Another process wrote it while this one could not reach Redis: theirs stands.
        this.warn(
          `conversation ${conversation.id} changed elsewhere while Redis was away; the spooled change was not applied`,
        );
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

  /**
   * Ticket numbers come in blocks reserved from Redis: one process numbers its tickets in order,
   * several processes interleave blocks (unique, but not in time order across processes), and a
   * process keeps numbering from its reserve while Redis is away.
   */
  private async nextTicketId(): Promise<string> {
    for (;;) {
      const reserved = this.spool.takeReservedId();
      if (reserved) return reserved;
      if (!this.ready()) break;
      try {
        await this.ensureReserve(1);
      } catch (error) {
        if (!isAway(error)) throw error;
        break;
      }
    }
    throw new StoreError('store_unavailable', 'Redis is away and no reserved ticket number is left.');
  }

  /** One reservation at a time, so the reserve stays in ascending order. */
  private async ensureReserve(atLeast: number): Promise<void> {
    while (this.reserving) await this.reserving;
    if (this.spool.reservedCount >= atLeast) return;
    this.reserving = this.tickets
      .reserveIds(RESERVE_BATCH)
      .then((ids) => this.spool.addReservedIds(ids))
      .finally(() => {
        this.reserving = undefined;
      });
    await this.reserving;
  }

  /** Background: write the spool to Redis and keep the ticket number reserve filled. */
  private async maintain(): Promise<void> {
    if (this.closed || !this.ready()) return;
    try {
      if (this.spool.size > 0) await this.drain();
      if (this.spool.reservedCount < RESERVE_LOW)
        this.spool.addReservedIds(await this.tickets.reserveIds(RESERVE_BATCH));
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

const AWAY =
  /Connection is closed|MaxRetriesPerRequest|timed out|Stream isn't writeable|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|^LOADING|^READONLY|^CLUSTERDOWN|^TRYAGAIN|^MASTERDOWN/;

/** A connection problem (retry later), as opposed to an answer from Redis or a bug. */
export function isAway(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof SupportBotError) return false;
  return AWAY.test(error.message) || AWAY.test(error.name);
}
