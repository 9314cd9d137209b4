import type { Attachment } from './attachment.ts';
import type { TranscriptLine } from './conversation.ts';
import type { Language } from './language.ts';
import type { Candidate } from './match.ts';
import type { ChannelKind, ConversationRef, Customer } from './turn.ts';

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** queued: waiting in a second-level queue; claimed: an agent owns it; resolved: done. */
export const TICKET_STATUSES = ['queued', 'claimed', 'resolved', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/**
 * Why a `resolved` ticket was closed: solved by support, or handed back to the bot by an agent
 * (no solution; the bot carries on). Tickets from before this field read as `resolved`.
 */
export const CLOSED_REASONS = ['resolved', 'returned-to-bot'] as const;
export type ClosedReason = (typeof CLOSED_REASONS)[number];

/** The status people see: a ticket given back to the bot reads as `returned`, not as solved. */
export type ShownStatus = TicketStatus | 'returned';

export function shownStatus(ticket: Pick<Ticket, 'status' | 'closedReason'>): ShownStatus {
  return ticket.status === 'resolved' && ticket.closedReason === 'returned-to-bot'
    ? 'returned'
    : ticket.status;
}

export interface TicketEvent {
  at: number;
  type:
    | 'created'
    | 'claimed'
    | 'customer-message'
    | 'attachment-added'
    | 'agent-message'
    | 'internal-note'
    | 'escalated'
    | 'given-back'
    | 'resolved'
    | 'reopened'
    | 'cancelled'
    | 'sla-warning'
    | 'sla-breached'
    | 'escalation-requested'
    | 'rated'
    | 'time-recorded'
    | 'balance-low'
    | 'sla-paused'
    | 'sla-resumed'
    /** The customer's data was erased on request: cards and helpdesks redraw without it. */
    | 'personal-data-erased';
  by?: string | undefined;
  text?: string | undefined;
  /** For sla-warning / sla-breached: which clock. */
  sla?: 'reaction' | 'resolution' | undefined;
  /** For escalated: where it went. */
  queue?: string | undefined;
  level?: 2 | 3 | undefined;
  /** The customer turn that caused it: a turn run again (after a write conflict) adds it once. */
  turnId?: string | undefined;
  /** Where an agent wrote it (a reply in the Slack card's thread is not mirrored back there). */
  via?: 'console' | 'slack' | 'teams' | undefined;
  /** For time-recorded: the minutes worked; for balance-low: the block hours left. */
  minutes?: number | undefined;
  hoursLeft?: number | undefined;
}

/** Time an agent worked on a ticket; billed per started quarter hour of the ticket's total. */
export interface TimeEntry {
  at: number;
  by: string;
  minutes: number;
  note?: string | undefined;
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
  /** When the customer first asked for it to be escalated (urgent); the queue was told then. */
  escalationRequestedAt?: number | undefined;
  /** When it was closed (resolved or returned to the bot). */
  resolvedAt?: number | undefined;
  /** Set when it is closed as `resolved`: solved, or returned to the bot. */
  closedReason?: ClosedReason | undefined;
  rating?: number | undefined;
  events: TicketEvent[];
  /**
   * Where agents work this ticket: the thread under its card in the queue's agent channel.
   * Written by the channel that posted the card; only that channel reads `address`.
   */
  deskThread?: ConversationRef | undefined;
  /**
   * Further agent channels working the same ticket (a queue with a channel on more than one
   * platform): each channel's thread under its own card, by channel kind, written and read by it.
   */
  deskThreads?: Partial<Record<ChannelKind, ConversationRef>> | undefined;
  /** The customer's organisation (config/customers.yaml) when one recognised them at hand-off. */
  organisation?: string | undefined;
  /** The incident or maintenance window the customer reported this under (opened anyway). */
  announcementId?: string | undefined;
  /** Set while the ticket waits for the customer: the SLA clocks stand still (see sla-pause.ts). */
  slaPausedAt?: number | undefined;
  /** Time the clocks stood still so far (business ms, wall ms for targets around the clock). */
  slaPausedMs?: number | undefined;
  /** Files the customer sent (screenshots, logs), kept in the attachment store. */
  attachments?: Attachment[] | undefined;
  /** Time agents recorded; billed for billable tickets unless the contract is managed services. */
  timeEntries?: TimeEntry[] | undefined;
  /**
   * When the customer's personal data (transcript, details, who they are, what was written) was
   * removed for retention; the figures for reports stay.
   */
  personalDataErasedAt?: number | undefined;
}
