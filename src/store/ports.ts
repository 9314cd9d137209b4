import type { Account } from '../admin/accounts/account.ts';
import type { Announcement } from '../core/announcement.ts';
import type { Conversation } from '../core/conversation.ts';
import type { Language } from '../core/language.ts';
import type { Reply } from '../core/reply.ts';
import type { Ticket, TicketStatus } from '../core/ticket.ts';
import type { TicketFigures } from '../core/ticket-figures.ts';
import type { FaqEntry } from '../knowledge/faq-entry.ts';
import type { PersonalDataStore } from './personal-data-port.ts';

/**
 * Storage ports. Each has one contract test suite (test/store/) that runs against every
 * implementation: the embedded default (local data directory) and Redis.
 * All methods are async even where the embedded store could be sync, so both fit.
 */

/** `conflict`: someone else wrote the conversation since it was read; nothing was written. */
export type ConversationWrite = 'written' | 'conflict';

/**
 * Conversations, written with compare-and-set (like botbuilder's eTag): `get` hands out the
 * conversation with its `revision`, and `put` writes only when the stored one is still at that
 * revision (a conversation without one: only when none is stored). On success the conversation
 * gets its new revision; on `conflict` the caller reads again and re-does its change. So two
 * processes never silently undo each other.
 */
export interface ConversationStore {
  get(conversationId: string): Promise<Conversation | undefined>;
  /** Stores the conversation if unchanged since it was read; it expires after the store's idle time. */
  put(conversation: Conversation): Promise<ConversationWrite>;
  delete(conversationId: string): Promise<void>;
}

/** The revision of a conversation stored by a version that kept none: a put may replace it once. */
export const LEGACY_REVISION = 'legacy';

export interface DedupeStore {
  /** True the first time a key is seen within ttlMs; false for a repeat (retried event). */
  firstSeen(key: string, ttlMs: number): Promise<boolean>;
}

export interface TicketFilter {
  status?: TicketStatus[] | undefined;
  queue?: string | undefined;
  customerId?: string | undefined;
  /** Tickets of one organisation (config/customers.yaml). */
  organisation?: string | undefined;
  /** Created at or after this instant (epoch ms). */
  createdFrom?: number | undefined;
  /** Created before this instant (epoch ms). */
  createdBefore?: number | undefined;
}

export interface TicketStore {
  /** Next readable ticket id (SUP-1001, SUP-1002, ...), unique across processes. */
  nextId(): Promise<string>;
  create(ticket: Ticket): Promise<void>;
  get(id: string): Promise<Ticket | undefined>;
  /** Atomic read-modify-write; returns the new ticket, or undefined when it does not exist. */
  update(id: string, change: (ticket: Ticket) => Ticket): Promise<Ticket | undefined>;
  /** Newest first. */
  list(filter?: TicketFilter): Promise<Ticket[]>;
  /** The same tickets as `list`, as their figures only (reports, balances): no transcripts read. */
  listFigures(filter?: TicketFilter): Promise<TicketFigures[]>;
}

export interface QueueStore {
  enqueue(queue: string, ticketId: string): Promise<void>;
  remove(queue: string, ticketId: string): Promise<void>;
  /** 1-based position, or undefined when the ticket is not in that queue. */
  position(queue: string, ticketId: string): Promise<number | undefined>;
  /** Oldest first. */
  list(queue: string): Promise<string[]>;
}

export interface Feedback {
  at: number;
  conversationId: string;
  entryId: string;
  language: Language;
  helpful: boolean;
  reason?: string | undefined;
  question?: string | undefined;
}

export interface FeedbackStore {
  add(feedback: Feedback): Promise<void>;
  /** Newest first. */
  list(limit?: number): Promise<Feedback[]>;
}

