import type { Priority, Ticket } from '../core/ticket.ts';
import { BusinessCalendar } from './business-calendar.ts';
import { type SlaTarget, type SupportConfig, slaPolicyFor } from './support-config.ts';

export interface SlaDueTimes {
  reactionDueAt: number;
  resolutionDueAt: number;
}

/** SLA due times per queue and priority, honouring business hours (P1 runs around the clock). */
export class SlaClock {
  readonly calendar: BusinessCalendar;

  constructor(private readonly config: SupportConfig) {
    this.calendar = new BusinessCalendar(config.businessHours);
  }

  target(queue: string, priority: Priority): SlaTarget {
    return slaPolicyFor(this.config, queue)[priority];
  }

  dueTimes(queue: string, priority: Priority, from: number): SlaDueTimes {
    const target = this.target(queue, priority);
    return {
      reactionDueAt: this.add(from, target.reactionMinutes, target.allHours),
      resolutionDueAt: this.add(from, target.resolutionMinutes, target.allHours),
    };
  }

  /** When the warning for a ticket's reaction or resolution time is due (warnAt share used). */
  warningAt(ticket: Ticket, kind: 'reaction' | 'resolution'): number {
    const target = this.target(ticket.queue, ticket.priority);
    const minutes = kind === 'reaction' ? target.reactionMinutes : target.resolutionMinutes;
    return this.add(ticket.createdAt, minutes * this.config.sla.warnAt, target.allHours);
  }

  private add(from: number, minutes: number, allHours: boolean): number {
    return allHours ? from + minutes * 60_000 : this.calendar.addBusinessMinutes(from, minutes);
  }
}
