import type { Clock } from '../core/clock.ts';
import type { Stores } from '../store/ports.ts';

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
  | 'errors';

/** The UTC day (YYYY-MM-DD) counters are kept under. */
export function counterDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export async function countToday(stores: Stores, clock: Clock, name: CounterName, by = 1): Promise<void> {
  await stores.counters.increment(name, counterDay(clock.now()), by);
}
