import type { Ticket, TicketEvent } from '../core/ticket.ts';

/** What an agent action gives back: the changed ticket, or a coded reason why nothing changed. */

export type DeskErrorCode = 'not_found' | 'not_allowed' | 'invalid' | 'conflict';

/** Every agent action returns a value: the changed ticket, or why nothing changed. */
export type DeskResult = { ok: true; ticket: Ticket } | { ok: false; code: DeskErrorCode; message: string };

export interface EscalateOptions {
  /** Move to another second-level queue. */
  queue?: string | undefined;
  /** Hand to third-level support. */
  level?: 3 | undefined;
  /** Why (kept with the event). */
  reason?: string | undefined;
}

export type Decision =
  | { ticket: Ticket; event: Omit<TicketEvent, 'at'> }
  | { noop: true }
  | { code: DeskErrorCode; message: string };

export type ChangeResult =
  | { ok: true; ticket: Ticket; unchanged: boolean }
  | { ok: false; code: DeskErrorCode; message: string };

export function normaliseId(ticketId: string): string {
  return ticketId.trim().toUpperCase();
}

export function invalid(message: string): DeskResult {
  return { ok: false, code: 'invalid', message };
}

export function strip(result: ChangeResult): DeskResult {
  return result.ok ? { ok: true, ticket: result.ticket } : result;
}
