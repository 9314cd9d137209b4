import type { Account } from '../../core/account.ts';
import type { Conversation, TranscriptLine } from '../../core/conversation.ts';
import { type ErasedRecords, NOTHING_ERASED } from '../../core/personal-data-port.ts';
import type {
  AuditEvent,
  Feedback,
  LoggedQuestion,
  QuestionOutcome,
  UnansweredQuestion,
} from '../../core/ports.ts';
import type { TicketFigures } from '../../core/ticket-figures.ts';
import { storeDefaults } from '../store-options.ts';
import type { TicketListing } from '../ticket-listing.ts';
import { freezeLines } from '../transcript-lines.ts';
import { KnowledgeState, SlaTimerState } from './coordination-state.ts';
import type { Mutation } from './mutation.ts';
import { OutboxState } from './outbox-state.ts';
import { applyErasure, applyExpiry } from './personal-data-state.ts';
import { WebEventState } from './web-event-state.ts';

/** An append-only list that keeps the newest `cap` items; trimmed in batches to stay cheap. */
export class CappedLog<T> {
  private items: T[] = [];
  constructor(private readonly cap: number) {}

  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.cap + Math.ceil(this.cap / 4)) {
      this.items.splice(0, this.items.length - this.cap);
    }
  }

  /** Newest first. */
  newest(limit: number): T[] {
    const kept = Math.min(this.items.length, this.cap);
    const take = Math.min(limit, kept);
    const out: T[] = [];
    for (let i = this.items.length - 1; out.length < take; i--) out.push(this.items[i] as T);
    return out;
  }

  /** Keeps the items `keep` returns (the same or a changed one) and drops the rest; returns how many changed. */
  rewrite(keep: (item: T) => T | undefined): number {
    let changed = 0;
    const out: T[] = [];
    for (const item of this.items) {
      const kept = keep(item);
      if (kept !== item) changed++;
      if (kept !== undefined) out.push(kept);
    }
    this.items = out;
    return changed;
  }

  /** Oldest first, only what is kept. */
  kept(): T[] {
    return this.items.slice(Math.max(0, this.items.length - this.cap));
  }
}

/**
 * The whole embedded state in memory. Every change goes through `apply`, so the live path and
 * the replay of the journal at start-up cannot drift apart.
 */
export class EmbeddedState {
  /**
   * Map order is last-write order, which lets the sweep stop at the first live entry. The values
   * are the store's own copies: handed out and taken in only as copies (jsonCopy).
   */
  readonly conversations = new Map<string, { conversation: Conversation; exp: number }>();
  readonly dedupe = new Map<string, number>();
  /** Last issued ticket number. */
  ticketSeq: number = storeDefaults.firstTicketNumber - 1;
  readonly tickets = new Map<string, { json: string; listing: TicketListing; figures: TicketFigures }>();
  /** A Set keeps insertion order: the queue order. */
  readonly queues = new Map<string, Set<string>>();
  readonly feedback: CappedLog<Feedback>;
  readonly audit: CappedLog<AuditEvent>;
  readonly unanswered = new Map<string, UnansweredQuestion>();
  unansweredSeq = 0;
  readonly counters = new Map<string, Record<string, number>>();
  readonly slaTimers = new SlaTimerState();
  readonly knowledge = new KnowledgeState();
  readonly webEvents = new WebEventState();
  readonly outbox = new OutboxState();
  /** Answers remembered under idempotency keys, in write order. */
  readonly responses = new Map<string, { value: unknown; exp: number }>();
  readonly accounts = new Map<string, Account>();
  readonly settings: { version: number; values: Record<string, unknown> } = { version: 0, values: {} };
  readonly questions: CappedLog<LoggedQuestion>;
  /** Maintenance windows and incidents by id, as JSON text (without their reports). */
  readonly announcements = new Map<string, string>();
  /** Customers' reports by announcement id, then conversation id, as JSON text. */
  readonly announcementLinks = new Map<string, Map<string, string>>();
  readonly outcomes: CappedLog<QuestionOutcome>;
  /** What the last erasure or expiry removed (read by the port right after committing it). */
  lastErased: ErasedRecords = NOTHING_ERASED;

