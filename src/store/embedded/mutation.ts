import type { Account } from '../../core/account.ts';
import type { Conversation, TranscriptLine } from '../../core/conversation.ts';
import type { NewOutboxItem } from '../../core/outbox-port.ts';
import type {
  AuditEvent,
  Feedback,
  KnowledgeRevision,
  LoggedQuestion,
  QuestionOutcome,
  UnansweredQuestion,
} from '../../core/ports.ts';
import type { Reply } from '../../core/reply.ts';
import type { Ticket } from '../../core/ticket.ts';
import { type TicketFigures, ticketFigures } from '../../core/ticket-figures.ts';
import type { WebAccess, WebEvent } from '../../core/web-ports.ts';
import { listingOf, type TicketListing } from '../ticket-listing.ts';

/**
 * One change to the embedded state. The journal holds one per line; a snapshot is the shortest
 * list of them that rebuilds the state. Tickets travel as ready JSON text, so a write serialises
 * them once. A conversation travels as the store's own copy (see json-copy.ts): conversations are
 * read and written every turn, and copying is cheaper than parsing; the journal writes its JSON.
 */
export type Mutation =
  /** `conversation` belongs to the store: nobody else holds a reference to it. */
  | { t: 'conv.put'; id: string; exp: number; conversation: Conversation }
  /**
   * A turn's change to a stored conversation: its fields, and its transcript as the stored one
   * with `dropped` lines gone from the front and `added` at the end (a journal line holds the
   * turn's few lines, not the whole transcript).
   */
  | {
      t: 'conv.turn';
      id: string;
      exp: number;
      conversation: Omit<Conversation, 'transcript'>;
      dropped: number;
      added: readonly TranscriptLine[];
    }
  | { t: 'conv.del'; id: string }
  | { t: 'dedupe'; key: string; exp: number }
  | { t: 'ticket.seq'; n: number }
  | { t: 'ticket.put'; json: string; listing: TicketListing; figures: TicketFigures }
  | { t: 'queue.add'; queue: string; id: string }
  | { t: 'queue.rm'; queue: string; id: string }
  | { t: 'feedback'; item: Feedback }
  | { t: 'unanswered.add'; n: number; item: UnansweredQuestion }
  | { t: 'unanswered.status'; id: string; status: UnansweredQuestion['status'] }
  | { t: 'audit'; item: AuditEvent }
  | { t: 'counter'; name: string; day: string; by: number }
  /** The event log and effect claims of earlier versions: still read from old journals, then dropped. */
  | { t: 'event.add'; n: number; type: string; payload: unknown; at: number }
  | { t: 'event.ack'; group: string; ns: number[] }
  /** A consumer group's state in a snapshot: all up to `low` acknowledged, plus `acked` above it. */
  | { t: 'event.group'; group: string; low: number; acked: number[] }
  | { t: 'effect'; key: string; state: 'pending' | 'done'; until: number }
  | { t: 'effect.del'; key: string }
  | { t: 'sla.set'; ticketId: string; name: string; dueAt: number }
  | { t: 'sla.del'; ticketId: string; name?: string | undefined }
  | { t: 'knowledge'; revision: KnowledgeRevision }
  /** Revisions made together (an import): one line, so a crash keeps all of them or none. */
  | { t: 'knowledge.many'; revisions: KnowledgeRevision[] }
  /** A web conversation's first message; `at` keeps it from being forgotten. */
  | { t: 'web.touch'; id: string; at: number }
  /** Replies pushed to a web conversation; their cursors follow the conversation's last one. */
  | { t: 'web.add'; id: string; at: number; replies: Reply[] }
  /** A web conversation's pushed replies in a snapshot. */
  | { t: 'web.conv'; id: string; last: number; touchedAt: number; events: WebEvent[] }
  /** A web conversation issued to a client, with the hash of its bearer token. */
  | { t: 'web.issue'; id: string; access: WebAccess }
  /** A web conversation forgotten: its credential and pushed replies. */
  | { t: 'web.forget'; id: string }
  | { t: 'response'; key: string; value: unknown; exp: number }
  | { t: 'account.put'; account: Account }
  | { t: 'account.del'; id: string }
  | { t: 'setting'; version: number; key: string; value: unknown }
  | { t: 'question'; item: LoggedQuestion }
  | { t: 'outcome'; item: QuestionOutcome }
  /** A customer's erasure: everything under these conversations, their tickets' waiting outbox items. */
  | { t: 'personal.erase'; conversationIds: string[]; ticketIds: string[] }
  /** Retention: logs from before `cutoff` go, older feedback loses its texts. */
  | { t: 'personal.expire'; cutoff: number }
  | {
      t: 'outbox.add';
      items: (NewOutboxItem & { at: number; attempts?: number | undefined })[];
      /** In a snapshot: the lane's first item waits until then. */
      retryAt?: number | undefined;
    }
  /** Delivered: the lane's first item goes; its id is remembered until `exp` (no lane: only that). */
  | { t: 'outbox.done'; lane?: string | undefined; id: string; exp: number }
  /** Kept first in its lane until `retryAt`; `failed: false` (deferred) is not counted as an attempt. */
  | { t: 'outbox.retry'; lane: string; id: string; retryAt: number; failed?: false | undefined }
  /** A maintenance window or incident as JSON text, with its new revision. */
  | { t: 'announcement.put'; json: string }
  /** A customer's report on an announcement, as JSON text (added, or its ticket noted). */
  | { t: 'announcement.link'; id: string; json: string }
  /** Reports removed (an erasure). */
  | { t: 'announcement.unlink'; id: string; conversationIds: string[] };