/** A question the bot could not answer, for curators to learn from. */
export interface UnansweredQuestion {
  id: string;
  at: number;
  text: string;
  language: Language;
  conversationId: string;
  /** Best candidates at the time, for context. */
  bestGuess?: { id: string; score: number } | undefined;
  /** The FAQ entries the bot hesitated between, best first. */
  candidates?: { id: string; score: number }[] | undefined;
  /** How it reached the inbox (absent: not understood, in data from before this field). */
  source?:
    | 'not-understood'
    | 'out-of-scope'
    | 'none-of-these'
    | 'negative-feedback'
    | 'agent-suggestion'
    | undefined;
  /** An agent's answer proposed as an FAQ entry ("Save as FAQ"), for curators to review. */
  proposedAnswer?: { text: string; by: string; ticketId?: string | undefined } | undefined;
  status: 'open' | 'answered' | 'dismissed';
}

export interface UnansweredStore {
  add(question: Omit<UnansweredQuestion, 'id' | 'status'>): Promise<UnansweredQuestion>;
  list(status?: UnansweredQuestion['status']): Promise<UnansweredQuestion[]>;
  setStatus(id: string, status: UnansweredQuestion['status']): Promise<void>;
}

export interface AuditEvent {
  at: number;
  actor: string;
  action: string;
  target?: string | undefined;
  detail?: string | undefined;
  /** What the changed thing was and became (JSON), where the change has one. */
  before?: unknown;
  after?: unknown;
}

export interface AuditLog {
  append(event: AuditEvent): Promise<void>;
  /** Newest first. */
  list(limit?: number): Promise<AuditEvent[]>;
}

/** Analytics counters per day (YYYY-MM-DD, UTC). */
export interface CounterStore {
  increment(name: string, day: string, by?: number): Promise<void>;
  get(day: string): Promise<Record<string, number>>;
}

export interface SlaTimer {
  ticketId: string;
  /** What is due, e.g. `reaction-warning`, `resolution-breach`. */
  name: string;
  dueAt: number;
}

/**
 * SLA timers shared by all processes. `claimDue` leases due timers to one caller; a timer the
 * caller does not mark done comes back after the lease (its process died), so each fires at
 * least once, and once when the firing is guarded (e.g. by the ticket's own event list).
 */
export interface SlaTimerStore {
  /** Sets (or moves) a timer. */
  schedule(timer: SlaTimer): Promise<void>;
  /** Removes one timer, or all of a ticket's when name is omitted. */
  cancel(ticketId: string, name?: string): Promise<void>;
  claimDue(now: number, leaseMs: number, limit?: number): Promise<SlaTimer[]>;
  done(ticketId: string, name: string): Promise<void>;
  /** Every timer, soonest first (for the console and tests). */
  list(): Promise<SlaTimer[]>;
}

export interface KnowledgeRevision {
  /** The knowledge version this change created. */
  version: number;
  at: number;
  actor: string;
  id: string;
  language: Language;
  /** The entry after the change; undefined when it was removed. */
  entry?: FaqEntry | undefined;
}

export interface KnowledgeSnapshot {
  /** Increases with every change; 0 before the first. */
  version: number;
  /** Entries saved by admins; they replace a file entry with the same id and language. */
  entries: FaqEntry[];
  /** Entries removed by admins, hiding file entries. */
  removed: { id: string; language: Language }[];
}

/**
 * FAQ edits made at runtime (by admins), versioned, on top of the knowledge files. A change made
 * through any process reaches every process's `onChange` listeners, so they reload without restart.
 */
export interface KnowledgeStore {
  current(): Promise<KnowledgeSnapshot>;
  save(entry: FaqEntry, actor: string): Promise<KnowledgeRevision>;
  remove(id: string, language: Language, actor: string): Promise<KnowledgeRevision>;
  /** Adds or replaces many entries as one change (an import): one version, all or nothing. */
  saveMany(entries: readonly FaqEntry[], actor: string): Promise<KnowledgeRevision[]>;
  /** Changes to one entry, newest first. */
  history(id: string, language: Language): Promise<KnowledgeRevision[]>;
  /** Returns the unsubscribe function. */
  onChange(listener: (version: number) => void): () => void;
}

/** ok: the store answers. degraded: the shared store is away; working from local state and spool. */
export interface StoreHealth {
  status: 'ok' | 'degraded';
  detail?: string | undefined;
}

/** One reply pushed to a web conversation later (agent relay, resolve notice), with its cursor. */
export interface WebEvent {
  /** Increasing per conversation, starting at 1; the page sends the last one it saw as `after`. */
  seq: number;
  at: number;
  reply: Reply;
}

