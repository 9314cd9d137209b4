import type { Clock } from '../core/clock.ts';
import type { Conversation } from '../core/conversation.ts';
import { customerLanguage } from '../core/customer-language.ts';
import type { ReplySink } from '../core/delivery.ts';
import { ConversationConflictError } from '../core/errors.ts';
import type { Language } from '../core/language.ts';
import { errorCode, errorMessage, type Logger } from '../core/logger.ts';
import type { Stores } from '../core/ports.ts';
import type { Reply } from '../core/reply.ts';
import type { Ticket } from '../core/ticket.ts';

/** An agent action whose conversation keeps being changed meanwhile gives up after this many tries. */
const MAX_CONVERSATION_ATTEMPTS = 5;

/** The customer's side of a ticket, as agent actions reach it: their conversation and their messages. */
export class CustomerConversation {
  constructor(
    private readonly deps: {
      stores: Pick<Stores, 'conversations'>;
      delivery: ReplySink;
      clock: Clock;
      log: Logger;
    },
  ) {}

  /**
   * Changes the customer's conversation, if it still belongs to this ticket. Returns the language
   * to tell the customer in: theirs now (see customerLanguage), the ticket's when the conversation
   * is gone.
   */
  async change(ticket: Ticket, change: (conversation: Conversation) => void): Promise<Language> {
    const { conversations } = this.deps.stores;
    for (let attempt = 1; ; attempt++) {
      const conversation = await conversations.get(ticket.conversation.conversationId);
      const language = customerLanguage(conversation, ticket.language);
      if (!conversation || (conversation.ticketId !== undefined && conversation.ticketId !== ticket.id)) {
        return language;
      }
      change(conversation);
      conversation.updatedAt = this.deps.clock.now();
      // A customer turn (in any process) wrote meanwhile: read again and change that.
      if ((await conversations.put(conversation)) === 'written') return language;
      if (attempt >= MAX_CONVERSATION_ATTEMPTS) throw new ConversationConflictError(conversation.id);
    }
  }

  async send(ticket: Ticket, replies: Reply[]): Promise<void> {
    try {
      await this.deps.delivery.deliver(ticket.conversation, replies);
    } catch (error) {
      // The change itself is stored; a sink that throws is logged, not turned into a failed action.
      this.deps.log.error('delivery to customer failed', {
        code: errorCode(error),
        error: errorMessage(error),
        ticketId: ticket.id,
      });
    }
  }
}
