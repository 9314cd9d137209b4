import { cleanText } from './clean-text.ts';
import type { HandoffPort } from './handoff-port.ts';
import { messagesFor } from './messages.ts';
import { moveOwner } from './owner-transition.ts';
import type { Stores } from './ports.ts';
import { isCancelWord } from './quick-words.ts';
import type { Reply } from './reply.ts';
import type { Ticket } from './ticket.ts';
import type { TurnContext } from './turn-context.ts';

/** A form's values in a ticket's history are for reading, not for filling a whole screen. */
const MAX_FORM_TEXT = 8000;

/** How a click reads in a ticket's history; a form sent while waiting brings its values along. */
function actionText(context: TurnContext): string {
  if (context.text !== undefined) return context.text;
  const action = context.action;
  if (!action) return '';
  if (action.type !== 'submit-form') return `[${action.label}]`;
  const lines = Object.entries(action.values)
    .map(([name, value]) => [name, cleanText(value)] as const)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}: ${value}`);
  return [`[${action.label}]`, ...lines].join('\n').slice(0, MAX_FORM_TEXT);
}

/**
 * Turns while a ticket is open. `queued`: the bot tells position and expected wait and adds what
 * the customer writes to the ticket. `agent`: a person owns the conversation; the bot adds the
 * message to the ticket (listeners mirror it to the agent) and says nothing itself.
 */
export class HandedOverResponder {
  constructor(private readonly deps: { stores: Stores; handoff: HandoffPort }) {}

  /** The open ticket, with the owner set right if an agent changed it meanwhile (undefined: no ticket). */
  async openTicket(context: TurnContext): Promise<Ticket | undefined> {
    const { conversation } = context;
    const ticket = conversation.ticketId
      ? await this.deps.stores.tickets.get(conversation.ticketId)
      : undefined;
    if (!ticket || ticket.status === 'resolved' || ticket.status === 'cancelled') return undefined;
    // The ticket is the truth: an agent action whose conversation write did not happen (its process
    // died in between) is caught up here.
    moveOwner(conversation, {
      type: ticket.status === 'claimed' ? 'ticket-taken' : 'ticket-waiting',
      ticketId: ticket.id,
    });
    return ticket;
  }

  async queued(context: TurnContext, ticket: Ticket): Promise<Reply[]> {
    const { language, action, text, conversation } = context;
    const say = messagesFor(language);
    const wantsCancel =
      action?.type === 'cancel' ||
      (text !== undefined && (isCancelWord(text) || context.shortIntent === 'cancel'));
    if (wantsCancel) {
      await this.deps.handoff.record(ticket.id, { type: 'cancelled', by: conversation.customer.id }, (t) => ({
        ...t,
        status: 'cancelled',
      }));
      await this.deps.stores.queues.remove(ticket.queue, ticket.id);
      moveOwner(conversation, { type: 'ticket-withdrawn', ticketId: ticket.id });
      return [{ type: 'notice', text: say.ticketWithdrawn(ticket.id), actions: [], language }];
    }
    const standing = await this.deps.handoff.standing(ticket);
    const position = standing.position ?? 1;
    const wait = standing.expectedWaitMinutes ?? 0;
    const cancelAction = { type: 'cancel' as const, label: say.cancelTicket };
    const escalateAction = { type: 'escalate' as const, label: say.escalateTicket };
    if (action?.type === 'talk-to-person' || context.shortIntent === 'human') {
      return [
        {
          type: 'notice',
          text: `${say.alreadyQueued(ticket.id, position, wait)} ${this.deps.handoff.statusDetails(ticket, standing, language)}`,
          actions: [escalateAction, cancelAction],
          language,
        },
      ];
    }
    await this.addToTicket(context, ticket);
    return [
      {
        type: 'notice',
        text: `${say.queuedUpdate(ticket.id, position, wait)} ${this.deps.handoff.statusDetails(ticket, standing, language)}`,
        actions: [escalateAction, cancelAction],
        language,
      },
    ];
  }

  async agent(context: TurnContext, ticket: Ticket): Promise<Reply[]> {
    await this.addToTicket(context, ticket);
    // The person answers; the bot stays silent so two never answer one message.
    return [];
  }

  /**
   * The customer says it is urgent (a button, or words like "dringend", "eskalieren",
   * "escalate"): the message reaches the ticket, the ticket is marked and its queue told (once:
   * the listeners hear the `escalation-requested` event), and the customer learns what happens.
   */
  async escalationRequested(context: TurnContext, ticket: Ticket): Promise<Reply[]> {
    const { language, conversation } = context;
    const say = messagesFor(language);
    await this.addToTicket(context, ticket);
    const first = ticket.escalationRequestedAt === undefined;
    if (first) {
      await this.deps.handoff.record(
        ticket.id,
        {
          type: 'escalation-requested',
          by: conversation.customer.name ?? conversation.customer.id,
          text: context.text,
          turnId: context.turn.id,
        },
        (t) => ({ ...t, escalationRequestedAt: t.escalationRequestedAt ?? context.now }),
      );
    }
    const text = first ? say.escalationRequested(ticket.id) : say.escalationAlreadyRequested(ticket.id);
    return [{ type: 'notice', text, actions: [], language }];
  }

  /** Adds what the customer wrote (or clicked) to the ticket, once per turn. */
  async addToTicket(context: TurnContext, ticket: Ticket): Promise<void> {
    const text = actionText(context);
    if (!text) return;
    // The ticket keeps the language the customer writes in now, for agents and notices alike.
    await this.deps.handoff.recordCustomerMessage(
      ticket.id,
      {
        type: 'customer-message',
        by: context.conversation.customer.name ?? context.conversation.customer.id,
        text,
        turnId: context.turn.id,
      },
      context.language,
    );
  }
}
