import { PRIORITIES, type Priority } from '../../core/ticket.ts';
import type { TicketFigures } from '../../core/ticket-figures.ts';
import { billedQuarterHours } from '../../handoff/billable-time.ts';
import type { BlockHourBalance } from '../../handoff/contract-ledger.ts';
import type { CustomerDirectory } from '../../handoff/customer-directory.ts';
import type { SlaClock } from '../../handoff/sla-clock.ts';

/** The organisation id under which tickets of customers no organisation recognised are reported. */
export const NO_CONTRACT = '-';

/** One organisation × priority line of the month. Times in minutes of business time (wall time where the target runs around the clock). */
export interface SlaReportRow {
  organisation: string;
  priority: Priority;
  tickets: number;
  /** Tickets whose clock is decided: reacted, or overdue without a reaction. */
  reactionDecided: number;
  /** Percent of decided tickets reacted to in time; null when none is decided. */
  reactionMetPercent: number | null;
  resolutionDecided: number;
  resolutionMetPercent: number | null;
  reactionMedianMinutes: number | null;
  reactionP95Minutes: number | null;
  resolutionMedianMinutes: number | null;
  resolutionP95Minutes: number | null;
  escalations: number;
  billableQuarterHours: number;
  ratings: number;
  satisfaction: number | null;
}

export interface SlaReportOrganisation {
  id: string;
  name: string;
  tier: string;
  model: string | null;
  tickets: number;
  billableQuarterHours: number;
  blockHours: BlockHourBalance | null;
  /**
   * Agreed availability per service, and what the month's incidents left of it (announced
   * maintenance excluded); `met` compares the two. Null where nothing was measured.
   */
  availability: {
    service: string;
    agreedPercent: number;
    measuredPercent: number | null;
    met: boolean | null;
  }[];
}

export interface SlaReport {
  month: string;
  from: string;
  to: string;
  organisation: string | null;
  generatedAt: string;
  organisations: SlaReportOrganisation[];
  rows: SlaReportRow[];
  /** The bot's own share (all customers: the day counters are not kept per organisation). */
  bot: { conversations: number; handoffs: number; answeredWithoutPersonPercent: number | null };
}

export interface SlaReportInput {
  month: string;
  /** [from, to) of the month in the support calendar's time zone. */
  from: number;
  to: number;
  organisation?: string | undefined;
  tickets: Iterable<TicketFigures>;
  customers: CustomerDirectory;
  sla: SlaClock;
  balances: ReadonlyMap<string, BlockHourBalance>;
  bot: { conversations: number; handoffs: number };
  now: number;
  /** Measured availability per service in the month, in percent (see serviceAvailability). */
  measuredAvailability?: ReadonlyMap<string, number> | undefined;
}

interface Bucket {
  organisation: string;
  priority: Priority;
  tickets: number;
  reactionDecided: number;
  reactionMet: number;
  resolutionDecided: number;
  resolutionMet: number;
  reaction: number[];
  resolution: number[];
  escalations: number;
  quarterHours: number;
  ratings: number;
  ratingSum: number;
}

/**
 * The month's SLA figures per organisation and priority, from the tickets created in it. One pass
 * over the tickets; business time comes from each ticket's calendar (its contract tier's hours).
 */
