import type { Stores } from '../core/ports.ts';
import { shownStatus } from '../core/ticket.ts';
import { slaState } from './sla-state.ts';

export interface DailyStats {
  day: string;
  /** Raw counters the engine and channels increment (turns, answers, handoffs, ...). */
  counters: Record<string, number>;
  tickets: {
    queued: number;
    claimed: number;
    createdToday: number;
    /** Closed today as solved (not counting tickets given back to the bot). */
    resolvedToday: number;
    /** Closed today by giving the conversation back to the bot. */
    returnedToday: number;
    breached: number;
  };
  feedbackToday: { helpful: number; notHelpful: number };
  unansweredOpen: number;
}

/** UTC day key used by the counter store (YYYY-MM-DD). */
export function dayKey(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Today's figures for the console: counters plus what can be read off tickets and feedback. */
export async function collectStats(
  stores: Pick<Stores, 'counters' | 'tickets' | 'feedback' | 'unanswered'>,
  now: number,
): Promise<DailyStats> {
  const day = dayKey(now);
  const [counters, tickets, feedback, open] = await Promise.all([
    stores.counters.get(day),
    stores.tickets.list(),
    stores.feedback.list(),
    stores.unanswered.list('open'),
  ]);
  const today = (at: number | undefined) => at !== undefined && dayKey(at) === day;
  const todaysFeedback = feedback.filter((f) => today(f.at));
  return {
    day,
    counters,
    tickets: {
      queued: tickets.filter((t) => t.status === 'queued').length,
      claimed: tickets.filter((t) => t.status === 'claimed').length,
      createdToday: tickets.filter((t) => today(t.createdAt)).length,
      resolvedToday: tickets.filter((t) => today(t.resolvedAt) && shownStatus(t) === 'resolved').length,
      returnedToday: tickets.filter((t) => today(t.resolvedAt) && shownStatus(t) === 'returned').length,
      breached: tickets.filter((t) => slaState(t, now) === 'breached').length,
    },
    feedbackToday: {
      helpful: todaysFeedback.filter((f) => f.helpful).length,
      notHelpful: todaysFeedback.filter((f) => !f.helpful).length,
    },
    unansweredOpen: open.length,
  };
}
