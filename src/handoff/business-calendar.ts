import type { BusinessHours, Weekday } from './support-config.ts';

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: Weekday;
}

const WEEKDAY_BY_SHORT: Record<string, Weekday> = {
  Sun: 'sun',
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
};

/** Ten years of days: a bound for loops over calendars without any open day left. */
const MAX_DAYS = 3660;

/**
 * Business hours in a time zone (Mon–Fri 08:00–18:00 Europe/Berlin by default): adds business
 * minutes to an instant, for SLA due times that only run while support is open.
 */
export class BusinessCalendar {
  private readonly format: Intl.DateTimeFormat;
  private readonly days: Set<Weekday>;
  private readonly holidays: Set<string>;
  private readonly start: [number, number];
  private readonly end: [number, number];

  constructor(hours: BusinessHours) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: hours.timezone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
      hourCycle: 'h23',
    });
    this.days = new Set(hours.days);
    this.holidays = new Set(hours.holidays);
    this.start = parseClock(hours.start);
    this.end = parseClock(hours.end);
  }

  /** True while support is open at this instant. */
  isOpen(at: number): boolean {
    const p = this.parts(at);
    if (!this.isBusinessDay(p)) return false;
    return at >= this.at(p, this.start) && at < this.at(p, this.end);
  }

  /** The instant `minutes` business minutes after `from` (pauses outside business hours). */
  addBusinessMinutes(from: number, minutes: number): number {
    let remaining = Math.max(0, minutes) * 60_000;
    let t = from;
    if (remaining === 0) return t;
    for (let i = 0; i < MAX_DAYS; i++) {
      const p = this.parts(t);
      if (this.isBusinessDay(p)) {
        const open = this.at(p, this.start);
        const close = this.at(p, this.end);
        if (t < open) t = open;
        if (t < close) {
          const available = close - t;
          if (remaining <= available) return t + remaining;
          remaining -= available;
        }
      }
      const next = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
      t = this.localToInstant(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0);
    }
    return t + remaining;
  }

  /**
   * Business milliseconds between two instants (0 when `to` is not after `from`): how long an SLA
   * clock ran. Day boundaries are cached, so reports over many tickets stay fast.
   */
  businessMsBetween(from: number, to: number): number {
    if (!(to > from)) return 0;
    let total = 0;
    let day = this.localDay(from);
    const last = this.localDay(to);
    for (let i = 0; i < MAX_DAYS; i++) {
      const hours = this.openHours(day);
      if (hours) {
        const start = Math.max(from, hours[0]);
        const end = Math.min(to, hours[1]);
        if (end > start) total += end - start;
      }
      if (day === last) break;
      day = nextIsoDay(day);
    }
    return total;
  }

  /** The first open instant at or after `at` (`at` itself while open). */
  nextOpening(at: number): number {
    let day = this.localDay(at);
    for (let i = 0; i < MAX_DAYS; i++) {
      const hours = this.openHours(day);
      if (hours && at < hours[1]) return Math.max(at, hours[0]);
      day = nextIsoDay(day);
    }
    return at;
  }

  /** The instant a local date begins in this calendar's time zone (month boundaries of reports). */
  startOfDay(year: number, month: number, day: number): number {
    return this.localToInstant(year, month, day, 0, 0);
  }

  private readonly dayCache = new Map<number, string>();
  private readonly hoursCache = new Map<string, [number, number] | null>();

  /** The local date (YYYY-MM-DD) of an instant; cached per quarter hour (every zone's offset is a multiple of 15 min). */
  private localDay(at: number): string {
    const bucket = Math.floor(at / 900_000);
    let day = this.dayCache.get(bucket);
    if (day === undefined) {
      const p = this.parts(bucket * 900_000);
      day = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
      if (this.dayCache.size > 200_000) this.dayCache.clear();
      this.dayCache.set(bucket, day);
    }
    return day;
  }

  /** Opening and closing instant of a local date, or null when closed that day. */
  private openHours(isoDay: string): [number, number] | null {
    let hours = this.hoursCache.get(isoDay);
    if (hours === undefined) {
      const [year, month, day] = isoDay.split('-').map(Number) as [number, number, number];
      const weekday = (['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const)[
        new Date(Date.UTC(year, month - 1, day)).getUTCDay()
      ];
      const open = weekday !== undefined && this.days.has(weekday) && !this.holidays.has(isoDay);
      hours = open
        ? [
            this.localToInstant(year, month, day, this.start[0], this.start[1]),
            this.localToInstant(year, month, day, this.end[0], this.end[1]),
          ]
        : null;
      this.hoursCache.set(isoDay, hours);
    }
    return hours;
  }

  private isBusinessDay(p: LocalParts): boolean {
    const iso = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
    return this.days.has(p.weekday) && !this.holidays.has(iso);
  }

  private at(p: LocalParts, clock: [number, number]): number {
    return this.localToInstant(p.year, p.month, p.day, clock[0], clock[1]);
  }

  private parts(at: number): LocalParts {
    const values: Record<string, string> = {};
    for (const part of this.format.formatToParts(at)) values[part.type] = part.value;
    return {
      year: Number(values.year),
      month: Number(values.month),
      day: Number(values.day),
      hour: Number(values.hour),
      minute: Number(values.minute),
      weekday: WEEKDAY_BY_SHORT[values.weekday ?? ''] ?? 'sun',
    };
  }

  /** Offset of the zone from UTC at an instant, in ms. */
  private offset(at: number): number {
    const p = this.parts(at);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    return asUtc - Math.floor(at / 60_000) * 60_000;
  }

  /** The instant of a wall-clock time in the zone (twice refined, for days with a DST change). */
  private localToInstant(year: number, month: number, day: number, hour: number, minute: number): number {
    const guess = Date.UTC(year, month - 1, day, hour, minute);
    const first = guess - this.offset(guess);
    const second = guess - this.offset(first);
    return second;
  }
}

function parseClock(value: string): [number, number] {
  const [h, m] = value.split(':').map(Number);
  return [h ?? 0, m ?? 0];
}

function nextIsoDay(isoDay: string): string {
  const [year, month, day] = isoDay.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  return `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
