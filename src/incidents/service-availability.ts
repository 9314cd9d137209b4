import type { Announcement } from '../core/announcement.ts';

type Span = [from: number, to: number];

/**
 * A service's availability in [from, to): 1 − (incident downtime minus what of it falls in
 * announced maintenance) / the period, in percent. Incidents count against availability; announced
 * maintenance does not, and neither does an incident during it. A maintenance window counts as
 * announced when it was declared before it began. An incident still open counts until `now`.
 * Overlapping incidents count once.
 */
export function serviceAvailability(
  announcements: readonly Announcement[],
  service: string,
  period: { from: number; to: number },
  now: number,
): { percent: number; downtimeMs: number } {
  const { from, to } = period;
  const mine = announcements.filter((a) => a.service === service);
  const clip = (span: Span): Span | undefined => {
    const start = Math.max(span[0], from);
    const end = Math.min(span[1], to);
    return end > start ? [start, end] : undefined;
  };
  const incidents = merge(
    mine
      .filter((a) => a.kind === 'incident')
      .map((a) => clip([a.startsAt, a.endedAt ?? now]))
      .filter((s): s is Span => s !== undefined),
  );
  const maintenance = merge(
    mine
      .filter((a) => a.kind === 'maintenance' && a.createdAt <= a.startsAt)
      .map((a) => clip([a.startsAt, Math.min(a.endedAt ?? Number.POSITIVE_INFINITY, a.endsAt ?? now)]))
      .filter((s): s is Span => s !== undefined),
  );
  const downtimeMs = length(incidents) - overlap(incidents, maintenance);
  const percent = to > from ? 100 * (1 - downtimeMs / (to - from)) : 100;
  return { percent: Math.round(percent * 1000) / 1000, downtimeMs };
}

/** Sorted, non-overlapping spans covering the same time. */
function merge(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const out: Span[] = [];
  for (const span of sorted) {
    const last = out.at(-1);
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else out.push([span[0], span[1]]);
  }
  return out;
}

function length(spans: readonly Span[]): number {
  return spans.reduce((sum, [a, b]) => sum + (b - a), 0);
}

/** Time in both lists (each already merged). */
function overlap(a: readonly Span[], b: readonly Span[]): number {
  let total = 0;
  let j = 0;
  for (const [start, end] of a) {
    while (j < b.length && (b[j] as Span)[1] <= start) j++;
    for (let k = j; k < b.length && (b[k] as Span)[0] < end; k++) {
      const other = b[k] as Span;
      total += Math.max(0, Math.min(end, other[1]) - Math.max(start, other[0]));
    }
  }
  return total;
}
