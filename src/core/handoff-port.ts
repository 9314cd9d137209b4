import type { Conversation } from './conversation.ts';
import type { Language } from './language.ts';
import type { Candidate } from './match.ts';
import type { Reply } from './reply.ts';
import type { Ticket, TicketEvent } from './ticket.ts';
import type { Customer } from './turn.ts';
import type { TurnContext } from './turn-context.ts';

/** Where a ticket stands in its queue, as the customer is told. */
export interface QueueStanding {
  /** 1-based; undefined when the ticket is not waiting in a queue. */
  position?: number | undefined;
  expectedWaitMinutes?: number | undefined;
}

/**
 * What the engine asks of the hand-off to second-level support (handoff/handoff.ts implements
 * it): open a ticket from a finished intake, tell its place in the queue, record what happens.
 */
export interface HandoffPort {
  /** Idempotent per intake: a hand-off stopped half way is finished with the same ticket. */
  openTicket(conversation: Conversation, candidates: Candidate[]): Promise<{ ticket: Ticket; reply: Reply }>;
  /** The ticket an earlier, interrupted hand-off of this intake opened, and what to tell the customer. */
  resume(conversation: Conversation): Promise<{ ticket: Ticket; reply: Reply } | undefined>;
  standing(ticket: Ticket): Promise<QueueStanding>;
  /** Place, expected wait and due times, as one sentence for the customer. */
  statusDetails(ticket: Ticket, standing: QueueStanding, language: Language): string;
  queueName(queueId: string, language: Language): string;
  /** Appends an event (and applies a change) atomically; undefined when the ticket does not exist. */
  record(
    ticketId: string,
    event: Omit<TicketEvent, 'at'>,
    change?: (ticket: Ticket) => Ticket,
  ): Promise<Ticket | undefined>;
  /** The customer's words on their ticket (a ticket waiting for the customer runs its clocks again). */
  recordCustomerMessage(
    ticketId: string,
    event: Omit<TicketEvent, 'at'>,
    language: Language,
  ): Promise<Ticket | undefined>;
}

/** The customer's own contract figures beside a general answer (handoff/contract-answers.ts). */
export interface ContractAnswersPort {
  /** True when this entry has the customer's own figures (a recognised customer, a mapped entry). */
  covers(entryId: string, customer: Customer): boolean;
  forEntry(
    entryId: string,
    customer: Customer,
    text: string | undefined,
    language: Language,
  ): Promise<string | undefined>;
}

/** What the engine asks of handoff/ after a ticket exists: files the customer sends, and reopening. */
export interface TicketFollowUpPort {
  /** Keeps the turn's attachments on the open ticket or the conversation; the notice to say, if any. */
  keepAttachments(context: TurnContext): Promise<Reply | undefined>;
  /** "Still not working" and the like, right after a resolution. */
  saysNotSolved(text: string): boolean;
  /** The customer reopens their ticket (the button, or words right after the resolution). */
  reopen(
    context: TurnContext,
    ticketId: string,
    addToTicket: (context: TurnContext, ticket: Ticket) => Promise<void>,
  ): Promise<Reply[]>;
}
