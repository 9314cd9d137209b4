import { describe, expect, it } from 'vitest';
import type { Announcement, AnnouncementKind } from '../../../src/core/announcement.ts';
import { isActive } from '../../../src/core/announcement.ts';
import { serviceAvailability } from '../../../src/incidents/service-availability.ts';

const HOUR = 3_600_000;
// November 2026: 30 days of 24 hours (UTC for the arithmetic).
const from = Date.UTC(2026, 10, 1);
const to = Date.UTC(2026, 11, 1);
const month = { from, to };
const monthHours = 30 * 24;

let ids = 0;
function announced(
  kind: AnnouncementKind,
  startHour: number,
  endHour: number | undefined,
  options: { service?: string; declaredHour?: number; ended?: boolean } = {},
): Announcement {
  const startsAt = from + startHour * HOUR;
  const endsAt = endHour === undefined ? undefined : from + endHour * HOUR;
  return {
    id: `A-${++ids}`,
    kind,
    service: options.service ?? 'mail',
    startsAt,
    endsAt,
    endedAt: options.ended === false ? undefined : endsAt,
    status: { de: 'x', en: 'x' },
    updates: [],
    links: [],
    createdAt: from + (options.declaredHour ?? startHour) * HOUR,
    createdBy: 'admin',
  };
}

const percent = (downHours: number) => Math.round(100 * (1 - downHours / monthHours) * 1000) / 1000;

describe('availability of a service in a month', () => {
  it('is 100 % without incidents, and 1 − downtime / month with one', () => {
    expect(serviceAvailability([], 'mail', month, to)).toEqual({ percent: 100, downtimeMs: 0 });
    const result = serviceAvailability([announced('incident', 10, 13.6)], 'mail', month, to);
    expect(result.downtimeMs).toBe(3.6 * HOUR);
    expect(result.percent).toBe(percent(3.6)); // 99.5
    expect(result.percent).toBe(99.5);
  });

  it('does not count announced maintenance, nor an incident during it', () => {
    const maintenance = announced('maintenance', 20, 24, { declaredHour: 1 });
    expect(serviceAvailability([maintenance], 'mail', month, to).percent).toBe(100);
    // Incident 22:00–26:00 overlaps the window 20:00–24:00 for two hours: two hours count.
    const incident = announced('incident', 22, 26);
    expect(serviceAvailability([maintenance, incident], 'mail', month, to).downtimeMs).toBe(2 * HOUR);
  });

  it('counts an incident during maintenance declared only after it began', () => {
    const late = announced('maintenance', 20, 24, { declaredHour: 21 });
    const incident = announced('incident', 22, 26);
    expect(serviceAvailability([late, incident], 'mail', month, to).downtimeMs).toBe(4 * HOUR);
  });

  it('counts overlapping incidents once, others services not at all, and clips to the month', () => {
    const list = [
      announced('incident', 5, 8),
      announced('incident', 7, 9),
      announced('incident', 0, 100, { service: 'vpn' }),
      // From the last day of October into November: only November's part.
      announced('incident', -2, 1),
      // From November's last hour into December.
      announced('incident', monthHours - 1, monthHours + 5),
    ];
    expect(serviceAvailability(list, 'mail', month, to).downtimeMs).toBe((4 + 1 + 1) * HOUR);
  });

  it('counts an incident still open until now', () => {
    const open = announced('incident', 100, undefined, { ended: false });
    const now = from + 106 * HOUR;
    expect(serviceAvailability([open], 'mail', month, now).downtimeMs).toBe(6 * HOUR);
    expect(isActive(open, now)).toBe(true);
  });

  it('knows when an announcement is active', () => {
    const window = announced('maintenance', 10, 12, { ended: false });
    expect(isActive(window, from + 9 * HOUR)).toBe(false);
    expect(isActive(window, from + 11 * HOUR)).toBe(true);
    // A window is over at its end; an incident only when it is ended.
    expect(isActive(window, from + 12 * HOUR)).toBe(false);
    const incident = announced('incident', 10, 12, { ended: false });
    expect(isActive(incident, from + 20 * HOUR)).toBe(true);
    expect(isActive({ ...incident, endedAt: from + 13 * HOUR }, from + 14 * HOUR)).toBe(false);
  });
});
