import { counterDay } from '../../core/counters.ts';
import type { Stores } from '../../core/ports.ts';
import type { Ticket } from '../../core/ticket.ts';

/** What the bot and the team achieved on one day (UTC). */
export interface DayFigures {
  day: string;
  conversations: number;
  /** Answers with an FAQ entry. */
  answered: number;
  /** Share of conversations without a hand-off to a person; null without conversations. */
  deflection: number | null;
  handoffs: number;
  handoffsByQueue: Record<string, number>;
  /** The most answered entries, most first (at most 5). */
  topEntries: { id: string; count: number }[];
  helpful: number;
  notHelpful: number;
  /** helpful / (helpful + not helpful); null without feedback. */
  feedbackRatio: number | null;
  ratings: number;
  /** Average customer rating (1–5) of the day's ratings; null without any. */
  satisfaction: number | null;
  /** Tickets solved that day, and of those how many met both SLA clocks. */
  slaClosed: number;
  slaMet: number;
  slaCompliance: number | null;
  medianMinutesToClaim: number | null;
  medianMinutesToResolve: number | null;
}

export const MAX_DAYS = 400;
const DAY_MS = 24 * 60 * 60_000;

/** Every day from `from` to `to` (YYYY-MM-DD, both included). */
export function daysBetween(from: string, to: string): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  const days: string[] = [];
  for (let at = start; at <= end && days.length <= MAX_DAYS; at += DAY_MS) days.push(counterDay(at));
  return days;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value =
    sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return Math.round(value * 10) / 10;
}

const share = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((1000 * part) / whole) / 1000;

/** Per-day counters kept without expiry, and tickets (kept too): figures for any day back to the first. */
export async function dailyFigures(
  stores: Pick<Stores, 'counters' | 'tickets'>,
  days: readonly string[],
): Promise<DayFigures[]> {
  const [counts, tickets] = await Promise.all([
    Promise.all(days.map((day) => stores.counters.get(day))),
    stores.tickets.list(),
  ]);
  const byDay = ticketFiguresByDay(tickets, new Set(days));
  return days.map((day, i) => {
    const c = counts[i] ?? {};
    const prefixed = (prefix: string) =>
      Object.entries(c)
        .filter(([name]) => name.startsWith(prefix))
        .map(([name, count]) => [name.slice(prefix.length), count] as const);
    const conversations = c.conversations ?? 0;
    const handoffs = c.handoffs ?? 0;
    const helpful = c['feedback-positive'] ?? 0;
    const notHelpful = c['feedback-negative'] ?? 0;
    const t = byDay.get(day) ?? { ratings: [], claim: [], resolve: [], closed: 0, met: 0 };
    return {
      day,
      conversations,
      answered: c.answered ?? 0,
      deflection: conversations === 0 ? null : share(Math.max(0, conversations - handoffs), conversations),
      handoffs,
      handoffsByQueue: Object.fromEntries(prefixed('handoffs:')),
      topEntries: prefixed('answered:')
        .map(([id, count]) => ({ id, count }))
        .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id))
        .slice(0, 5),
      helpful,
      notHelpful,
      feedbackRatio: share(helpful, helpful + notHelpful),
      ratings: t.ratings.length,
      satisfaction:
        t.ratings.length === 0
          ? null
          : Math.round((100 * t.ratings.reduce((a, b) => a + b, 0)) / t.ratings.length) / 100,
      slaClosed: t.closed,
      slaMet: t.met,
      slaCompliance: share(t.met, t.closed),
      medianMinutesToClaim: median(t.claim),
      medianMinutesToResolve: median(t.resolve),
    };
  });
}

interface TicketDay {
  ratings: number[];
  claim: number[];
  resolve: number[];
  closed: number;
  met: number;
}

function ticketFiguresByDay(tickets: readonly Ticket[], days: ReadonlySet<string>): Map<string, TicketDay> {
  const byDay = new Map<string, TicketDay>();
  const on = (at: number | undefined): TicketDay | undefined => {
    if (at === undefined) return undefined;
    const day = counterDay(at);
    if (!days.has(day)) return undefined;
    let figures = byDay.get(day);
    if (!figures) {
      figures = { ratings: [], claim: [], resolve: [], closed: 0, met: 0 };
      byDay.set(day, figures);
    }
    return figures;
  };
  for (const ticket of tickets) {
    for (const event of ticket.events) {
      if (event.type === 'rated' && event.text) on(event.at)?.ratings.push(Number(event.text));
    }
    if (ticket.firstReactionAt !== undefined) {
      on(ticket.firstReactionAt)?.claim.push((ticket.firstReactionAt - ticket.createdAt) / 60_000);
    }
    if (
      ticket.status === 'resolved' &&
      ticket.closedReason !== 'returned-to-bot' &&
      ticket.resolvedAt !== undefined
    ) {
      const day = on(ticket.resolvedAt);
      if (!day) continue;
      day.resolve.push((ticket.resolvedAt - ticket.createdAt) / 60_000);
      day.closed++;
      const reacted = ticket.firstReactionAt ?? ticket.resolvedAt;
      if (reacted <= ticket.reactionDueAt && ticket.resolvedAt <= ticket.resolutionDueAt) day.met++;
    }
  }
  return byDay;
}
