import type { Announcement } from '../../core/announcement.ts';
import { SupportBotError } from '../../core/errors.ts';
import type { Stores } from '../../core/ports.ts';
import type { SpooledWrite } from './spool.ts';

/** What the ports below need of the failover store: Redis, the spool, and its local reads. */
export interface SpoolingAccess {
  remote: Stores;
  ready(): boolean;
  spoolSize(): number;
  now(): number;
  /** Local data first when it is the newer truth; else Redis; while Redis is away, local or nothing. */
  read<T>(local: () => T, preferLocal: boolean, remote: () => Promise<T>): Promise<T>;
  /** Straight to Redis when it is there and nothing waits before; otherwise into the spool. */
  write(write: SpooledWrite): Promise<void>;
  spooledQueueEntries(queue: string): string[];
}

type SpooledPorts = Omit<
  Stores,
  'conversations' | 'dedupe' | 'tickets' | 'webAccess' | 'announcements' | 'personalData' | 'health' | 'close'
>;

/**
 * The ports whose failover is plain: writes go through the spool while Redis is away, reads come
 * from Redis (or the spool's own entries). Conversations, tickets, de-duplication and web access
 * keep local copies and live in FailoverStores itself.
 */
export function spooledPorts(via: SpoolingAccess): SpooledPorts {
  const { remote } = via;
  return {
    queues: {
      enqueue: (queue, ticketId) => via.write({ port: 'queues', method: 'enqueue', args: [queue, ticketId] }),
      remove: (queue, ticketId) => via.write({ port: 'queues', method: 'remove', args: [queue, ticketId] }),
      position: (queue, ticketId) =>
        via.read(
          () => (via.spooledQueueEntries(queue).includes(ticketId) ? 1 : undefined),
          via.spooledQueueEntries(queue).includes(ticketId),
          () => remote.queues.position(queue, ticketId),
        ),
      list: (queue) =>
        via.read(
          () => via.spooledQueueEntries(queue),
          false,
          () => remote.queues.list(queue),
        ),
    },
    feedback: {
      add: (feedback) => via.write({ port: 'feedback', method: 'add', args: [feedback] }),
      list: (limit) => remote.feedback.list(limit),
    },
    unanswered: {
      add: async (question) => {
        try {
          if (via.ready() && via.spoolSize() === 0) return await remote.unanswered.add(question);
        } catch (error) {
          if (!isAway(error)) throw error;
        }
        await via.write({ port: 'unanswered', method: 'add', args: [question] });
        return { ...question, id: `spooled-${via.now().toString(36)}`, status: 'open' };
      },
      list: (status) => remote.unanswered.list(status),
      setStatus: (id, status) => remote.unanswered.setStatus(id, status),
    },
    audit: {
      append: (event) => via.write({ port: 'audit', method: 'append', args: [event] }),
      list: (limit) => remote.audit.list(limit),
    },
    counters: {
      increment: (name, day, by) =>
        via.write({ port: 'counters', method: 'increment', args: [name, day, by] }),
      get: (day) => remote.counters.get(day),
    },
    slaTimers: {
      schedule: (timer) => via.write({ port: 'slaTimers', method: 'schedule', args: [timer] }),
      cancel: (ticketId, name) => via.write({ port: 'slaTimers', method: 'cancel', args: [ticketId, name] }),
      claimDue: (now, leaseMs, limit) => remote.slaTimers.claimDue(now, leaseMs, limit),
      done: (ticketId, name) => remote.slaTimers.done(ticketId, name),
      list: () => remote.slaTimers.list(),
    },
    knowledge: remote.knowledge,
    // Accounts and settings are changed by people, who see an error while Redis is away.
    accounts: remote.accounts,
    settings: remote.settings,
    questions: {
      add: (question) => via.write({ port: 'questions', method: 'add', args: [question] }),
      addOutcome: (outcome) => via.write({ port: 'questions', method: 'addOutcome', args: [outcome] }),
      list: (limit) => remote.questions.list(limit),
      outcomes: (limit) => remote.questions.outcomes(limit),
    },
    // Pushed web replies wait for Redis: a failed push is retried by the outbox, a poll answers
    // "not now" meanwhile.
    webEvents: remote.webEvents,
    // Redis-shared limits; each process limits on its own while Redis is away.
    limits: remote.limits,
    responses: {
      get: (key) =>
        via.read(
          () => undefined,
          false,
          () => remote.responses.get(key),
        ),
      put: (key, value, ttlMs) => via.write({ port: 'responses', method: 'put', args: [key, value, ttlMs] }),
    },
    // Effects are added through the spool while Redis is away (nothing accepted is lost) and
    // delivered once it is back; taking and finishing need Redis.
    outbox: {
      add: async (items) => {
        try {
          if (via.ready() && via.spoolSize() === 0) return await remote.outbox.add(items);
        } catch (error) {
          if (!isAway(error)) throw error;
        }
        await via.write({ port: 'outbox', method: 'add', args: [items] });
      },
      take: (consumer, max, leaseMs) => remote.outbox.take(consumer, max, leaseMs),
      done: (item, consumer) => remote.outbox.done(item, consumer),
      retry: (item, consumer, retryAt, failed) => remote.outbox.retry(item, consumer, retryAt, failed),
      extend: (items, consumer, leaseMs) => remote.outbox.extend(items, consumer, leaseMs),
      size: () => remote.outbox.size(),
    },
  };
}

/** Written with Redis only; customers are still told of announcements while it is away: the last list read. */
export function lastReadAnnouncements(via: SpoolingAccess): Stores['announcements'] {
  const { remote } = via;
  // With and without the customers' reports, as asked.
  const lastRead = { links: [] as Announcement[], bare: [] as Announcement[] };
  return {
    get: (id, options) => remote.announcements.get(id, options),
    put: (announcement) => remote.announcements.put(announcement),
    list: async (options) => {
      const kind = options?.links === false ? 'bare' : 'links';
      try {
        if (via.ready()) lastRead[kind] = await remote.announcements.list(options);
      } catch (error) {
        if (!isAway(error)) throw error;
      }
      return structuredClone(lastRead[kind]);
    },
    addLink: (id, link) => remote.announcements.addLink(id, link),
    setLinkTicket: (id, conversationId, ticketId) =>
      remote.announcements.setLinkTicket(id, conversationId, ticketId),
    removeLinks: (id, conversationIds) => remote.announcements.removeLinks(id, conversationIds),
  };
}

const AWAY =
  /Connection is closed|MaxRetriesPerRequest|timed out|Stream isn't writeable|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|^LOADING|^READONLY|^CLUSTERDOWN|^TRYAGAIN|^MASTERDOWN/;

/** A connection problem (retry later), as opposed to an answer from Redis or a bug. */
export function isAway(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof SupportBotError) return false;
  return AWAY.test(error.message) || AWAY.test(error.name);
}
