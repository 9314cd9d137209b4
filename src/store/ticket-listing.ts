import type { TicketFilter } from '../core/ports.ts';
import type { Ticket } from '../core/ticket.ts';

/** The fields a ticket listing filters and sorts on, kept beside the stored JSON. */
export interface TicketListing {
  id: string;
  status: Ticket['status'];
  queue: string;
  customerId: string;
  createdAt: number;
  /** Absent on listings written before organisations were known. */
  organisation?: string | undefined;
}

export function listingOf(ticket: Ticket): TicketListing {
  return {
    id: ticket.id,
    status: ticket.status,
    queue: ticket.queue,
    customerId: ticket.customer.id,
    createdAt: ticket.createdAt,
    ...(ticket.organisation === undefined ? {} : { organisation: ticket.organisation }),
  };
}

/** A listing as stored beside a ticket (Redis), or undefined when it is not one. */
export function parseListing(text: string): TicketListing | undefined {
  try {
    const value = JSON.parse(text) as Partial<TicketListing> | null;
    if (
      typeof value?.id !== 'string' ||
      typeof value.status !== 'string' ||
      typeof value.queue !== 'string' ||
      typeof value.customerId !== 'string' ||
      typeof value.createdAt !== 'number'
    )
      return undefined;
    return value as TicketListing;
  } catch {
    return undefined;
  }
}

/** What a filter reads of a ticket: its listing, or its figures (which lack the customer). */
type Filterable = Omit<TicketListing, 'id' | 'customerId'> & { customerId?: string | undefined };

export function matchesTicketFilter(listing: Filterable, filter: TicketFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.status && !filter.status.includes(listing.status)) return false;
  if (filter.queue !== undefined && listing.queue !== filter.queue) return false;
  if (filter.customerId !== undefined && listing.customerId !== filter.customerId) return false;
  if (filter.organisation !== undefined && listing.organisation !== filter.organisation) return false;
  if (filter.createdFrom !== undefined && listing.createdAt < filter.createdFrom) return false;
  if (filter.createdBefore !== undefined && listing.createdAt >= filter.createdBefore) return false;
  return true;
}

/** Newest first; equal creation times fall back to the ticket number (SUP-1002 before SUP-1001). */
export function compareNewestFirst(
  a: Pick<TicketListing, 'id' | 'createdAt'>,
  b: Pick<TicketListing, 'id' | 'createdAt'>,
): number {
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  // Same prefix, so a longer id is a larger number; otherwise plain text order.
  if (a.id.length !== b.id.length) return b.id.length - a.id.length;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
