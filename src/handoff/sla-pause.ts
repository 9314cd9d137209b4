import type { Ticket } from '../core/ticket.ts';
import type { SlaClock } from './sla-clock.ts';

/**
 * The SLA clock stops while a ticket waits for the customer (an agent asked them something) and
 * runs on when they answer: the time left at the pause is added to the moment of the answer, in
 * the ticket's business time (wall time for targets around the clock), and the paused time is
 * kept so reports can leave it out.
 */
export function pauseSla(ticket: Ticket, now: number): Ticket {
  if (ticket.slaPausedAt !== undefined) return ticket;
  return { ...ticket, slaPausedAt: now };
}

export function isSlaPaused(ticket: Pick<Ticket, 'slaPausedAt'>): boolean {
  return ticket.slaPausedAt !== undefined;
}

/** The ticket with its clocks running again from `now`; the same object when it was not paused. */
export function resumeSla(ticket: Ticket, now: number, sla: SlaClock): Ticket {
  const pausedAt = ticket.slaPausedAt;
  if (pausedAt === undefined) return ticket;
  const target = sla.target(ticket.queue, ticket.priority, ticket.organisation);
  const calendar = sla.calendarFor(ticket.organisation);
  const between = (from: number, to: number) =>
    target.allHours ? Math.max(0, to - from) : calendar.businessMsBetween(from, to);
  const shift = (due: number) => {
    const left = between(pausedAt, due);
    return target.allHours ? now + left : calendar.addBusinessMinutes(now, left / 60_000);
  };
  const reacted = ticket.firstReactionAt !== undefined;
  return {
    ...ticket,
    slaPausedAt: undefined,
    slaPausedMs: (ticket.slaPausedMs ?? 0) + between(pausedAt, now),
    reactionDueAt: reacted ? ticket.reactionDueAt : shift(ticket.reactionDueAt),
    resolutionDueAt: shift(ticket.resolutionDueAt),
    events: [...ticket.events, { at: now, type: 'sla-resumed' }],
  };
}
