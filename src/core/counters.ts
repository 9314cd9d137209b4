import type { Clock } from './clock.ts';
import type { Stores } from './ports.ts';

/** Analytics counter names written by the engine and the agent desk. */
export type CounterName =
  | 'turns'
  | 'answered'
  | 'unanswered'
  | 'handoffs'
  | 'feedback-positive'
  | 'feedback-negative'
  | 'resolved'
  /** Tickets an agent gave back to the bot (closed without a solution). */
  | 'returned'
  | 'ratings'
  | 'errors'
  /** New conversations. */
  | 'conversations'
  /** Answers with one FAQ entry, for the most answered entries per day. */
  | `answered:${string}`
  /** Hand-offs per queue (the queue the ticket went to first). */
  | `handoffs:${string}`;

const DAY_MS = 24 * 60 * 60_000;
/** The day last asked for and where it starts (UTC): every turn counts, mostly on the same day. */
let cachedDay = { start: Number.NaN, name: '' };

/** The UTC day (YYYY-MM-DD) counters are kept under. */
export function counterDay(at: number): string {
  if (at >= cachedDay.start && at < cachedDay.start + DAY_MS) return cachedDay.name;
  const name = new Date(at).toISOString().slice(0, 10);
  cachedDay = { start: Math.floor(at / DAY_MS) * DAY_MS, name };
  return name;
}

export async function countToday(stores: Stores, clock: Clock, name: CounterName, by = 1): Promise<void> {
  await stores.counters.increment(name, counterDay(clock.now()), by);
}
