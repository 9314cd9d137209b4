import { type AttachmentRemover, attachmentIdsOf } from '../core/attachment.ts';
import { describeErased, type ErasedRecords } from '../core/personal-data-port.ts';
import type { Stores } from '../core/ports.ts';
import type { Ticket, TicketEvent } from '../core/ticket.ts';
import type { TicketListener } from '../core/ticket-events.ts';
import { withoutPersonalData } from '../handoff/ticket-retention.ts';
import { eraseReports } from '../incidents/announcement-reports.ts';
import { findCustomerRecords } from './customer-data.ts';

export interface CustomerErasure {
  customerId: string;
  erasedAt: string;
  /** Tickets that lost their personal fields (their figures stay for reports). */
  tickets: string[];
  /** Of them, the ones still open: cancelled, as nobody is left to answer. */
  cancelledTickets: string[];
  records: ErasedRecords;
  /** Files the customer sent (screenshots, logs), removed from the attachment store. */
  attachments: number;
  /** Their reports taken off maintenance windows and incidents. */
  incidentReports: number;
  /** False when nothing at all was held about the id. */
  found: boolean;
}

export interface CustomerErasureDeps {
  stores: Stores;
  /** Where the erased tickets' cards learn of it (the outbox's ticket events): they redraw without it. */
  ticketEvents?: TicketListener | undefined;
  now: number;
  /** Who asked, for the audit entry. */
  actor: string;
  /** Where the customer's files are kept; without it their descriptions go, the files stay. */
  attachments?: AttachmentRemover | undefined;
}

const OPEN: Ticket['status'][] = ['queued', 'claimed'];

/**
 * Erases everything held about one customer (DSGVO Art. 17): `customerId` as collectCustomerData
 * takes it. Tickets lose their personal fields first (through the ticket store's update, so
 * every process agrees), then the stores drop the conversations and all that is kept under them
 * and rewrite what could still hold the old text; the cards the bot posted are redrawn from the
 * erased tickets through the outbox. The audit entry says who, which id and how many, no text.
 */
export async function eraseCustomerData(
  deps: CustomerErasureDeps,
  customerId: string,
): Promise<CustomerErasure> {
  const { stores, now } = deps;
  const { tickets, conversationIds } = await findCustomerRecords(stores, customerId);
  const conversations = await Promise.all([...conversationIds].map((id) => stores.conversations.get(id)));
  const files = [...new Set(attachmentIdsOf(...tickets, ...conversations))];
  const event: TicketEvent = { at: now, type: 'personal-data-erased', by: deps.actor };
  const erasedTickets: Ticket[] = [];
  const cancelled: string[] = [];
  for (const found of tickets) {
    if (OPEN.includes(found.status)) {
      await stores.queues.remove(found.queue, found.id);
      await stores.slaTimers.cancel(found.id);
    }
    const updated = await stores.tickets.update(found.id, (t) => {
      const open = OPEN.includes(t.status);
      const closed: Ticket = open ? { ...t, status: 'cancelled', updatedAt: now } : t;
      return withoutPersonalData({ ...closed, events: [...closed.events, event] }, now);
    });
    if (!updated) continue;
    erasedTickets.push(updated);
    if (OPEN.includes(found.status)) cancelled.push(found.id);
  }
  const ticketIds = erasedTickets.map((t) => t.id);
  // Before the stores' erasure: its rewrite of the files then drops the reports' old versions too.
  const incidentReports = await eraseReports(stores, new Set([customerId, ...conversationIds]));
  const records = await stores.personalData.erase({ conversationIds: [...conversationIds], ticketIds });
  for (const id of files) await deps.attachments?.remove(id);
  const removedFiles = deps.attachments ? files.length : 0;
  for (const ticket of erasedTickets) await deps.ticketEvents?.onTicketEvent(ticket, event);
  const found =
    ticketIds.length > 0 ||
    incidentReports > 0 ||
    files.length > 0 ||
    Object.values(records).some((n) => n > 0);
  if (found) {
    await stores.audit.append({
      at: now,
      actor: deps.actor,
      action: 'customer.delete',
      target: customerId,
      detail: [
        `${ticketIds.length} ticket(s) without personal data${ticketIds.length > 0 ? ` (${ticketIds.join(', ')})` : ''}`,
        cancelled.length > 0 ? `cancelled: ${cancelled.join(', ')}` : '',
        describeErased(records),
        incidentReports > 0 ? `incident reports ${incidentReports}` : '',
        removedFiles > 0 ? `files ${removedFiles}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    });
  }
  return {
    customerId,
    erasedAt: new Date(now).toISOString(),
    tickets: ticketIds,
    cancelledTickets: cancelled,
    records,
    incidentReports,
    attachments: removedFiles,
    found,
  };
}
