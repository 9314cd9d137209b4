import type { Action } from './action.ts';
import type { Conversation } from './conversation.ts';
import type { Language } from './language.ts';
import type { MatchResult, Verdict } from './match.ts';
import type { Turn } from './turn.ts';

/** Everything one turn's handlers need to know, worked out once by the engine. */
export interface TurnContext {
  turn: Turn;
  conversation: Conversation;
  /** The reply language for this turn (already stored as the conversation's default). */
  language: Language;
  /** The customer's text, cleaned and cut to a safe length; undefined for a button click. */
  text?: string | undefined;
  action?: Action | undefined;
  /** Understanding of the text (undefined for a button click). */
  match?: MatchResult | undefined;
  verdict: Verdict;
  /** The clear intent of a short message (affirm, deny, cancel, ...), for yes/no questions. */
  shortIntent?: string | undefined;
  now: number;
}
