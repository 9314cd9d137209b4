import { messagesFor } from '../core/messages.ts';
import { moveOwner } from '../core/owner-transition.ts';
import type { Reply } from '../core/reply.ts';
import type { Ticket } from '../core/ticket.ts';
import type { TurnContext } from '../core/turn-context.ts';
import type { TicketReopening } from './ticket-reopening.ts';

/**
 * The customer reopens their resolved ticket (the button under the resolution notice, or "still
 * not working" right after it): the conversation waits for the ticket again, and what they wrote
 * goes onto it. Too late, someone else's or not resolved: a polite answer, nothing changes.
 */
export async function reopenForCustomer(
  context: TurnContext,
  ticketId: string,
  reopening: TicketReopening,
  addToTicket: (context: TurnContext, ticket: Ticket) => Promise<void>,
): Promise<Reply[]> {
  const { conversation, language } = context;
  const say = messagesFor(language);
  const notice = (text: string): Reply[] => [{ type: 'notice', text, actions: [], language }];
  const result = await reopening.reopen(ticketId, {
    kind: 'customer',
    customerId: conversation.customer.id,
    turnId: context.turn.id,
  });
  if (!result.ok) {
    if (result.code === 'too_late') return notice(say.reopenTooLate(ticketId, reopening.graceHours));
    return notice(say.staleAction);
  }
  moveOwner(conversation, { type: 'ticket-reopened', ticketId: result.ticket.id });
  if (conversation.pending?.kind === 'rating') conversation.pending = undefined;
  if (context.text) await addToTicket(context, result.ticket);
  return notice(say.reopened(result.ticket.id));
}