/**
 * Where pushed replies for web conversations wait until the page fetches them (the web chat polls
 * with a cursor, so events are kept, bounded, rather than removed on read: a reload or a second
 * tab still sees them). Shared by all processes with Redis, so a reply pushed by one reaches a
 * page polling another.
 */
export interface WebEventStore {
  has(conversationId: string): Promise<boolean>;
  /** Marks a conversation as known (its first message), so polling it is not "unknown". */
  touch(conversationId: string): Promise<void>;
  append(conversationId: string, replies: Reply[]): Promise<WebEvent[]>;
  /** Events after the cursor, oldest first, and the cursor to send next time. */
  since(conversationId: string, after: number): Promise<{ events: WebEvent[]; cursor: number }>;
  /** Resolves when an event after `after` exists, or after `ms` (long polling). */
  waitFor(conversationId: string, after: number, ms: number): Promise<void>;
  /** Releases every long-poll (on stop). */
  wakeAll(): void;
}

/** Who a verified web visitor is, as the embedding site vouched for them (WEB_IDENTITY_SECRET). */
export interface WebIdentity {
  userId: string;
  name?: string | undefined;
  email?: string | undefined;
  organisation?: string | undefined;
}

/** What the server keeps of an issued web conversation: never the token itself, only its hash. */
export interface WebAccess {
  /** SHA-256 of the bearer token, hex. */
  tokenHash: string;
  issuedAt: number;
  identity?: WebIdentity | undefined;
}

/**
 * Issued web conversations: only the holder of a conversation's token may post to it or read it.
 * Kept as long as the conversation's pushed replies (touched with every message).
 */
export interface WebAccessStore {
  /** Records a newly issued conversation; false when the id was issued before (never overwritten). */
  issue(conversationId: string, access: WebAccess): Promise<boolean>;
  get(conversationId: string): Promise<WebAccess | undefined>;
  /** Forgets the conversation's credential and its pushed replies (a customer's deletion). */
  forget(conversationId: string): Promise<void>;
}

/** How many requests a key may make in a window; more wait until points are back. */
export interface RateLimitPolicy {
  points: number;
  durationSeconds: number;
}

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** One kind of limit (new conversations per address, messages per conversation). */
export interface RateLimit {
  /** Takes one point for `key`. */
  consume(key: string): Promise<RateLimitDecision>;
}

/** Limits kept where the stores are: in this process, or in Redis shared by every process. */
export interface RateLimits {
  limit(name: string, policy: RateLimitPolicy): RateLimit;
}

/**
 * Answers remembered under a client's idempotency key, so a retried request gets the first
 * answer, also after a restart or from another process.
 */
export interface ResponseStore {
  get(key: string): Promise<unknown>;
  /** Remembers `value` for ttlMs; the first answer under a key wins. */
  put(key: string, value: unknown, ttlMs: number): Promise<void>;
}

/** Named console accounts (agents, curators, admins), found by the hash of their personal token. */
export interface AccountStore {
  list(): Promise<Account[]>;
  findByTokenHash(tokenHash: string): Promise<Account | undefined>;
  /** Adds or replaces (same id). */
  put(account: Account): Promise<void>;
  /** False when there was no such account. */
  remove(id: string): Promise<boolean>;
}

/** Settings changed at run time (the match threshold), shared by every process like knowledge. */
export interface SettingsSnapshot {
  /** Increases with every change; 0 before the first. */
  version: number;
  values: Record<string, unknown>;
}

export interface SettingsStore {
  current(): Promise<SettingsSnapshot>;
  /** Sets one value; every process's onChange listeners hear of it. */
  set(key: string, value: unknown): Promise<SettingsSnapshot>;
  onChange(listener: (version: number) => void): () => void;
}

/** One customer question the bot tried to answer, with what it found (for tuning and analytics). */
export interface LoggedQuestion {
  at: number;
  conversationId: string;
  text: string;
  language: Language;
  /** The best candidates at the time, best first (FAQ entries and intents). */
  candidates: { kind: 'faq' | 'intent'; id: string; score: number }[];
  /** Set when the message was understood as outside IT support. */
  outOfScope?: boolean | undefined;
  broad?: string[] | undefined;
}

