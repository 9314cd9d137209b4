import type { Conversation, IntakeState, Owner } from './conversation.ts';

/**
 * What changes who speaks for a conversation. Every change of `owner` is one of these, applied by
 * `transition`: nothing else writes `owner`, and each event resets what goes with it, once.
 */
export type OwnerEvent =
  /** The bot starts collecting the problem's details. */
  | { type: 'intake-started'; intake: IntakeState }
  /** The customer cancelled the intake or declined a billable ticket: the bot carries on. */
  | { type: 'intake-ended' }
  /** The intake's ticket exists: the conversation waits for it (or its agent, if taken already). */
  | { type: 'ticket-opened'; ticketId: string; taken: boolean }
  /** An agent took the ticket (claim, or a reply to a waiting ticket). */
  | { type: 'ticket-taken'; ticketId: string }
  /** The ticket waits in a queue again (escalated to another queue or level). */
  | { type: 'ticket-waiting'; ticketId: string }
  /** Solved: the customer may rate it; the next message starts afresh. */
  | { type: 'ticket-resolved'; ticketId: string }
  /** An agent gave the conversation back to the bot (the ticket is closed, unsolved). */
  | { type: 'ticket-given-back'; ticketId: string }
  /** The customer withdrew the waiting ticket. */
  | { type: 'ticket-withdrawn'; ticketId: string }
  /** The ticket is closed or gone while the conversation still waited for it: the bot takes over. */
  | { type: 'ticket-closed-elsewhere' }
  /** A resolved ticket was reopened: the conversation waits for it again, unless it is busy elsewhere. */
  | { type: 'ticket-reopened'; ticketId: string }
  /** A new message after a resolved ticket: the bot starts afresh. */
  | { type: 'new-topic' }
  /**
   * A ticket opened in a turn whose conversation change was refused (another process wrote the
   * conversation while the store was away): the conversation waits for it, unless it waits for
   * a ticket of its own.
   */
  | { type: 'ticket-recovered'; ticketId: string; taken: boolean };

/** Ticket events apply only to the conversation still waiting for that ticket. */
function aboutItsTicket(conversation: Conversation, ticketId: string): boolean {
  return (
    conversation.ticketId === ticketId && (conversation.owner === 'queued' || conversation.owner === 'agent')
  );
}

/** The bot owns the conversation again, with nothing of the earlier problem left. */
function fresh(conversation: Conversation): Conversation {
  return {
    ...conversation,
    owner: 'bot',
    intake: undefined,
    pending: undefined,
    problems: undefined,
    rephraseAsked: false,
    lastAnsweredEntryId: undefined,
    ticketId: undefined,
  };
}

const withOwner = (conversation: Conversation, owner: Owner, ticketId: string): Conversation => ({
  ...conversation,
  owner,
  ticketId,
  intake: undefined,
  pending: undefined,
});

/**
 * The conversation after `event`: a new object, the input unchanged. An event that does not apply
 * (an agent action on a ticket the customer has withdrawn meanwhile, a second "opened") returns the
 * conversation as it is, so a late or repeated event can never take a conversation back.
 */
export function transition(conversation: Conversation, event: OwnerEvent): Conversation {
  switch (event.type) {
    case 'intake-started':
      if (conversation.owner !== 'bot' && conversation.owner !== 'closed') return conversation;
      return { ...conversation, owner: 'intake', intake: event.intake, pending: undefined };
    case 'intake-ended':
      if (conversation.owner !== 'intake') return conversation;
      return { ...conversation, owner: 'bot', intake: undefined, problems: undefined, rephraseAsked: false };
    case 'ticket-opened':
      if (conversation.owner !== 'intake') return conversation;
      return {
        ...withOwner(conversation, event.taken ? 'agent' : 'queued', event.ticketId),
        problems: undefined,
      };
    case 'ticket-taken':
      return aboutItsTicket(conversation, event.ticketId)
        ? withOwner(conversation, 'agent', event.ticketId)
        : conversation;
    case 'ticket-waiting':
      return aboutItsTicket(conversation, event.ticketId)
        ? withOwner(conversation, 'queued', event.ticketId)
        : conversation;
    case 'ticket-resolved':
      if (!aboutItsTicket(conversation, event.ticketId)) return conversation;
      return {
        ...withOwner(conversation, 'closed', event.ticketId),
        pending: { kind: 'rating', ticketId: event.ticketId },
      };
    case 'ticket-given-back':
    case 'ticket-withdrawn':
      return aboutItsTicket(conversation, event.ticketId) ? fresh(conversation) : conversation;
    case 'ticket-closed-elsewhere':
      // Raised by the engine after looking up the conversation's own ticket, whatever its id says.
      return conversation.owner === 'queued' || conversation.owner === 'agent'
        ? fresh(conversation)
        : conversation;
    case 'ticket-reopened':
      // An intake in progress or another open ticket keeps the conversation; the ticket still reopens.
      if (conversation.owner !== 'closed' && conversation.owner !== 'bot') return conversation;
      return { ...withOwner(conversation, 'queued', event.ticketId), problems: undefined };
    case 'new-topic':
      return conversation.owner === 'closed' ? fresh(conversation) : conversation;
    case 'ticket-recovered':
      if (conversation.owner === 'queued' || conversation.owner === 'agent') return conversation;
      return {
        ...withOwner(conversation, event.taken ? 'agent' : 'queued', event.ticketId),
        problems: undefined,
      };
  }
}

/** Applies `transition` to a conversation held by reference (the turn's working copy). */
export function moveOwner(conversation: Conversation, event: OwnerEvent): void {
  Object.assign(conversation, transition(conversation, event));
}
