import type { QueueConfig } from './support-config.ts';

/** Expected wait in minutes for a queue position: the tickets ahead shared among the queue's agents. */
export function expectedWaitMinutes(queue: QueueConfig, position: number): number {
  return Math.max(1, Math.ceil((Math.max(1, position) * queue.averageHandlingMinutes) / queue.agents));
}
