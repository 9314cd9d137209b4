import type { Conversation } from '../core/conversation.ts';
import type { Language } from '../core/language.ts';
import type { Ticket, TicketStatus } from '../core/ticket.ts';

/**
 * Storage ports. Each has one contract test suite (test/store/) that runs against every
 * implementation: the embedded default (local data directory) and Redis.
 * All methods are async even where the embedded store could be sync, so both fit.
 */

export interface ConversationStore {
  get(conversationId: string): Promise<Conversation | undefined>;
  /** Stores the conversation; it expires after the store's configured idle time. */
  put(conversation: Conversation): Promise<void>;
  delete(conversationId: string): Promise<void>;
}

export interface DedupeStore {
  /** True the first time a key is seen within ttlMs; false for a repeat (retried event). */
  firstSeen(key: string, ttlMs: number): Promise<boolean>;
}

export interface TicketFilter {
  status?: TicketStatus[] | undefined;
  queue?: string | undefined;
  customerId?: string | undefined;
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

export interface Stores {
  conversations: ConversationStore;
  dedupe: DedupeStore;
  tickets: TicketStore;
  queues: QueueStore;
  feedback: FeedbackStore;
  unanswered: UnansweredStore;
  audit: AuditLog;
  counters: CounterStore;
  close(): Promise<void>;
}
