import { type Clock, systemClock } from '../core/clock.ts';
import { ConversationLocks } from '../core/conversation-locks.ts';
import type { ReplySink } from '../core/delivery.ts';
import { type Logger, silentLogger } from '../core/logger.ts';
import type { Ticket } from '../core/ticket.ts';
import { TicketEventHub } from '../core/ticket-events.ts';
import type { Stores, TicketFilter } from '../store/ports.ts';
import type { SupportConfig } from './support-config.ts';

export interface AgentDeskDeps {
  stores: Stores;
  support: SupportConfig;
  delivery: ReplySink;
  clock?: Clock;
  /** Pass engine.ticketEvents so every listener sees agent changes too. */
  ticketEvents?: TicketEventHub;
  /** Pass engine.locks so agent actions and customer turns never interleave. */
  locks?: ConversationLocks;
  log?: Logger;
}

/** Every agent action returns a value: the changed ticket, or why nothing changed. */
export type DeskResult =
  | { ok: true; ticket: Ticket }
  | { ok: false; code: 'not_found' | 'not_allowed' | 'invalid' | 'conflict'; message: string };

export interface EscalateOptions {
  /** Move to another second-level queue. */
  queue?: string | undefined;
  /** Hand to third-level support. */
  level?: 3 | undefined;
  /** Why (kept as an internal note). */
  reason?: string | undefined;
}

/**
 * What second-level agents do with tickets (web console now, Slack agent channel later):
 * claim, reply (relayed to the customer; `note:` stays internal), resolve, give back to the bot,
 * escalate. Each change appends a TicketEvent and notifies the listeners.
 */
export class AgentDesk {
  readonly ticketEvents: TicketEventHub;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly locks: ConversationLocks;

  constructor(private readonly deps: AgentDeskDeps) {
    this.clock = deps.clock ?? systemClock;
    this.log = deps.log ?? silentLogger;
    this.ticketEvents = deps.ticketEvents ?? new TicketEventHub(this.log);
    this.locks = deps.locks ?? new ConversationLocks();
  }

  async list(filter: TicketFilter = {}): Promise<Ticket[]> {
    return this.deps.stores.tickets.list(filter);
  }

  async get(ticketId: string): Promise<Ticket | undefined> {
    return this.deps.stores.tickets.get(ticketId);
  }

  async claim(ticketId: string, agent: string): Promise<DeskResult> {
    return this.notYet(ticketId, agent);
  }

  async reply(ticketId: string, agent: string, text: string): Promise<DeskResult> {
    return this.notYet(ticketId, `${agent}:${text.length}`);
  }

  async resolve(ticketId: string, agent: string, note?: string): Promise<DeskResult> {
    return this.notYet(ticketId, `${agent}:${note ?? ''}`);
  }

  async giveBack(ticketId: string, agent: string): Promise<DeskResult> {
    return this.notYet(ticketId, agent);
  }

  async escalate(ticketId: string, agent: string, options: EscalateOptions): Promise<DeskResult> {
    return this.notYet(ticketId, `${agent}:${options.queue ?? ''}`);
  }

  private async notYet(ticketId: string, detail: string): Promise<DeskResult> {
    void this.clock;
    void this.locks;
    this.log.warn('agent desk action not available yet', { ticketId, detail });
    return { ok: false, code: 'invalid', message: 'not available yet' };
  }
}
