import { type Clock, systemClock } from '../core/clock.ts';
import { errorCode, errorMessage, type Logger, silentLogger } from '../core/logger.ts';
import type { Stores } from '../core/ports.ts';
import type { Ticket, TicketEvent } from '../core/ticket.ts';
import type { TicketEventHub } from '../core/ticket-events.ts';
import type { CustomerDirectory } from './customer-directory.ts';
import {
  dueAlert,
  hasAlert,
  nextAlertAt,
  SLA_KINDS,
  type SlaAlertType,
  type SlaKind,
  scheduleSlaTimer,
} from './sla-alerts.ts';
import { SlaClock } from './sla-clock.ts';
import type { SlaEscalation } from './sla-escalation.ts';
import type { SupportConfig } from './support-config.ts';

export interface SlaWatcherDeps {
  stores: Stores;
  support: SupportConfig;
  /** Organisations' contracts: their tiers' SLA targets and support hours. */
  customers?: CustomerDirectory | undefined;
  /** The contracts' escalation path, queued at a breach (and at a warning where agreed). */
  escalation?: Pick<SlaEscalation, 'plan'> | undefined;
  ticketEvents: TicketEventHub;
  clock?: Clock;
  log?: Logger;
}

export interface SlaAlert {
  ticketId: string;
  type: SlaAlertType;
  sla: SlaKind;
}

/** How long a claimed timer is this process's before another may take it (its process died). */
const TIMER_LEASE_MS = 60_000;
/** Due timers claimed per round, and rounds per check (the rest waits for the next check). */
const TIMERS_PER_ROUND = 100;
const MAX_ROUNDS = 50;
/**
 * How often open tickets are checked against their timers: sets timers for tickets that have
 * none (written by an older version, or created directly in the store) and moves timers whose
 * moment changed (an escalation to a queue with other SLA targets).
 */
const RECONCILE_EVERY_MS = 15 * 60_000;

/**
 * Watches open tickets' SLA clocks: `sla-warning` once the configured share of a reaction or
 * resolution time is used, `sla-breached` once it is over; each at most once per ticket and
 * clock. Each open ticket has one SLA timer per clock (store port SlaTimerStore), set when the
 * ticket is announced to the moment of its next alert; a check handles only the timers that are
 * due, leased to one process at a time, so the work per check does not grow with the number of
 * open tickets. The event is written into the ticket atomically, so a repeat (a timer fired
 * again after its process died, or a second process) never sends it twice.
 */
export class SlaWatcher {
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly sla: SlaClock;
  private timer: NodeJS.Timeout | undefined;
  private reconciledAt: number | undefined;

  constructor(private readonly deps: SlaWatcherDeps) {
    this.clock = deps.clock ?? systemClock;
    this.log = deps.log ?? silentLogger;
    this.sla = new SlaClock(deps.support, deps.customers);
  }

  /** Sends the alerts that are due at `now`; returns those sent by this call. */
  async check(now: number = this.clock.now()): Promise<SlaAlert[]> {
    if (this.reconciledAt === undefined || now - this.reconciledAt >= RECONCILE_EVERY_MS) {
      await this.reconcile(now);
      this.reconciledAt = now;
    }
    const alerts: SlaAlert[] = [];
    const { slaTimers } = this.deps.stores;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const due = await slaTimers.claimDue(now, TIMER_LEASE_MS, TIMERS_PER_ROUND);
      for (const timer of due) {
        const kind = SLA_KINDS.find((k) => k === timer.name);
        const ticket = kind && (await this.deps.stores.tickets.get(timer.ticketId));
        if (!kind || !ticket) {
          await slaTimers.done(timer.ticketId, timer.name);
          continue;
        }
        const type = dueAlert(this.sla, ticket, kind, now);
        // Queued before the alert is written: a process that dies in between leaves the step in
        // the outbox, and a second process adding it again adds nothing.
        if (type) await this.deps.escalation?.plan(ticket, type, kind);
        const sent = type ? await this.send(ticket.id, type, kind, now) : undefined;
        if (type && sent) alerts.push({ ticketId: ticket.id, type, sla: kind });
        // Not written: closed meanwhile, or another process sent it; the stored ticket tells what is next.
        const after = sent ?? (type ? await this.deps.stores.tickets.get(ticket.id) : ticket) ?? ticket;
        await scheduleSlaTimer(this.deps.stores, this.sla, after, kind, now);
      }
      if (due.length < TIMERS_PER_ROUND) break;
    }
    return alerts;
  }

  /** Every open ticket's timers as they should be (see RECONCILE_EVERY_MS). */
  private async reconcile(now: number): Promise<void> {
    const open = await this.deps.stores.tickets.list({ status: ['queued', 'claimed'] });
    const timers = new Map<string, number>();
    for (const timer of await this.deps.stores.slaTimers.list())
      timers.set(`${timer.ticketId}|${timer.name}`, timer.dueAt);
    for (const ticket of open) {
      for (const kind of SLA_KINDS) {
        const next = nextAlertAt(this.sla, ticket, kind, now);
        if (next === undefined || timers.get(`${ticket.id}|${kind}`) === next) continue;
        await this.deps.stores.slaTimers.schedule({ ticketId: ticket.id, name: kind, dueAt: next });
      }
    }
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

  /** Writes the alert into the ticket unless it is there already; the updated ticket when it was written. */
  private async send(
    ticketId: string,
    type: SlaAlert['type'],
    kind: SlaKind,
    now: number,
  ): Promise<Ticket | undefined> {
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
    if (!updated || !event) return undefined;
    this.log.warn(type === 'sla-breached' ? 'sla breached' : 'sla warning', { ticketId, sla: kind });
    await this.deps.ticketEvents.onTicketEvent(updated, event);
    return updated;
  }
}
