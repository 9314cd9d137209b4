import type { Clock } from '../core/clock.ts';
import type { ReplySink } from '../core/delivery.ts';
import { errorCode, errorMessage, type Logger } from '../core/logger.ts';
import type { Stores } from '../core/ports.ts';
import type { Ticket, TicketEvent } from '../core/ticket.ts';
import type { TicketEventHub } from '../core/ticket-events.ts';
import { BalanceWarnings } from './balance-warnings.ts';
import { billedQuarterHours } from './billable-time.ts';
import type { BlockHourBalance } from './contract-ledger.ts';
import type { CustomerDirectory } from './customer-directory.ts';

/** One recording is at most a working day; more is a typo (minutes for hours). */
export const MAX_MINUTES_PER_ENTRY = 12 * 60;

export type TimeRecordResult =
  | { ok: true; ticket: Ticket; quarterHours: number; balance?: BlockHourBalance | undefined }
  | { ok: false; code: 'not_found' | 'not_allowed' | 'invalid'; message: string };

export interface TimeRecordingDeps {
  stores: Pick<Stores, 'tickets' | 'dedupe' | 'outbox'>;
  customers: CustomerDirectory;
  ticketEvents: TicketEventHub;
  /** The outbox's reply sink: the balance warning reaches the customer like any other message. */
  delivery: ReplySink;
  clock: Clock;
  log: Logger;
  /** SMTP is configured: balance warnings also go to the organisation's contact by e-mail. */
  mailContacts?: boolean | undefined;
}

/**
 * Agents record the time they worked on a ticket. A billable ticket bills its total per started
 * quarter hour; for block hours the organisation's balance drops, and when it falls to the
 * contract's low mark (and again when it is used up) the organisation is warned once
 * (BalanceWarnings).
 */
export class TimeRecording {
  private readonly warnings: BalanceWarnings;

  constructor(private readonly deps: TimeRecordingDeps) {
    this.warnings = new BalanceWarnings({ ...deps, mailContacts: deps.mailContacts ?? false });
  }

  async record(ticketId: string, agent: string, minutes: number, note?: string): Promise<TimeRecordResult> {
    if (!agent.trim()) return { ok: false, code: 'invalid', message: 'agent is required' };
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_MINUTES_PER_ENTRY) {
      return {
        ok: false,
        code: 'invalid',
        message: `minutes must be a whole number from 1 to ${MAX_MINUTES_PER_ENTRY}`,
      };
    }
    const id = ticketId.trim().toUpperCase();
    const now = this.deps.clock.now();
    const text = note?.trim().slice(0, 500) || undefined;
    let refused: string | undefined;
    let event: TicketEvent | undefined;
    const updated = await this.deps.stores.tickets.update(id, (current) => {
      refused = current.status === 'cancelled' ? `${current.id} was withdrawn` : undefined;
      event = undefined;
      if (refused) return current;
      event = { at: now, type: 'time-recorded', by: agent, minutes, text };
      const entry = { at: now, by: agent, minutes, ...(text ? { note: text } : {}) };
      return {
        ...current,
        updatedAt: now,
        timeEntries: [...(current.timeEntries ?? []), entry],
        events: [...current.events, event],
      };
    });
    if (!updated) return { ok: false, code: 'not_found', message: `no ticket ${id}` };
    if (refused || !event) return { ok: false, code: 'not_allowed', message: refused ?? 'not recorded' };
    await this.deps.ticketEvents.onTicketEvent(updated, event);
    const organisation = this.deps.customers.organisation(updated.organisation);
    const quarterHours = billedQuarterHours(updated, organisation?.contract);
    let balance: BlockHourBalance | undefined;
    try {
      balance = await this.warnings.check(updated);
    } catch (error) {
      // The time is recorded; a warning that could not be queued is logged, not a failed recording.
      this.deps.log.error('balance warning failed', {
        code: errorCode(error),
        error: errorMessage(error),
        organisation: updated.organisation,
      });
    }
    return { ok: true, ticket: updated, quarterHours, balance };
  }
}