  constructor(private readonly listCap: number) {
    this.feedback = new CappedLog(listCap);
    this.audit = new CappedLog(listCap);
    this.questions = new CappedLog(listCap);
    this.outcomes = new CappedLog(listCap);
  }

  apply(m: Mutation): void {
    if (this.slaTimers.apply(m) || this.knowledge.apply(m) || this.webEvents.apply(m) || this.outbox.apply(m))
      return;
    switch (m.t) {
      case 'conv.put':
        this.conversations.delete(m.id);
        // Lines frozen and shared with the conversations handed out (see transcript-lines.ts).
        this.conversations.set(m.id, {
          conversation: {
            ...m.conversation,
            transcript: freezeLines(m.conversation.transcript) as TranscriptLine[],
          },
          exp: m.exp,
        });
        return;
      case 'conv.turn': {
        const kept = this.conversations.get(m.id)?.conversation.transcript.slice(m.dropped) ?? [];
        this.conversations.delete(m.id);
        this.conversations.set(m.id, {
          conversation: { ...m.conversation, transcript: kept.concat(freezeLines(m.added)) },
          exp: m.exp,
        });
        return;
      }
      case 'conv.del':
        this.conversations.delete(m.id);
        return;
      case 'dedupe':
        this.dedupe.delete(m.key);
        this.dedupe.set(m.key, m.exp);
        return;
      case 'ticket.seq':
        this.ticketSeq = Math.max(this.ticketSeq, m.n);
        return;
      case 'ticket.put':
        this.tickets.set(m.listing.id, { json: m.json, listing: m.listing, figures: m.figures });
        return;
      case 'queue.add': {
        let queue = this.queues.get(m.queue);
        if (!queue) {
          queue = new Set();
          this.queues.set(m.queue, queue);
        }
        queue.add(m.id);
        return;
      }
      case 'queue.rm': {
        const queue = this.queues.get(m.queue);
        queue?.delete(m.id);
        if (queue?.size === 0) this.queues.delete(m.queue);
        return;
      }
      case 'feedback':
        this.feedback.push(m.item);
        return;
      case 'audit':
        this.audit.push(m.item);
        return;
      case 'unanswered.add':
        this.unansweredSeq = Math.max(this.unansweredSeq, m.n);
        this.unanswered.set(m.item.id, m.item);
        if (this.unanswered.size > this.listCap) {
          const oldest = this.unanswered.keys().next();
          if (!oldest.done) this.unanswered.delete(oldest.value);
        }
        return;
      case 'unanswered.status': {
        const question = this.unanswered.get(m.id);
        if (question) question.status = m.status;
        return;
      }
      case 'response':
        if (!this.responses.has(m.key)) this.responses.set(m.key, { value: m.value, exp: m.exp });
        return;
      case 'account.put':
        this.accounts.set(m.account.id, m.account);
        return;
      case 'account.del':
        this.accounts.delete(m.id);
        return;
      case 'setting':
        this.settings.version = Math.max(this.settings.version, m.version);
        this.settings.values[m.key] = m.value;
        return;
      case 'question':
        this.questions.push(m.item);
        return;
      case 'outcome':
        this.outcomes.push(m.item);
        return;
      case 'announcement.put': {
        const announcement = JSON.parse(m.json) as { id: string; links?: { conversationId: string }[] };
        // Journals written before reports were kept apart carry them in the announcement.
        if (announcement.links && announcement.links.length > 0) {
          for (const link of announcement.links)
            this.#link(announcement.id, link.conversationId, JSON.stringify(link));
          this.announcements.set(announcement.id, JSON.stringify({ ...announcement, links: [] }));
        } else this.announcements.set(announcement.id, m.json);
        return;
      }
      case 'announcement.link':
        this.#link(m.id, (JSON.parse(m.json) as { conversationId: string }).conversationId, m.json);
        return;
      case 'announcement.unlink': {
        const links = this.announcementLinks.get(m.id);
        for (const conversationId of m.conversationIds) links?.delete(conversationId);
        return;
      }
      case 'personal.erase':
        this.lastErased = applyErasure(this, m);
        return;
      case 'personal.expire':
        this.lastErased = applyExpiry(this, m.cutoff);
        return;
      // Earlier versions' event log and effect claims: read and let go (the outbox does their work).
      case 'event.add':
      case 'event.ack':
      case 'event.group':
      case 'effect':
      case 'effect.del':
        return;
      case 'counter': {
        let day = this.counters.get(m.day);
        if (!day) {
          day = {};
          this.counters.set(m.day, day);
        }
        day[m.name] = (day[m.name] ?? 0) + m.by;
        return;
      }
    }
  }

