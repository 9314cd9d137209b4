import type { Priority } from '../core/ticket.ts';

/** When impact or urgency is unknown (skipped, legacy data), a ticket gets the middle priority. */
export const FALLBACK_PRIORITY: Priority = 'P3';

/** Priority P1–P4 from impact × urgency, through the matrix in config/support.yaml. */
export function priorityFor(
  config: { priorityMatrix: Record<string, Record<string, Priority>> },
  impact: string | undefined,
  urgency: string | undefined,
): Priority {
  if (!impact || !urgency) return FALLBACK_PRIORITY;
  return config.priorityMatrix[impact]?.[urgency] ?? FALLBACK_PRIORITY;
}
