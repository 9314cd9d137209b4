import type { TicketFollowUpPort } from '../core/handoff-port.ts';
import type { Reply } from '../core/reply.ts';
import type { Ticket } from '../core/ticket.ts';
import type { TurnContext } from '../core/turn-context.ts';
import { keepAttachments } from './attachment-keeping.ts';
import { reopenForCustomer } from './customer-reopen.ts';
import type { Handoff } from './handoff.ts';
import { saysNotSolved, type TicketReopening } from './ticket-reopening.ts';

/** The engine's way to a ticket's files and its reopening (core's TicketFollowUpPort). */
export class TicketFollowUp implements TicketFollowUpPort {
  constructor(
    private readonly handoff: Handoff,
    private readonly reopening: TicketReopening,
  ) {}

  keepAttachments(context: TurnContext): Promise<Reply | undefined> {
    return keepAttachments(context, this.handoff);
  }

  saysNotSolved(text: string): boolean {
    return saysNotSolved(text);
  }

  reopen(
    context: TurnContext,
    ticketId: string,
    addToTicket: (context: TurnContext, ticket: Ticket) => Promise<void>,
  ): Promise<Reply[]> {
    return reopenForCustomer(context, ticketId, this.reopening, addToTicket);
  }
}
