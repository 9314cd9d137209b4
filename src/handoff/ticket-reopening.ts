import type { Clock } from '../core/clock.ts';
import type { Stores } from '../core/ports.ts';
import type { Ticket, TicketEvent } from '../core/ticket.ts';
import type { TicketListener } from '../core/ticket-events.ts';
import type { SupportConfig } from './support-config.ts';

/** Who reopens: the ticket's customer (within the grace period), or an agent (always). */
export type Reopener =
  | { kind: 'customer'; customerId: string; turnId: string }
  | { kind: 'agent'; name: string; reason?: string | undefined };

export type ReopenResult =
  | { ok: true; ticket: Ticket; unchanged: boolean }
  | { ok: false; code: 'not_found' | 'not_allowed' | 'too_late'; message: string };

export interface TicketReopeningDeps {
  stores: Pick<Stores, 'tickets' | 'queues'>;
  support: Pick<SupportConfig, 'reopen'>;
  ticketEvents: TicketListener;
  clock: Clock;
}

const HOUR_MS = 3_600_000;

/**
 * A resolved ticket goes back to its queue: the customer says it is not solved after all (within
 * `reopen.withinHours` of support.yaml), or an agent reopens it. The ticket keeps its number,
 * history and due times (a reopened ticket is late if its resolution time has passed), loses its
 * resolution, and every ticket listener (cards, helpdesk webhook `ticket.reopened`) hears of it.
 */
export class TicketReopening {
  constructor(private readonly deps: TicketReopeningDeps) {}

  get graceHours(): number {
    return this.deps.support.reopen.withinHours;
  }

  async reopen(ticketId: string, by: Reopener): Promise<ReopenResult> {
    const id = ticketId.trim().toUpperCase();
    const now = this.deps.clock.now();
    let refused: Exclude<ReopenResult, { ok: true }> | undefined;
    let event: TicketEvent | undefined;
    const updated = await this.deps.stores.tickets.update(id, (current) => {
      event = undefined;
      refused = this.refusal(current, by, now);
      if (refused || this.alreadyReopened(current, by)) return current;
      event =
        by.kind === 'customer'
          ? { at: now, type: 'reopened', by: current.customer.name ?? by.customerId, turnId: by.turnId }
          : { at: now, type: 'reopened', by: by.name, text: by.reason };
      return {
        ...current,
        status: 'queued',
        assignee: undefined,
        resolvedAt: undefined,
        closedReason: undefined,
        updatedAt: now,
        events: [...current.events, event],
      };
    });
    if (!updated) return { ok: false, code: 'not_found', message: `no ticket ${id}` };
    if (refused) return refused;
    if (!event) return { ok: true, ticket: updated, unchanged: true };
    await this.deps.stores.queues.enqueue(updated.queue, updated.id);
    await this.deps.ticketEvents.onTicketEvent(updated, event);
    return { ok: true, ticket: updated, unchanged: false };
  }

  private refusal(
    ticket: Ticket,
    by: Reopener,
    now: number,
  ): Exclude<ReopenResult, { ok: true }> | undefined {
    if (by.kind === 'customer' && ticket.customer.id !== by.customerId) {
      return { ok: false, code: 'not_found', message: `no ticket ${ticket.id}` };
    }
    if (this.alreadyReopened(ticket, by)) return undefined;
    if (ticket.status !== 'resolved') {
      return { ok: false, code: 'not_allowed', message: `${ticket.id} is ${ticket.status}, not resolved` };
    }
    if (by.kind === 'agent') return undefined;
    // Given back to the bot: the bot carries on; only an agent brings such a ticket back.
    if (ticket.closedReason === 'returned-to-bot') {
      return { ok: false, code: 'not_allowed', message: `${ticket.id} was returned to the bot` };
    }
    const resolvedAt = ticket.resolvedAt ?? ticket.updatedAt;
    if (now - resolvedAt > this.graceHours * HOUR_MS) {
      return { ok: false, code: 'too_late', message: `${ticket.id} was resolved too long ago` };
    }
    return undefined;
  }

  /** A customer turn run again (after a write conflict) finds its own reopening done. */
  private alreadyReopened(ticket: Ticket, by: Reopener): boolean {
    return (
      by.kind === 'customer' &&
      ticket.status !== 'resolved' &&
      ticket.events.some((e) => e.type === 'reopened' && e.turnId === by.turnId)
    );
  }
}

/**
 * Words a customer uses to say a resolved ticket is not solved ("immer noch nicht", "nicht
 * gelöst", "still not working", "reopen"), after lower-casing. Only asked right after a resolution,
 * and narrow on purpose: a new problem ("der Drucker geht nicht") must not reopen the last ticket.
 */
const NOT_SOLVED =
  /(nicht (gelöst|behoben|erledigt)|(immer noch|noch immer) (nicht|kaputt|dasselbe|das gleiche)|wieder (öffnen|eröffnen)|not (solved|fixed|resolved)|still (not|broken|failing|doesn'?t|does not|happening)|re-?open)/u;

export function saysNotSolved(text: string): boolean {
  return NOT_SOLVED.test(text.normalize('NFKC').toLowerCase());
}
