import { parse } from 'csv-parse/sync';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSlaReport, monthRange } from '../../../../src/admin/reports/load-sla-report.ts';
import { buildSlaReport, quantile } from '../../../../src/admin/reports/sla-report.ts';
import { formatSlaReport } from '../../../../src/admin/reports/sla-report-format.ts';
import { ManualClock } from '../../../../src/core/clock.ts';
import type { Stores } from '../../../../src/core/ports.ts';
import type { Ticket } from '../../../../src/core/ticket.ts';
import { ticketFigures } from '../../../../src/core/ticket-figures.ts';
import { CustomerDirectory } from '../../../../src/handoff/customer-directory.ts';
import { loadCustomersConfig } from '../../../../src/handoff/customers-config.ts';
import { SlaClock } from '../../../../src/handoff/sla-clock.ts';
import { loadSupportConfig, type SupportConfig } from '../../../../src/handoff/support-config.ts';
import { createEmbeddedStores } from '../../../../src/store/embedded/embedded-stores.ts';
import { sampleTicket } from '../../../support/store-samples.ts';

const minute = 60_000;
let support: SupportConfig;
let customers: CustomerDirectory;
let sla: SlaClock;

beforeAll(async () => {
  support = await loadSupportConfig('config/support.yaml');
  customers = new CustomerDirectory(await loadCustomersConfig('config/customers.yaml', support));
  sla = new SlaClock(support, customers);
});

/** A Muster Bau (business tier) ticket created at `at`, P2: reaction 60 business minutes. */
function musterTicket(id: string, at: number, overrides: Partial<Ticket> = {}): Ticket {
  const due = sla.dueTimes('general', 'P2', at, 'muster-bau');
  return sampleTicket(id, at, { organisation: 'muster-bau', priority: 'P2', ...due, ...overrides });
}

describe('monthly SLA report', () => {
  // Monday 2 November 2026, 09:00 Berlin (CET) = 08:00 UTC.
  const monday9 = Date.UTC(2026, 10, 2, 8);

  it('takes the month in the support calendar’s time zone', () => {
    const { from, to } = monthRange('2026-11', sla);
    expect(new Date(from).toISOString()).toBe('2026-10-31T23:00:00.000Z');
    expect(new Date(to).toISOString()).toBe('2026-11-30T23:00:00.000Z');
  });

  it('counts met in %, median and 95th percentile in business minutes, escalations, billable quarter hours', () => {
    const tickets = [
      // Reacted after 30 min, resolved after 2 h: both in time.
      musterTicket('SUP-1', monday9, {
        status: 'resolved',
        closedReason: 'resolved',
        firstReactionAt: monday9 + 30 * minute,
        resolvedAt: monday9 + 120 * minute,
        rating: 5,
      }),
      // Friday 17:30 Berlin, reacted Monday 08:30: one business hour (17:30–18:00, 08:00–08:30), in time.
      musterTicket('SUP-2', Date.UTC(2026, 10, 6, 16, 30), {
        status: 'claimed',
        firstReactionAt: Date.UTC(2026, 10, 9, 7, 30),
        billable: true,
        timeEntries: [{ at: monday9, by: 'ole', minutes: 7 }],
      }),
      // Reacted after 90 business minutes: late; escalated.
      musterTicket('SUP-3', monday9, {
        firstReactionAt: monday9 + 90 * minute,
        status: 'claimed',
        events: [
          { at: monday9, type: 'created' },
          { at: monday9 + 95 * minute, type: 'escalated', level: 3 },
        ],
        rating: 3,
      }),
      // No reaction yet, and not due at report time: not decided.
      musterTicket('SUP-4', Date.UTC(2026, 10, 30, 10)),
      // Another month and a customer without contract.
      musterTicket('SUP-5', Date.UTC(2026, 9, 30, 10)),
      sampleTicket('SUP-6', monday9, { firstReactionAt: monday9 + 10 * minute }),
    ];
    const { from, to } = monthRange('2026-11', sla);
    const report = buildSlaReport({
      month: '2026-11',
      from,
      to,
      tickets: tickets.map(ticketFigures),
      customers,
      sla,
      balances: new Map(),
      bot: { conversations: 40, handoffs: 10 },
      now: Date.UTC(2026, 10, 30, 10, 30),
    });
    const muster = report.rows.find((r) => r.organisation === 'muster-bau' && r.priority === 'P2');
    expect(muster).toMatchObject({
      tickets: 4,
      reactionDecided: 3,
      reactionMetPercent: 66.67,
      reactionMedianMinutes: 60,
      reactionP95Minutes: 90,
      // SUP-2 and SUP-3 are still open past their resolution time at the end of the month: missed.
      resolutionDecided: 3,
      resolutionMetPercent: 33.33,
      resolutionMedianMinutes: 120,
      escalations: 1,
      billableQuarterHours: 1,
      ratings: 2,
      satisfaction: 4,
    });
    expect(report.rows.map((r) => `${r.organisation}:${r.priority}:${r.tickets}`)).toEqual([
      '-:P3:1',
      'muster-bau:P2:4',
    ]);
    expect(report.organisations.find((o) => o.id === 'muster-bau')).toMatchObject({
      name: 'Muster Bau GmbH',
      tier: 'business',
      model: 'block-hours',
      billableQuarterHours: 1,
      availability: expect.arrayContaining([
        { service: 'vpn', agreedPercent: 99.5, measuredPercent: null, met: null },
      ]),
    });
    expect(report.bot.answeredWithoutPersonPercent).toBe(75);

    const csv = parse(formatSlaReport(report, 'csv'), { columns: true }) as Record<string, string>[];
    expect(csv[1]).toMatchObject({ organisation: 'muster-bau', priority: 'P2', reactionMetPercent: '66.67' });
    const md = formatSlaReport(report, 'md');
    expect(md).toContain('## Muster Bau GmbH (muster-bau), SLA business, block-hours');
    expect(md).toContain('| P2 | 4 | 66.67 | 33.33 | 60 / 90 | 120 / 120 | 1 | 1 | 4 |');
  });

  it('quantiles by nearest rank', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.95)).toBe(4);
    expect(quantile([7], 0.95)).toBe(7);
  });
});

