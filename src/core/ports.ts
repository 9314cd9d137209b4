import type { Announcement, AnnouncementLink } from '../core/announcement.ts';
import type { TicketFigures } from '../core/ticket-figures.ts';
import type { Account } from './account.ts';
import type { Conversation } from './conversation.ts';
import type { FaqEntry } from './faq-entry.ts';
import type { Language } from './language.ts';
import type { Outbox } from './outbox-port.ts';
import type { PersonalDataStore } from './personal-data-port.ts';
import type { Ticket, TicketStatus } from './ticket.ts';
import type { RateLimits, WebAccessStore, WebEventStore } from './web-ports.ts';

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

/**
 * Maintenance windows and incidents, written with compare-and-set like conversations: `put`
 * writes only over the revision the announcement was read at (none: only when none is stored),
 * sets the new revision on success and returns `conflict` otherwise; the caller reads again.
 *
 * Customers' reports (`links`) are kept apart from the announcement, one small record each: a
 * flood of reports during an outage then costs one write per report, never a rewrite of all the
 * reports before it, and never conflicts with an admin's update. `put` does not write `links`.
 */
export interface AnnouncementStore {
  /** With its links unless `links: false` (then `links` may be left empty). */
  get(id: string, options?: AnnouncementRead): Promise<Announcement | undefined>;
  put(announcement: Announcement): Promise<'written' | 'conflict'>;
  /** Latest start first; with their links unless `links: false`. */
  list(options?: AnnouncementRead): Promise<Announcement[]>;
  /** Records a report once per conversation: `present` when that conversation's is there already. */
  addLink(id: string, link: AnnouncementLink): Promise<'added' | 'present'>;
  /** Notes the ticket opened for a linked conversation (nothing when it is not linked). */
  setLinkTicket(id: string, conversationId: string, ticketId: string): Promise<void>;
  /** Removes the reports of these conversations (an erasure); returns how many went. */
  removeLinks(id: string, conversationIds: readonly string[]): Promise<number>;
}

export interface AnnouncementRead {
  /** Default true. Matching a message to announcements needs none, and they can be thousands. */
  links?: boolean | undefined;
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
