import type { Stores } from '../core/ports.ts';
import type { Ticket } from '../core/ticket.ts';
import type { SlaClock } from './sla-clock.ts';

/** The two SLA clocks of a ticket; each has one SLA timer, named after it. */
export const SLA_KINDS = ['reaction', 'resolution'] as const;
export type SlaKind = (typeof SLA_KINDS)[number];

export function hasAlert(ticket: Ticket, type: SlaAlertType, kind: SlaKind): boolean {
  return ticket.events.some((e) => e.type === type && e.sla === kind);
}

export type SlaAlertType = 'sla-warning' | 'sla-breached';

/** The alert a ticket should get now for one clock, if any (a breach makes a late warning moot). */
export function dueAlert(
  sla: SlaClock,
  ticket: Ticket,
  kind: SlaKind,
  now: number,
): SlaAlertType | undefined {
  // Reaction is met by the first reaction; resolution by resolving (open tickets only here).
  if (kind === 'reaction' && ticket.firstReactionAt !== undefined) return undefined;
  // Waiting for the customer: the clocks stand still.
  if (ticket.slaPausedAt !== undefined) return undefined;
  const dueAt = kind === 'reaction' ? ticket.reactionDueAt : ticket.resolutionDueAt;
  if (now >= dueAt) return hasAlert(ticket, 'sla-breached', kind) ? undefined : 'sla-breached';
  if (now >= sla.warningAt(ticket, kind) && !hasAlert(ticket, 'sla-warning', kind)) return 'sla-warning';
  return undefined;
}

/**
 * When the next alert of one clock is due, or undefined when none is left (clock stopped by the
 * first reaction, ticket closed, breach sent). A moment already past comes back as `now`.
 */
export function nextAlertAt(sla: SlaClock, ticket: Ticket, kind: SlaKind, now: number): number | undefined {
  if (ticket.status === 'resolved' || ticket.status === 'cancelled') return undefined;
  if (kind === 'reaction' && ticket.firstReactionAt !== undefined) return undefined;
  if (ticket.slaPausedAt !== undefined) return undefined;
  if (hasAlert(ticket, 'sla-breached', kind)) return undefined;
  const dueAt = kind === 'reaction' ? ticket.reactionDueAt : ticket.resolutionDueAt;
  const warningAt = sla.warningAt(ticket, kind);
  const next = !hasAlert(ticket, 'sla-warning', kind) && warningAt < dueAt ? warningAt : dueAt;
  return Math.max(next, now);
}

/** Sets one clock's timer to the moment of its next alert, or drops it when none is left. */
export async function scheduleSlaTimer(
  stores: Stores,
  sla: SlaClock,
  ticket: Ticket,
  kind: SlaKind,
  now: number,
): Promise<void> {
  const next = nextAlertAt(sla, ticket, kind, now);
  if (next === undefined) await stores.slaTimers.cancel(ticket.id, kind);
  else await stores.slaTimers.schedule({ ticketId: ticket.id, name: kind, dueAt: next });
}

/** Sets both of a ticket's SLA timers (see scheduleSlaTimer). */
export async function scheduleSlaTimers(
  stores: Stores,
  sla: SlaClock,
  ticket: Ticket,
  now: number,
): Promise<void> {
  for (const kind of SLA_KINDS) await scheduleSlaTimer(stores, sla, ticket, kind, now);
}
