import type { Action } from '../../../src/core/action.ts';
import type { Reply } from '../../../src/core/reply.ts';

/** What a customer would type for an intake field without options. */
export function answerFor(field: string): string {
  if (field === 'contact') return 'max.muster@example.com';
  if (field === 'system') return 'Drucker';
  if (field === 'since') return 'seit heute Morgen';
  return 'Der Drucker im zweiten Stock druckt nur leere Seiten';
}

/**
 * Decides the customer's next step during intake from the bot's last replies, the way a person
 * clicking through would: confirm or pick the first option, skip optional fields, type the rest.
 * Undefined when the replies ask for nothing (ticket created, or the flow ended).
 */
export function nextIntakeStep(replies: Reply[]): { text: string } | { action: Action } | undefined {
  const last = [...replies].reverse().find((r) => r.type === 'ask' || r.type === 'choices');
  if (!last || replies.some((r) => r.type === 'ticket')) return undefined;
  const consent = last.actions.find((a) => a.type === 'consent' && a.accept);
  if (consent) return { action: consent };
  const pick = last.actions.find((a) => a.type === 'choose-value');
  if (pick) return { action: pick };
  const skip = last.actions.find((a) => a.type === 'skip');
  if (skip) return { action: skip };
  if (last.type === 'ask') return { text: answerFor(last.field.name) };
  return undefined;
}
