import { findTicketId } from './bot-responder.ts';
import { asksToEscalate } from './escalation-request.ts';
import type { TurnContext } from './turn-context.ts';

/** What a customer waiting on an open ticket may ask for, besides adding to it. */

/** "Bitte eskalieren", "this is urgent", or the escalate button. */
export function wantsEscalation(context: Pick<TurnContext, 'action' | 'text'>): boolean {
  return context.action?.type === 'escalate' || (context.text !== undefined && asksToEscalate(context.text));
}

/** A status question while waiting: the ticket id asked about, true for "my ticket", else undefined. */
export function statusQuestion(context: Pick<TurnContext, 'text' | 'verdict'>): string | true | undefined {
  if (!context.text) return undefined;
  const id = findTicketId(context.text);
  if (id) return id;
  const verdict = context.verdict;
  return verdict.kind === 'clear' && verdict.best.kind === 'intent' && verdict.best.id === 'ticket-status'
    ? true
    : undefined;
}
