import type { Clock } from '../../core/clock.ts';
import type { Stores } from '../../core/ports.ts';
import type { BlockHourBalance } from '../../handoff/contract-ledger.ts';
import { balanceFrom, withinContract } from '../../handoff/contract-ledger.ts';
import type { CustomerDirectory } from '../../handoff/customer-directory.ts';
import { SlaClock } from '../../handoff/sla-clock.ts';
import type { SupportConfig } from '../../handoff/support-config.ts';
import { serviceAvailability } from '../../incidents/service-availability.ts';
import { buildSlaReport, type SlaReport } from './sla-report.ts';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export type ReportRequest = { month: string; organisation?: string | undefined };

/** A month as `YYYY-MM`, or the problem with it. */
export function checkReportRequest(
  request: ReportRequest,
  customers: CustomerDirectory,
): { ok: true } | { ok: false; message: string } {
  if (!MONTH.test(request.month)) return { ok: false, message: 'month must be YYYY-MM, e.g. 2026-11' };
  const org = request.organisation;
  if (org !== undefined && org !== '-' && !customers.organisation(org)) {
    return { ok: false, message: `no organisation "${org}" in the customers config` };
  }
  return { ok: true };
}

/** [from, to) of a month in the support calendar's time zone. */
export function monthRange(month: string, sla: SlaClock): { from: number; to: number } {
  const [, y, m] = MONTH.exec(month) ?? [];
  const year = Number(y);
  const monthNumber = Number(m);
  const next = monthNumber === 12 ? { year: year + 1, month: 1 } : { year, month: monthNumber + 1 };
  return {
    from: sla.calendar.startOfDay(year, monthNumber, 1),
    to: sla.calendar.startOfDay(next.year, next.month, 1),
  };
}

/** The month's SLA report from the stores: tickets, the bot's day counters, block-hour balances. */
export async function loadSlaReport(
  request: ReportRequest,
  deps: {
    stores: Pick<Stores, 'tickets' | 'counters' | 'announcements'>;
    support: SupportConfig;
    customers: CustomerDirectory;
    clock: Clock;
  },
): Promise<SlaReport> {
  const sla = new SlaClock(deps.support, deps.customers);
  const { from, to } = monthRange(request.month, sla);
  const filter =
    request.organisation && request.organisation !== '-' ? { organisation: request.organisation } : {};
  // One listing for the month's figures and every contract's balance (a block outlives a month).
  const all = await deps.stores.tickets.listFigures(filter);
  const tickets = all.filter((t) => t.createdAt >= from && t.createdAt < to);
  const balances = new Map<string, BlockHourBalance>();
  for (const organisation of deps.customers.organisations()) {
    if (request.organisation !== undefined && organisation.id !== request.organisation) continue;
    if (organisation.contract.model !== 'block-hours') continue;
    balances.set(organisation.id, balanceFrom(organisation, withinContract(organisation, all)));
  }
  let conversations = 0;
  let handoffs = 0;
  // The day counters are kept per UTC day: the month's days by name.
  const [year, month] = request.month.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  for (let day = 1; day <= days; day++) {
    const counters = await deps.stores.counters.get(`${request.month}-${String(day).padStart(2, '0')}`);
    conversations += counters.conversations ?? 0;
    handoffs += counters.handoffs ?? 0;
  }
  const measuredAvailability = await measureAvailability(
    deps.stores,
    deps.customers,
    { from, to },
    deps.clock.now(),
  );
  return buildSlaReport({
    month: request.month,
    from,
    to,
    organisation: request.organisation,
    tickets,
    customers: deps.customers,
    sla,
    balances,
    bot: { conversations, handoffs },
    now: deps.clock.now(),
    measuredAvailability,
  });
}

/** Every service some tier agrees availability for, measured over the month's incidents. */
async function measureAvailability(
  stores: Pick<Stores, 'announcements'>,
  customers: CustomerDirectory,
  month: { from: number; to: number },
  now: number,
): Promise<Map<string, number>> {
  const measured = new Map<string, number>();
  // A month not begun has nothing measured; one still running is measured up to now.
  if (now <= month.from) return measured;
  const period = { from: month.from, to: Math.min(month.to, now) };
  const announcements = await stores.announcements.list();
  const services = new Set(
    Object.values(customers.config.tiers).flatMap((tier) => Object.keys(tier.availability)),
  );
  for (const service of services) {
    measured.set(service, serviceAvailability(announcements, service, period, now).percent);
  }
  return measured;
}