  /**
   * Drops expired conversations and dedupe keys. The quick sweep stops at the first live entry
   * (maps are in write order, so with one TTL that is expiry order); the full one checks all.
   */
  sweep(now: number, full = false): void {
    sweepMap(this.conversations, (v) => v.exp <= now, full);
    sweepMap(this.dedupe, (exp) => exp <= now, full);
    sweepMap(this.responses, (r) => r.exp <= now, full);
    this.webEvents.sweep(now);
    if (full) this.outbox.sweep(now);
  }

  /** The shortest list of mutations that rebuilds this state, skipping what has expired. */
  *snapshot(now: number): Generator<Mutation> {
    yield { t: 'ticket.seq', n: this.ticketSeq };
    for (const [id, c] of this.conversations) {
      if (c.exp > now) yield { t: 'conv.put', id, exp: c.exp, conversation: c.conversation };
    }
    for (const [key, exp] of this.dedupe) {
      if (exp > now) yield { t: 'dedupe', key, exp };
    }
    for (const ticket of this.tickets.values()) yield { t: 'ticket.put', ...ticket };
    for (const [queue, ids] of this.queues) {
      for (const id of ids) yield { t: 'queue.add', queue, id };
    }
    for (const item of this.feedback.kept()) yield { t: 'feedback', item };
    for (const item of this.audit.kept()) yield { t: 'audit', item };
    for (const item of this.unanswered.values()) yield { t: 'unanswered.add', n: this.unansweredSeq, item };
    for (const [day, counts] of this.counters) {
      for (const [name, by] of Object.entries(counts)) yield { t: 'counter', name, day, by };
    }
    yield* this.slaTimers.snapshot();
    yield* this.knowledge.snapshot();
    yield* this.webEvents.snapshot();
    yield* this.outbox.snapshot(now);
    for (const [key, r] of this.responses) {
      if (r.exp > now) yield { t: 'response', key, value: r.value, exp: r.exp };
    }
    for (const account of this.accounts.values()) yield { t: 'account.put', account };
    for (const [key, value] of Object.entries(this.settings.values)) {
      yield { t: 'setting', version: this.settings.version, key, value };
    }
    for (const item of this.questions.kept()) yield { t: 'question', item };
    for (const item of this.outcomes.kept()) yield { t: 'outcome', item };
    for (const json of this.announcements.values()) yield { t: 'announcement.put', json };
    for (const [id, links] of this.announcementLinks) {
      for (const json of links.values()) yield { t: 'announcement.link', id, json };
    }
  }

  #link(id: string, conversationId: string, json: string): void {
    const links = this.announcementLinks.get(id) ?? new Map<string, string>();
    this.announcementLinks.set(id, links);
    links.set(conversationId, json);
  }
}

function sweepMap<V>(map: Map<string, V>, expired: (value: V) => boolean, full: boolean): void {
  for (const [key, value] of map) {
    if (expired(value)) map.delete(key);
    else if (!full) return;
  }
}