/** What is known afterwards about the right answer to a logged question. */
export interface QuestionOutcome {
  at: number;
  conversationId: string;
  text: string;
  /** The entry that answers it; null: none of the FAQ does (handed off, ignored by a curator). */
  right?: string | null | undefined;
  /** An entry that does not answer it (negative feedback). */
  wrong?: string | undefined;
  /** Who said so. */
  by: 'feedback' | 'curator' | 'agent';
}

export interface QuestionLog {
  add(question: LoggedQuestion): Promise<void>;
  addOutcome(outcome: QuestionOutcome): Promise<void>;
  /** Newest first. */
  list(limit?: number): Promise<LoggedQuestion[]>;
  /** Newest first. */
  outcomes(limit?: number): Promise<QuestionOutcome[]>;
}

/** One effect waiting in the outbox: a message to a customer, a ticket card, a webhook call. */
export interface OutboxItem {
  /** Unique and stable: an item added again with the same id (a retried turn) is added once. */
  id: string;
  /** The destination: items of one lane are delivered one at a time, in the order added. */
  lane: string;
  /** Which handler delivers it (`reply`, `ticket-listener:slack-cards`, ...). */
  kind: string;
  payload: unknown;
  at: number;
  /** Failed attempts so far. */
  attempts: number;
  /** An earlier take of it was never finished (its process died): it may have happened; check if possible. */
  interrupted: boolean;
}

export type NewOutboxItem = Pick<OutboxItem, 'id' | 'lane' | 'kind' | 'payload'>;

/**
 * The one durable outbox of every customer-visible effect. Items wait in their lane (one per
 * destination) in the order added; `take` leases a lane to one process and hands out its first
 * item; `done` removes it (its id is remembered, so adding it again changes nothing) and frees the
 * lane; `retry` keeps it first in its lane until `retryAt`. A lease that runs out (its process died)
 * frees the lane for another process, which gets the item marked `interrupted`.
 */
export interface Outbox {
  add(items: NewOutboxItem[]): Promise<void>;
  /** First items of up to `max` due, unleased lanes, each lane now leased to `consumer` for leaseMs. */
  take(consumer: string, max: number, leaseMs: number): Promise<OutboxItem[]>;
  done(item: OutboxItem, consumer: string): Promise<void>;
  retry(item: OutboxItem, consumer: string, retryAt: number): Promise<void>;
  /** Renews the leases `consumer` still holds on these items' lanes (a delivery taking long). */
  extend(items: OutboxItem[], consumer: string, leaseMs: number): Promise<void>;
  /** Items waiting, and lanes waiting for a retry (for /metrics and tests). */
  size(): Promise<{ items: number; retrying: number }>;
}

/**
 * Maintenance windows and incidents, written with compare-and-set like conversations: `put`
 * writes only over the revision the announcement was read at (none: only when none is stored),
 * sets the new revision on success and returns `conflict` otherwise; the caller reads again.
 */
export interface AnnouncementStore {
  get(id: string): Promise<Announcement | undefined>;
  put(announcement: Announcement): Promise<'written' | 'conflict'>;
  /** Latest start first. */
  list(): Promise<Announcement[]>;
}

export interface Stores {
  conversations: ConversationStore;
  dedupe: DedupeStore;
  tickets: TicketStore;
  queues: QueueStore;
  feedback: FeedbackStore;
  unanswered: UnansweredStore;
  audit: AuditLog;
  counters: CounterStore;
  webEvents: WebEventStore;
  webAccess: WebAccessStore;
  limits: RateLimits;
  responses: ResponseStore;
  outbox: Outbox;
  slaTimers: SlaTimerStore;
  knowledge: KnowledgeStore;
  accounts: AccountStore;
  settings: SettingsStore;
  questions: QuestionLog;
  announcements: AnnouncementStore;
  personalData: PersonalDataStore;
  /** For /readyz. */
  health(): StoreHealth;
  close(): Promise<void>;
}
