import type { Conversation, TranscriptLine } from './conversation.ts';
import { customerLanguage } from './customer-language.ts';
import type { Turn } from './turn.ts';

/** A conversation keeps its latest lines; the ticket gets a copy at hand-off. */
const MAX_TRANSCRIPT_LINES = 200;

/** A new conversation, owned by the bot, in the language the turn's locale suggests. */
export function newConversation(turn: Turn, now: number): Conversation {
  return {
    id: turn.conversation.conversationId,
    ref: turn.conversation,
    customer: turn.customer,
    owner: 'bot',
    language: customerLanguage(undefined, turn.locale),
    transcript: [],
    rephraseAsked: false,
    createdAt: now,
    updatedAt: now,
  };
}

export function appendTranscript(conversation: Conversation, line: TranscriptLine): void {
  conversation.transcript.push(line);
  if (conversation.transcript.length > MAX_TRANSCRIPT_LINES) {
    conversation.transcript.splice(0, conversation.transcript.length - MAX_TRANSCRIPT_LINES);
  }
}

/** The conversation has the customer line of this turn: its run got as far as the write. */
export function appliedIn(stored: Conversation | undefined, turnId: string): boolean {
  return stored?.transcript.some((line) => line.turn === turnId) ?? false;
}

/**
 * A repeated turn is handled again only when its first attempt left a hand-off half done (the
 * ticket reserved, the conversation not saved after it): the repeat finishes it, same ticket.
 */
export function handoffUnfinished(stored: Conversation | undefined): boolean {
  return stored?.owner === 'intake' && stored.intake?.ticketId !== undefined;
}
