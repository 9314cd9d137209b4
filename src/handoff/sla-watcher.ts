import { type Clock, systemClock } from '../core/clock.ts';
import { errorCode, errorMessage, type Logger, silentLogger } from '../core/logger.ts';
import type { Ticket, TicketEvent } from '../core/ticket.ts';
import type { TicketEventHub } from '../core/ticket-events.ts';
import type { Stores } from '../store/ports.ts';
import { SlaClock } from './sla-clock.ts';
import type { SupportConfig } from './support-config.ts';

export interface SlaWatcherDeps {
  stores: Stores;
  support: SupportConfig;
  ticketEvents: TicketEventHub;
  clock?: Clock;
  log?: Logger;
}

export interface SlaAlert {
  ticketId: string;
  type: 'sla-warning' | 'sla-breached';
  sla: 'reaction' | 'resolution';
}

type SlaKind = SlaAlert['sla'];

/**
 * Watches open tickets' SLA clocks: `sla-warning` once the configured share of a reaction or
 * resolution time is used, `sla-breached` once it is over; each at most once per ticket and
 * clock. The event is written into the ticket atomically, so a repeat check (or a second
 * process) never sends it twice.
 */
export class SlaWatcher {
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly sla: SlaClock;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: SlaWatcherDeps) {
    this.clock = deps.clock ?? systemClock;
    this.log = deps.log ?? silentLogger;
    this.sla = new SlaClock(deps.support);
  }

  /** Checks every open ticket at `now`; returns the alerts sent by this call. */
  async check(now: number = this.clock.now()): Promise<SlaAlert[]> {
    const open = await this.deps.stores.tickets.list({ status: ['queued', 'claimed'] });
    const alerts: SlaAlert[] = [];
    for (const ticket of open) {
      for (const kind of ['reaction', 'resolution'] as const) {
        const due = this.dueAlert(ticket, kind, now);
        if (!due) continue;
        const sent = await this.send(ticket.id, due, kind, now);
        if (sent) alerts.push({ ticketId: ticket.id, type: due, sla: kind });
      }
    }
    return alerts;
  }

  start(intervalMs = 60_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.check().catch((error: unknown) => {
        this.log.error('sla check failed', { code: errorCode(error), error: errorMessage(error) });
      });
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The alert a ticket should get now for one clock, if any (a breach makes a late warning moot). */
  private dueAlert(ticket: Ticket, kind: SlaKind, now: number): SlaAlert['type'] | undefined {
    // Reaction is met by the first reaction; resolution by resolving (open tickets only here).
    if (kind === 'reaction' && ticket.firstReactionAt !== undefined) return undefined;
    const dueAt = kind === 'reaction' ? ticket.reactionDueAt : ticket.resolutionDueAt;
    if (now >= dueAt) return hasAlert(ticket, 'sla-breached', kind) ? undefined : 'sla-breached';
    if (now >= this.sla.warningAt(ticket, kind) && !hasAlert(ticket, 'sla-warning', kind))
      return 'sla-warning';
    return undefined;
  }

  private async send(ticketId: string, type: SlaAlert['type'], kind: SlaKind, now: number): Promise<boolean> {
    let event: TicketEvent | undefined;
    const updated = await this.deps.stores.tickets.update(ticketId, (current) => {
      event = undefined;
      if (hasAlert(current, type, kind) || current.status === 'resolved' || current.status === 'cancelled') {
        return current;
      }
      const dueAt = kind === 'reaction' ? current.reactionDueAt : current.resolutionDueAt;
      event = { at: now, type, sla: kind, text: new Date(dueAt).toISOString() };
      return { ...current, updatedAt: now, events: [...current.events, event] };
    });
    if (!updated || !event) return false;
    this.log.warn(type === 'sla-breached' ? 'sla breached' : 'sla warning', { ticketId, sla: kind });
    await this.deps.ticketEvents.onTicketEvent(updated, event);
    return true;
  }
}

function hasAlert(ticket: Ticket, type: SlaAlert['type'], kind: SlaKind): boolean {
  return ticket.events.some((e) => e.type === type && e.sla === kind);
}
