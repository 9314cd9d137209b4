import type { Ticket } from './ticket.ts';

/**
 * What reports and contract balances read from a ticket: its figures without the transcript,
 * details, candidates and events. Stores keep it beside each ticket, so a month of 100,000
 * tickets is counted without reading every conversation.
 */
export type TicketFigures = Pick<
  Ticket,
  | 'id'
  | 'queue'
  | 'level'
  | 'priority'
  | 'status'
  | 'closedReason'
  | 'organisation'
  | 'billable'
  | 'createdAt'
  | 'reactionDueAt'
  | 'resolutionDueAt'
  | 'firstReactionAt'
  | 'resolvedAt'
  | 'slaPausedMs'
  | 'rating'
> & {
  /** Moved to another queue or level at least once. */
  escalated: boolean;
  /** The minutes agents recorded, added up. */
  minutesWorked: number;
};

export function ticketFigures(ticket: Ticket): TicketFigures {
  const figures: TicketFigures = {
    id: ticket.id,
    queue: ticket.queue,
    level: ticket.level,
    priority: ticket.priority,
    status: ticket.status,
    billable: ticket.billable,
    createdAt: ticket.createdAt,
    reactionDueAt: ticket.reactionDueAt,
    resolutionDueAt: ticket.resolutionDueAt,
    escalated: ticket.events.some((e) => e.type === 'escalated'),
    minutesWorked: (ticket.timeEntries ?? []).reduce((sum, entry) => sum + entry.minutes, 0),
  };
  // Only the fields a ticket has: a figure read back from JSON compares equal to a fresh one.
  if (ticket.closedReason !== undefined) figures.closedReason = ticket.closedReason;
  if (ticket.organisation !== undefined) figures.organisation = ticket.organisation;
  if (ticket.firstReactionAt !== undefined) figures.firstReactionAt = ticket.firstReactionAt;
  if (ticket.resolvedAt !== undefined) figures.resolvedAt = ticket.resolvedAt;
  if (ticket.slaPausedMs !== undefined) figures.slaPausedMs = ticket.slaPausedMs;
  if (ticket.rating !== undefined) figures.rating = ticket.rating;
  return figures;
}
