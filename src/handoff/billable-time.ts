import type { Ticket } from '../core/ticket.ts';
import type { TicketFigures } from '../core/ticket-figures.ts';
import type { Contract } from './customers-config.ts';

/**
 * Extended support is billed "je angefangene 1/4h" (per started quarter hour): the minutes of a
 * ticket are added up and rounded up to whole quarter hours (7 min → 1, 15 → 1, 16 → 2).
 */
export function startedQuarterHours(minutes: number): number {
  if (!(minutes > 0)) return 0;
  // Whole minutes first, so 15.0000001 from a sum of fractions does not bill a second quarter.
  return Math.ceil(Math.round(minutes * 1000) / 1000 / 15);
}

/** A whole ticket, or its figures (which carry the minutes added up). */
export type WorkedTicket =
  | Pick<Ticket, 'billable' | 'timeEntries'>
  | Pick<TicketFigures, 'billable' | 'minutesWorked'>;

export function minutesWorked(ticket: WorkedTicket): number {
  if ('minutesWorked' in ticket) return ticket.minutesWorked;
  return (ticket.timeEntries ?? []).reduce((sum, entry) => sum + entry.minutes, 0);
}

/**
 * The quarter hours a ticket bills: none unless it is billable (the customer consented to
 * extended support) and the contract bills per ticket (managed services bill nothing).
 */
export function billedQuarterHours(
  ticket: WorkedTicket,
  contract: Pick<Contract, 'model'> | undefined,
): number {
  if (!ticket.billable || contract?.model === 'managed-services') return 0;
  return startedQuarterHours(minutesWorked(ticket));
}
