import type { TranscriptLine } from './conversation.ts';
import type { Language } from './language.ts';
import type { Candidate } from './match.ts';
import type { ConversationRef, Customer } from './turn.ts';

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** queued: waiting in a second-level queue; claimed: an agent owns it; resolved: done. */
export const TICKET_STATUSES = ['queued', 'claimed', 'resolved', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface TicketEvent {
  at: number;
  type:
    | 'created'
    | 'claimed'
    | 'customer-message'
    | 'agent-message'
    | 'internal-note'
    | 'escalated'
    | 'given-back'
    | 'resolved'
    | 'cancelled'
    | 'sla-warning'
    | 'sla-breached'
    | 'rated';
  by?: string | undefined;
  text?: string | undefined;
  /** For sla-warning / sla-breached: which clock. */
  sla?: 'reaction' | 'resolution' | undefined;
  /** For escalated: where it went. */
  queue?: string | undefined;
  level?: 2 | 3 | undefined;
}

export interface Ticket {
  /** Readable id, e.g. SUP-1042. */
  id: string;
  queue: string;
  /** 1 = first level did not solve it (second level); 3 = third level. */
  level: 2 | 3;
  priority: Priority;
  status: TicketStatus;
  /** The intake form's values: summary, system, error, since, impact, urgency, contact, ... */
  details: Record<string, string>;
  transcript: TranscriptLine[];
  candidates: Candidate[];
  language: Language;
  customer: Customer;
  conversation: ConversationRef;
  billable: boolean;
  billableConsent?: boolean | undefined;
  assignee?: string | undefined;
  createdAt: number;
  updatedAt: number;
  /** SLA clock (epoch ms), from the queue's policy for this priority. */
  reactionDueAt: number;
  resolutionDueAt: number;
  firstReactionAt?: number | undefined;
  resolvedAt?: number | undefined;
  rating?: number | undefined;
  events: TicketEvent[];
  /**
   * Where agents work this ticket: the thread under its card in the queue's agent channel.
   * Written by the channel that posted the card; only that channel reads `address`.
   */
  deskThread?: ConversationRef | undefined;
}