/** One journal line, newline included. */
export function encodeMutation(m: Mutation): string {
  switch (m.t) {
    case 'conv.put':
      return `{"t":"conv.put","id":${JSON.stringify(m.id)},"exp":${m.exp},"c":${JSON.stringify(m.conversation)}}\n`;
    case 'conv.turn':
      return `{"t":"conv.turn","id":${JSON.stringify(m.id)},"exp":${m.exp},"c":${JSON.stringify(m.conversation)},"dropped":${m.dropped},"added":${JSON.stringify(m.added)}}\n`;
    case 'ticket.put':
      return `{"t":"ticket.put","c":${m.json}}\n`;
    default:
      return `${JSON.stringify(m)}\n`;
  }
}

/** Parses one journal line; undefined when it is not a complete, known mutation. */
export function decodeMutation(line: string): Mutation | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    // A torn or damaged line: the caller reports it and goes on.
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  switch (r.t) {
    case 'conv.put':
      if (typeof r.id !== 'string' || typeof r.exp !== 'number' || typeof r.c !== 'object' || r.c === null)
        return undefined;
      // Freshly parsed: no one else holds it, so it can be the store's copy as it is.
      return { t: 'conv.put', id: r.id, exp: r.exp, conversation: r.c as Conversation };
    case 'conv.turn':
      if (
        typeof r.id !== 'string' ||
        typeof r.exp !== 'number' ||
        typeof r.c !== 'object' ||
        r.c === null ||
        typeof r.dropped !== 'number' ||
        !Array.isArray(r.added)
      )
        return undefined;
      return {
        t: 'conv.turn',
        id: r.id,
        exp: r.exp,
        conversation: r.c as Omit<Conversation, 'transcript'>,
        dropped: r.dropped,
        added: r.added as TranscriptLine[],
      };
    case 'ticket.put': {
      const ticket = r.c as Ticket | undefined;
      if (typeof ticket?.id !== 'string' || typeof ticket.customer?.id !== 'string') return undefined;
      return {
        t: 'ticket.put',
        json: JSON.stringify(ticket),
        listing: listingOf(ticket),
        figures: ticketFigures(ticket),
      };
    }
    case 'conv.del':
    case 'dedupe':
    case 'ticket.seq':
    case 'queue.add':
    case 'queue.rm':
    case 'feedback':
    case 'unanswered.add':
    case 'unanswered.status':
    case 'audit':
    case 'counter':
    case 'event.add':
    case 'event.ack':
    case 'event.group':
    case 'effect':
    case 'effect.del':
    case 'sla.set':
    case 'sla.del':
    case 'knowledge':
    case 'knowledge.many':
    case 'web.touch':
    case 'web.add':
    case 'web.conv':
    case 'web.issue':
    case 'web.forget':
    case 'response':
    case 'account.put':
    case 'account.del':
    case 'setting':
    case 'question':
    case 'outcome':
    case 'personal.erase':
    case 'personal.expire':
    case 'outbox.add':
    case 'outbox.done':
    case 'outbox.retry':
      return r as Mutation;
    case 'announcement.put':
      return typeof r.json === 'string' ? { t: 'announcement.put', json: r.json } : undefined;
    case 'announcement.link':
      return typeof r.id === 'string' && typeof r.json === 'string'
        ? { t: 'announcement.link', id: r.id, json: r.json }
        : undefined;
    case 'announcement.unlink':
      return typeof r.id === 'string' &&
        Array.isArray(r.conversationIds) &&
        r.conversationIds.every((c: unknown) => typeof c === 'string')
        ? { t: 'announcement.unlink', id: r.id, conversationIds: r.conversationIds as string[] }
        : undefined;
    default:
      return undefined;
  }
}
