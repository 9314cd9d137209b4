import type { TicketStore } from '../core/ports.ts';
import type { TicketFigures } from '../core/ticket-figures.ts';
import { billedQuarterHours, type WorkedTicket } from './billable-time.ts';
import type { CustomerDirectory } from './customer-directory.ts';
import type { Organisation } from './customers-config.ts';

/** An organisation's block hours: bought, used by billable tickets, left. */
export interface BlockHourBalance {
  organisation: string;
  hoursBought: number;
  hoursUsed: number;
  hoursLeft: number;
  /** At or below the contract's lowBalanceHours. */
  low: boolean;
}

/** One billable ticket of a time & material contract, for the invoice. */
export interface BillableLine {
  ticketId: string;
  summary: string;
  quarterHours: number;
  hours: number;
  amount: number;
  currency: string;
}

/**
 * What an organisation's contract has used, read from its tickets' recorded time. The tickets are
 * the one record (their updates are atomic), so a balance is never out of step with them.
 */
export class ContractLedger {
  constructor(
    private readonly tickets: Pick<TicketStore, 'list' | 'listFigures'>,
    private readonly directory: CustomerDirectory,
  ) {}

  /** Undefined unless the organisation has block hours. */
  async balance(organisationId: string): Promise<BlockHourBalance | undefined> {
    const organisation = this.directory.organisation(organisationId);
    if (organisation?.contract.model !== 'block-hours') return undefined;
    return balanceFrom(organisation, await this.contractTickets(organisation));
  }

  /** The billable tickets of a time & material contract created in [from, to). */
  async billableLines(organisationId: string, from: number, to: number): Promise<BillableLine[]> {
    const organisation = this.directory.organisation(organisationId);
    if (organisation?.contract.model !== 'time-and-material') return [];
    const { contract } = organisation;
    return (await this.tickets.list({ organisation: organisation.id }))
      .filter((t) => t.createdAt >= from && t.createdAt < to)
      .map((t) => ({ ticket: t, quarterHours: billedQuarterHours(t, contract) }))
      .filter((line) => line.quarterHours > 0)
      .reverse()
      .map(({ ticket, quarterHours }) => ({
        ticketId: ticket.id,
        summary: ticket.details.summary ?? '',
        quarterHours,
        hours: quarterHours / 4,
        amount: (quarterHours / 4) * (contract.hourlyRate ?? 0),
        currency: contract.currency,
      }));
  }

  private async contractTickets(organisation: Organisation): Promise<TicketFigures[]> {
    return withinContract(organisation, await this.tickets.listFigures({ organisation: organisation.id }));
  }
}

/** The tickets that count against the organisation's contract: its own, from the contract's start. */
export function withinContract<T extends Pick<TicketFigures, 'organisation' | 'createdAt'>>(
  organisation: Organisation,
  tickets: readonly T[],
): T[] {
  const startsOn = organisation.contract.startsOn;
  const start = startsOn ? Date.parse(`${startsOn}T00:00:00Z`) : Number.NEGATIVE_INFINITY;
  return tickets.filter((t) => t.organisation === organisation.id && t.createdAt >= start);
}

/** The balance after these tickets (also for a ticket about to be changed: pass the new one). */
export function balanceFrom(organisation: Organisation, tickets: readonly WorkedTicket[]): BlockHourBalance {
  const { contract } = organisation;
  const quarters = tickets.reduce((sum, t) => sum + billedQuarterHours(t, contract), 0);
  const hoursBought = contract.hoursBought ?? 0;
  const hoursUsed = quarters / 4;
  const hoursLeft = hoursBought - hoursUsed;
  return {
    organisation: organisation.id,
    hoursBought,
    hoursUsed,
    hoursLeft,
    low: hoursLeft <= contract.lowBalanceHours,
  };
}