describe('report from the stores', () => {
  let stores: Stores;
  const clock = new ManualClock(Date.UTC(2026, 11, 1, 9));
  beforeEach(async () => {
    stores = await createEmbeddedStores({ clock, warn: () => {} });
  });
  afterEach(async () => {
    await stores.close();
  });

  it('filters one organisation and adds its block-hour balance and the bot’s day counters', async () => {
    const at = Date.UTC(2026, 10, 10, 9);
    await stores.tickets.create(
      musterTicket('SUP-1001', at, { billable: true, timeEntries: [{ at, by: 'ole', minutes: 61 }] }),
    );
    await stores.tickets.create(sampleTicket('SUP-1002', at));
    await stores.counters.increment('conversations', '2026-11-10', 8);
    await stores.counters.increment('handoffs', '2026-11-10', 2);
    await stores.counters.increment('conversations', '2026-10-31', 100);
    const report = await loadSlaReport(
      { month: '2026-11', organisation: 'muster-bau' },
      { stores, support, customers, clock },
    );
    expect(report.rows.map((r) => r.organisation)).toEqual(['muster-bau']);
    expect(report.organisations[0]?.blockHours).toMatchObject({
      hoursBought: 20,
      hoursUsed: 1.25,
      hoursLeft: 18.75,
    });
    expect(report.bot).toEqual({ conversations: 8, handoffs: 2, answeredWithoutPersonPercent: 75 });
  });

  it('measures availability per service from the month’s incidents, announced maintenance excluded', async () => {
    const { from } = monthRange('2026-11', sla);
    const hour = 60 * minute;
    const announcement = (
      id: string,
      kind: 'incident' | 'maintenance',
      service: string,
      start: number,
      end: number,
    ) => ({
      id,
      kind,
      service,
      startsAt: from + start * hour,
      endsAt: from + end * hour,
      endedAt: from + end * hour,
      status: { de: 'x', en: 'x' },
      updates: [],
      links: [],
      createdAt: from,
      createdBy: 'admin',
    });
    // Mail: 3.6 h down (99.5 % of 720 h); VPN: 2 h down, one of them in announced maintenance.
    await stores.announcements.put(announcement('INC-000001', 'incident', 'mail', 10, 13.6));
    await stores.announcements.put(announcement('MNT-000001', 'maintenance', 'vpn', 20, 22));
    await stores.announcements.put(announcement('INC-000002', 'incident', 'vpn', 21, 23));
    const at = Date.UTC(2026, 10, 10, 9);
    await stores.tickets.create(musterTicket('SUP-1001', at));
    await stores.tickets.create(sampleTicket('SUP-1002', at, { organisation: 'kanzlei-beispiel' }));
    const report = await loadSlaReport({ month: '2026-11' }, { stores, support, customers, clock });
    const muster = report.organisations.find((o) => o.id === 'muster-bau');
    expect(muster?.availability).toEqual([
      { service: 'mail', agreedPercent: 99.5, measuredPercent: 99.5, met: true },
      { service: 'web', agreedPercent: 99.5, measuredPercent: 100, met: true },
      { service: 'vpn', agreedPercent: 99.5, measuredPercent: 99.861, met: true },
    ]);
    const kanzlei = report.organisations.find((o) => o.id === 'kanzlei-beispiel');
    expect(kanzlei?.availability.find((a) => a.service === 'mail')).toMatchObject({
      agreedPercent: 99.9,
      met: false,
    });
    expect(formatSlaReport(report, 'md')).toContain('mail 99.5 % of 99.5 % agreed (met)');
    const csv = parse(formatSlaReport(report, 'csv'), { columns: true }) as Record<string, string>[];
    expect(csv.filter((line) => line.organisation === 'muster-bau' && line.service !== '')).toEqual([
      expect.objectContaining({
        priority: '',
        service: 'mail',
        availabilityAgreedPercent: '99.5',
        availabilityMeasuredPercent: '99.5',
        availabilityMet: 'true',
      }),
      expect.objectContaining({ service: 'web', availabilityMeasuredPercent: '100' }),
      expect.objectContaining({
        service: 'vpn',
        availabilityMeasuredPercent: '99.861',
        availabilityMet: 'true',
      }),
    ]);
    expect(
      csv.find((line) => line.organisation === 'kanzlei-beispiel' && line.service === 'mail'),
    ).toMatchObject({
      availabilityAgreedPercent: '99.9',
      availabilityMet: 'false',
    });
  });
});
