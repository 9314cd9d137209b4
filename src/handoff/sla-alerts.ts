import type { Ticket } from '../core/ticket.ts';
import type { Stores } from '../store/ports.ts';
import type { SlaClock } from './sla-clock.ts';

/** The two SLA clocks of a ticket; each has one SLA timer, named after it. */
export const SLA_KINDS = ['reaction', 'resolution'] as const;
export type SlaKind = (typeof SLA_KINDS)[number];

export function hasAlert(ticket: Ticket, type: 'sla-warning' | 'sla-breached', kind: SlaKind): boolean {
  return ticket.events.some((e) => e.type === type && e.sla === kind);
}

/**
 * When the next alert of one clock is due, or undefined when none is left (clock stopped by the
 * first reaction, ticket closed, breach sent). A moment already past comes back as `now`.
 */
export function nextAlertAt(sla: SlaClock, ticket: Ticket, kind: SlaKind, now: number): number | undefined {
  if (ticket.status === 'resolved' || ticket.status === 'cancelled') return undefined;
  if (kind === 'reaction' && ticket.firstReactionAt !== undefined) return undefined;
  if (hasAlert(ticket, 'sla-breached', kind)) return undefined;
  const dueAt = kind === 'reaction' ? ticket.reactionDueAt : ticket.resolutionDueAt;
  const warningAt = sla.warningAt(ticket, kind);
  const next = !hasAlert(ticket, 'sla-warning', kind) && warningAt < dueAt ? warningAt : dueAt;
  return Math.max(next, now);
}

/** Sets a ticket's SLA timers to the moments of its next alerts, and drops those with none left. */
export async function scheduleSlaTimers(
  stores: Stores,
  sla: SlaClock,
  ticket: Ticket,
  now: number,
): Promise<void> {
  for (const kind of SLA_KINDS) {
    const next = nextAlertAt(sla, ticket, kind, now);
    if (next === undefined) await stores.slaTimers.cancel(ticket.id, kind);
    else await stores.slaTimers.schedule({ ticketId: ticket.id, name: kind, dueAt: next });
  }
}
