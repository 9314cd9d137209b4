import type { Ticket } from '../core/ticket.ts';

/** A ticket's SLA as agents see it in lists and figures. */
export type SlaState = 'ok' | 'due-soon' | 'breached' | 'met' | 'closed';

export function slaState(ticket: Ticket, now: number): SlaState {
  if (ticket.status === 'resolved' || ticket.status === 'cancelled') return 'closed';
  const due = ticket.firstReactionAt === undefined ? ticket.reactionDueAt : ticket.resolutionDueAt;
  if (now >= due) return 'breached';
  const created = ticket.firstReactionAt ?? ticket.createdAt;
  // "Due soon" once 75 % of the window is used: the same rule as an SLA warning would use.
  if (now - created >= 0.75 * (due - created)) return 'due-soon';
  return ticket.firstReactionAt === undefined ? 'ok' : 'met';
}
