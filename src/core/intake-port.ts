import type { Action } from './action.ts';
import type { IntakeState } from './conversation.ts';
import type { Language } from './language.ts';
import type { Reply } from './reply.ts';

export interface IntakeStart {
  queue: string;
  entryId?: string | undefined;
  billable: boolean;
  reason: IntakeState['reason'];
  /** The customer's question, offered as the summary. */
  question?: string | undefined;
}

export interface IntakeInput {
  text?: string | undefined;
  action?: Action | undefined;
  /** The matcher's clear intent for the message, if any (affirm, deny, cancel). */
  intent?: string | undefined;
}

/** What one intake step led to; the state passed in is updated in place. */
export type IntakeOutcome =
  | { kind: 'continue'; replies: Reply[] }
  /** Every field is known: the engine opens the ticket. */
  | { kind: 'complete'; replies: Reply[] }
  | { kind: 'cancelled'; replies: Reply[] }
  /** Billable extended support declined: no ticket. */
  | { kind: 'declined'; replies: Reply[] };

/** What the engine asks of the intake of a problem's details (intake/intake-flow.ts implements it). */
export interface IntakePort {
  /** True when every filled-in value of a form names a field of this queue's form. */
  fits(queue: string, values: Record<string, string>): boolean;
  begin(start: IntakeStart, language: Language): { state: IntakeState; replies: Reply[] };
  /** One step of the intake; the state passed in is updated in place. */
  step(state: IntakeState, input: IntakeInput, language: Language): IntakeOutcome;
}
