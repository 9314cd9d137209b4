import type { Ticket, TicketEvent } from '../core/ticket.ts';
import type { TicketListener } from '../core/ticket-events.ts';
import type { IncidentDesk } from './incident-desk.ts';

/**
 * A ticket a customer insisted on during an incident names the incident (`announcementId`); this
 * listener notes the ticket on the incident's link too, so the console shows both sides. An outbox
 * listener: it runs once per created ticket, in whichever process.
 */
export class IncidentTicketLinks implements TicketListener {
  constructor(private readonly desk: IncidentDesk) {}

  async onTicketEvent(ticket: Ticket, event: TicketEvent): Promise<void> {
    if (event.type !== 'created' || ticket.announcementId === undefined) return;
    await this.desk.attachTicket(ticket.announcementId, ticket.conversation.conversationId, ticket.id);
  }
}
