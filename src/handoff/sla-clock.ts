import type { Priority, Ticket } from '../core/ticket.ts';
import { BusinessCalendar } from './business-calendar.ts';
import type { CustomerDirectory } from './customer-directory.ts';
import { type SlaTarget, type SupportConfig, slaPolicyFor } from './support-config.ts';

export interface SlaDueTimes {
  reactionDueAt: number;
  resolutionDueAt: number;
}

/**
 * SLA due times per queue and priority, honouring business hours (P1 runs around the clock). A
 * ticket of an organisation follows its contract's tier: the tier's targets and support hours
 * where it has them, support.yaml's otherwise.
 */
export class SlaClock {
  readonly calendar: BusinessCalendar;
  private readonly tierCalendars = new Map<string, BusinessCalendar>();

  constructor(
    private readonly config: SupportConfig,
    private readonly customers?: CustomerDirectory | undefined,
  ) {
    this.calendar = new BusinessCalendar(config.businessHours);
  }

  target(queue: string, priority: Priority, organisation?: string | undefined): SlaTarget {
    const tier = this.tierOf(organisation);
    return tier?.sla[priority] ?? slaPolicyFor(this.config, queue)[priority];
  }

  /** The support hours the organisation's tier keeps (support.yaml's by default). */
  calendarFor(organisation: string | undefined): BusinessCalendar {
    const tierId = this.tierIdOf(organisation);
    const hours = tierId ? this.customers?.config.tiers[tierId]?.businessHours : undefined;
    if (!tierId || !hours) return this.calendar;
    let calendar = this.tierCalendars.get(tierId);
    if (!calendar) {
      calendar = new BusinessCalendar(hours);
      this.tierCalendars.set(tierId, calendar);
    }
    return calendar;
  }

  dueTimes(queue: string, priority: Priority, from: number, organisation?: string | undefined): SlaDueTimes {
    const target = this.target(queue, priority, organisation);
    return {
      reactionDueAt: this.add(from, target.reactionMinutes, target.allHours, organisation),
      resolutionDueAt: this.add(from, target.resolutionMinutes, target.allHours, organisation),
    };
  }

  /** When the warning for a ticket's reaction or resolution time is due (warnAt share used). */
  warningAt(ticket: Ticket, kind: 'reaction' | 'resolution'): number {
    const target = this.target(ticket.queue, ticket.priority, ticket.organisation);
    const minutes = kind === 'reaction' ? target.reactionMinutes : target.resolutionMinutes;
    return this.add(ticket.createdAt, minutes * this.config.sla.warnAt, target.allHours, ticket.organisation);
  }

  private tierIdOf(organisation: string | undefined): string | undefined {
    if (!this.customers) return undefined;
    return this.customers.organisation(organisation)?.contract.tier ?? this.customers.config.default.tier;
  }

  private tierOf(organisation: string | undefined) {
    const tierId = this.tierIdOf(organisation);
    return tierId ? this.customers?.config.tiers[tierId] : undefined;
  }

  private add(from: number, minutes: number, allHours: boolean, organisation: string | undefined): number {
    return allHours
      ? from + minutes * 60_000
      : this.calendarFor(organisation).addBusinessMinutes(from, minutes);
  }
}
