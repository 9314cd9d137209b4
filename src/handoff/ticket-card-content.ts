import type { Ticket, TicketEvent } from '../core/ticket.ts';
import { type Customer, customerReference } from '../core/turn.ts';

/**
 * What an agent channel's ticket card says, before any platform's markup: Slack's Block Kit card
 * and Teams' Adaptive Card show the same facts in the same words.
 */

/** The line the card is titled with: the intake summary, else the customer's first message. */
export function ticketSummary(ticket: Ticket): string {
  return ticket.details.summary ?? ticket.transcript.find((l) => l.from === 'customer')?.text ?? '';
}

/** Who the customer is, as far as the platform or a verified identity says: name, organisation, e-mail. */
export function customerLine(customer: Customer): string {
  return [customerReference(customer), customer.organisation, customer.email].filter(Boolean).join(' · ');
}

export function isOpenTicket(ticket: Ticket): boolean {
  return ticket.status === 'queued' || ticket.status === 'claimed';
}

/** Where an SLA clock stands: met or late once reached, else running (due or overdue), or stopped unmet. */
export type SlaStanding = 'met' | 'late' | 'due' | 'overdue' | 'closed';

export function slaStanding(due: number, metAt: number | undefined, now: number, open: boolean): SlaStanding {
  if (metAt !== undefined) return metAt <= due ? 'met' : 'late';
  if (!open) return 'closed';
  return now > due ? 'overdue' : 'due';
}

export function billableConsentText(ticket: Ticket): string {
  if (ticket.billableConsent === true) return 'customer agreed';
  if (ticket.billableConsent === false) return 'customer declined';
  return 'not asked';
}

/** `Last change: escalated to network by Anna` (the date is the platform's); `safe` makes names fit its markup. */
export function lastChangeText(event: TicketEvent, safe: (text: string) => string): string {
  const by = event.by ? ` by ${safe(event.by)}` : '';
  let where = '';
  if (event.type === 'escalated') {
    if (event.level === 3) where = ' to third level';
    else if (event.queue) where = ` to ${safe(event.queue)}`;
  }
  return `Last change: ${event.type}${where}${by}`;
}