export function buildSlaReport(input: SlaReportInput): SlaReport {
  const buckets = new Map<string, Bucket>();
  for (const ticket of input.tickets) {
    if (ticket.createdAt < input.from || ticket.createdAt >= input.to) continue;
    const organisation = ticket.organisation ?? NO_CONTRACT;
    if (input.organisation !== undefined && organisation !== input.organisation) continue;
    const key = `${organisation}|${ticket.priority}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = emptyBucket(organisation, ticket.priority);
      buckets.set(key, bucket);
    }
    addTicket(bucket, ticket, input);
  }
  const rows = [...buckets.values()].sort(byOrganisationThenPriority).map(toRow);
  const organisationIds = new Set(rows.map((r) => r.organisation));
  if (input.organisation !== undefined) organisationIds.add(input.organisation);
  const organisations = [...organisationIds].sort().map((id) => summarise(id, rows, input));
  const { conversations, handoffs } = input.bot;
  return {
    month: input.month,
    from: new Date(input.from).toISOString(),
    to: new Date(input.to).toISOString(),
    organisation: input.organisation ?? null,
    generatedAt: new Date(input.now).toISOString(),
    organisations,
    rows,
    bot: {
      conversations,
      handoffs,
      answeredWithoutPersonPercent:
        conversations > 0 ? round(Math.max(0, (100 * (conversations - handoffs)) / conversations)) : null,
    },
  };
}

function emptyBucket(organisation: string, priority: Priority): Bucket {
  return {
    organisation,
    priority,
    tickets: 0,
    reactionDecided: 0,
    reactionMet: 0,
    resolutionDecided: 0,
    resolutionMet: 0,
    reaction: [],
    resolution: [],
    escalations: 0,
    quarterHours: 0,
    ratings: 0,
    ratingSum: 0,
  };
}

function addTicket(bucket: Bucket, ticket: TicketFigures, input: SlaReportInput): void {
  bucket.tickets += 1;
  const target = input.sla.target(ticket.queue, ticket.priority, ticket.organisation);
  const calendar = input.sla.calendarFor(ticket.organisation);
  const elapsed = (end: number) =>
    (target.allHours ? end - ticket.createdAt : calendar.businessMsBetween(ticket.createdAt, end)) / 60_000;
  if (ticket.firstReactionAt !== undefined) {
    bucket.reactionDecided += 1;
    if (ticket.firstReactionAt <= ticket.reactionDueAt) bucket.reactionMet += 1;
    bucket.reaction.push(elapsed(ticket.firstReactionAt));
  } else if (input.now > ticket.reactionDueAt && ticket.status !== 'cancelled') {
    bucket.reactionDecided += 1;
  }
  const solved = ticket.status === 'resolved' && ticket.closedReason !== 'returned-to-bot';
  if (solved && ticket.resolvedAt !== undefined) {
    bucket.resolutionDecided += 1;
    if (ticket.resolvedAt <= ticket.resolutionDueAt) bucket.resolutionMet += 1;
    // Time spent waiting for the customer is not the provider's (see sla-pause.ts).
    bucket.resolution.push(Math.max(0, elapsed(ticket.resolvedAt) - (ticket.slaPausedMs ?? 0) / 60_000));
  } else if (
    (ticket.status === 'queued' || ticket.status === 'claimed') &&
    input.now > ticket.resolutionDueAt
  ) {
    bucket.resolutionDecided += 1;
  }
  if (ticket.level === 3 || ticket.escalated) bucket.escalations += 1;
  bucket.quarterHours += billedQuarterHours(ticket, input.customers.contractOf(ticket.organisation));
  if (ticket.rating !== undefined) {
    bucket.ratings += 1;
    bucket.ratingSum += ticket.rating;
  }
}

function toRow(b: Bucket): SlaReportRow {
  const reaction = b.reaction.sort((x, y) => x - y);
  const resolution = b.resolution.sort((x, y) => x - y);
  return {
    organisation: b.organisation,
    priority: b.priority,
    tickets: b.tickets,
    reactionDecided: b.reactionDecided,
    reactionMetPercent: percent(b.reactionMet, b.reactionDecided),
    resolutionDecided: b.resolutionDecided,
    resolutionMetPercent: percent(b.resolutionMet, b.resolutionDecided),
    reactionMedianMinutes: quantile(reaction, 0.5),
    reactionP95Minutes: quantile(reaction, 0.95),
    resolutionMedianMinutes: quantile(resolution, 0.5),
    resolutionP95Minutes: quantile(resolution, 0.95),
    escalations: b.escalations,
    billableQuarterHours: b.quarterHours,
    ratings: b.ratings,
    satisfaction: b.ratings > 0 ? round(b.ratingSum / b.ratings) : null,
  };
}

function summarise(id: string, rows: SlaReportRow[], input: SlaReportInput): SlaReportOrganisation {
  const organisation = input.customers.organisation(id);
  const served = input.customers.serve(organisation);
  const mine = rows.filter((r) => r.organisation === id);
  return {
    id,
    name: organisation?.name ?? (id === NO_CONTRACT ? '(no contract)' : id),
    tier: served.tierId,
    model: organisation?.contract.model ?? null,
    tickets: mine.reduce((sum, r) => sum + r.tickets, 0),
    billableQuarterHours: mine.reduce((sum, r) => sum + r.billableQuarterHours, 0),
    blockHours: input.balances.get(id) ?? null,
    availability: Object.entries(served.tier.availability).map(([service, agreedPercent]) => {
      const measuredPercent = input.measuredAvailability?.get(service) ?? null;
      return {
        service,
        agreedPercent,
        measuredPercent,
        met: measuredPercent === null ? null : measuredPercent >= agreedPercent,
      };
    }),
  };
}

function byOrganisationThenPriority(a: Bucket, b: Bucket): number {
  if (a.organisation !== b.organisation) return a.organisation < b.organisation ? -1 : 1;
  return PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority);
}

const round = (value: number): number => Math.round(value * 100) / 100;

function percent(part: number, whole: number): number | null {
  return whole > 0 ? round((100 * part) / whole) : null;
}

/** Nearest-rank quantile of sorted values (the value at or above the share), null when empty. */
export function quantile(sorted: readonly number[], share: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(share * sorted.length));
  return round(sorted[Math.min(sorted.length, rank) - 1] ?? 0);
}
