import type { Clock } from '../core/clock.ts';
import type { ReplySink } from '../core/delivery.ts';
import { errorCode, errorMessage, type Logger } from '../core/logger.ts';
import type { Stores } from '../core/ports.ts';
import type { Ticket, TicketEvent } from '../core/ticket.ts';
import type { TicketEventHub } from '../core/ticket-events.ts';
import { billedQuarterHours } from './billable-time.ts';
import { formatNumber } from './contract-answers.ts';
import { type BlockHourBalance, balanceFrom } from './contract-ledger.ts';
import type { CustomerDirectory } from './customer-directory.ts';
import type { Organisation } from './customers-config.ts';

/** One recording is at most a working day; more is a typo (minutes for hours). */
export const MAX_MINUTES_PER_ENTRY = 12 * 60;

export type TimeRecordResult =
  | { ok: true; ticket: Ticket; quarterHours: number; balance?: BlockHourBalance | undefined }
  | { ok: false; code: 'not_found' | 'not_allowed' | 'invalid'; message: string };

export interface TimeRecordingDeps {
  stores: Pick<Stores, 'tickets'>;
  customers: CustomerDirectory;
  ticketEvents: TicketEventHub;
  /** The outbox's reply sink: the balance warning reaches the customer like any other message. */
  delivery: ReplySink;
  clock: Clock;
  log: Logger;
}

/**
 * Agents record the time they worked on a ticket. A billable ticket bills its total per started
 * quarter hour; for block hours the organisation's balance drops, and when it falls to the
 * contract's low mark (and again when it is used up) the customer and every ticket listener (the
 * agents' card, the helpdesk webhook) are told by the recording that crossed it.
 */
export class TimeRecording {
  constructor(private readonly deps: TimeRecordingDeps) {}

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
    let before: Ticket | undefined;
    const updated = await this.deps.stores.tickets.update(id, (current) => {
      refused = current.status === 'cancelled' ? `${current.id} was withdrawn` : undefined;
      event = undefined;
      before = current;
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
    const previous = before ? billedQuarterHours(before, organisation?.contract) : 0;
    const balance = await this.checkBalance(updated, organisation, quarterHours - previous);
    return { ok: true, ticket: updated, quarterHours, balance };
  }

  /**
   * The block-hour balance after this ticket's change; a warning when this change crossed the low
   * mark or zero. Only the crossing warns (later recordings below the mark do not), and the
   * customer's notice is keyed by contract and mark, so two processes crossing together tell once.
   */
  private async checkBalance(
    ticket: Ticket,
    organisation: Organisation | undefined,
    addedQuarterHours: number,
  ): Promise<BlockHourBalance | undefined> {
    if (organisation?.contract.model !== 'block-hours') return undefined;
    const tickets = await this.deps.stores.tickets.list({ organisation: organisation.id });
    const balance = balanceFrom(organisation, tickets);
    const before = balance.hoursLeft + addedQuarterHours / 4;
    const low = organisation.contract.lowBalanceHours;
    const mark =
      before > 0 && balance.hoursLeft <= 0 ? 'out' : before > low && balance.low ? 'low' : undefined;
    if (!mark) return balance;
    try {
      await this.warn(ticket, organisation, balance, mark);
    } catch (error) {
      this.deps.log.error('balance warning failed', {
        code: errorCode(error),
        error: errorMessage(error),
        organisation: organisation.id,
      });
    }
    return balance;
  }

  private async warn(
    ticket: Ticket,
    organisation: Organisation,
    balance: BlockHourBalance,
    mark: 'low' | 'out',
  ): Promise<void> {
    const at = this.deps.clock.now();
    const event: TicketEvent = { at, type: 'balance-low', hoursLeft: balance.hoursLeft, text: mark };
    const updated = await this.deps.stores.tickets.update(ticket.id, (current) => ({
      ...current,
      events: [...current.events, event],
    }));
    if (updated) await this.deps.ticketEvents.onTicketEvent(updated, event);
    const language = ticket.language;
    const left = formatNumber(Math.max(0, balance.hoursLeft), language);
    const text =
      language === 'de'
        ? mark === 'out'
          ? `Hinweis für ${organisation.name}: Ihr Blockstunden-Kontingent ist aufgebraucht. Weitere Arbeit wird nach Aufwand abgerechnet, bis Sie nachkaufen.`
          : `Hinweis für ${organisation.name}: Von Ihren Blockstunden sind nur noch ${left} h übrig.`
        : mark === 'out'
          ? `Note for ${organisation.name}: your block of support hours is used up. Further work is billed for time and material until you top it up.`
          : `Note for ${organisation.name}: only ${left} h of your block hours are left.`;
    // Keyed by contract figure and mark: the outbox adds it once, whichever process gets here.
    const key = `balance-${mark}:${organisation.id}:${balance.hoursBought}`;
    await this.deps.delivery.deliver(
      ticket.conversation,
      [{ type: 'notice', text, actions: [], language }],
      key,
    );
  }
}
