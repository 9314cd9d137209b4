/**
 * What a customer can click. Every reply offers its actions; a channel renders them as buttons
 * (Block Kit, Adaptive Card, HTML) and sends the chosen one back unchanged inside a Turn.
 */
export type Action =
  /** Show this FAQ entry (a "Did you mean" choice or a related follow-up). */
  | { type: 'show-entry'; entryId: string; label: string }
  /** "Did this help?" on an answer; `reason` only with helpful=false, optional. */
  | { type: 'feedback'; entryId: string; helpful: boolean; label: string; reason?: string }
  /** Hand the conversation to a person. */
  | { type: 'talk-to-person'; label: string }
  /** None of the offered choices fits. */
  | { type: 'none-of-these'; label: string }
  /** Consent to billable extended support (accept) or decline it. */
  | { type: 'consent'; accept: boolean; label: string }
  /** Pick one of the allowed values of an intake field (impact, urgency, ...). */
  | { type: 'choose-value'; field: string; value: string; label: string }
  /** Skip an optional intake field. */
  | { type: 'skip'; field: string; label: string }
  /** Submit several intake fields at once (a Slack modal or a Teams card form). */
  | { type: 'submit-form'; values: Record<string, string>; label: string }
  /** Stop what is going on (intake, waiting in a queue). */
  | { type: 'cancel'; label: string }
  /** While a ticket is open: it is urgent, the team should look at it first. */
  | { type: 'escalate'; label: string }
  /** Answer a satisfaction question after a ticket was resolved (1..5). */
  | { type: 'rate'; ticketId: string; rating: number; label: string }
  /** A resolved ticket is not solved after all: it goes back to its queue (within the grace period). */
  | { type: 'reopen'; ticketId: string; label: string };

export type ActionType = Action['type'];
