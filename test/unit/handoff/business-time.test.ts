import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BusinessCalendar } from '../../../src/handoff/business-calendar.ts';

const berlin = new BusinessCalendar({
  timezone: 'Europe/Berlin',
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '08:00',
  end: '18:00',
  holidays: ['2026-04-03', '2026-12-25'],
});
const hour = 3_600_000;

describe('business time between two instants (SLA clocks in reports)', () => {
  it('counts only open hours: overnight, the weekend and holidays do not count', () => {
    // Friday 17:00 → Monday 09:00 Berlin (CET): one hour on Friday, one on Monday.
    expect(berlin.businessMsBetween(Date.UTC(2026, 0, 9, 16), Date.UTC(2026, 0, 12, 8))).toBe(2 * hour);
    // Thursday 2 April 17:00 → Tuesday 7 April 08:00 (CEST): Good Friday and the weekend are closed.
    expect(berlin.businessMsBetween(Date.UTC(2026, 3, 2, 15), Date.UTC(2026, 3, 7, 6))).toBe(11 * hour);
    // Sunday evening → Monday 10:00: two hours.
    expect(berlin.businessMsBetween(Date.UTC(2026, 0, 11, 19), Date.UTC(2026, 0, 12, 9))).toBe(2 * hour);
    expect(berlin.businessMsBetween(Date.UTC(2026, 0, 12, 9), Date.UTC(2026, 0, 12, 9))).toBe(0);
  });

  it('follows the change to and from daylight saving time', () => {
    // Friday 27 March 17:00 CET → Monday 30 March 09:00 CEST (the clocks moved on Sunday).
    expect(berlin.businessMsBetween(Date.UTC(2026, 2, 27, 16), Date.UTC(2026, 2, 30, 7))).toBe(2 * hour);
    // Friday 23 October 17:00 CEST → Monday 26 October 09:00 CET.
    expect(berlin.businessMsBetween(Date.UTC(2026, 9, 23, 15), Date.UTC(2026, 9, 26, 8))).toBe(2 * hour);
  });

  it('is the inverse of adding business minutes, for any start and amount', () => {
    const start = Date.UTC(2026, 0, 1);
    const year = 365 * 24 * hour;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: year }),
        fc.integer({ min: 1, max: 5 * 600 }),
        (offset, minutes) => {
          const from = start + offset;
          const due = berlin.addBusinessMinutes(from, minutes);
          expect(berlin.businessMsBetween(from, due)).toBe(minutes * 60_000);
        },
      ),
      { numRuns: 300 },
    );
  });
});
