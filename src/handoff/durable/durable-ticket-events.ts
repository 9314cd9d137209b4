import { createHash } from 'node:crypto';
import { errorCode, errorMessage, type Logger, silentLogger } from '../../core/logger.ts';
import type { Ticket, TicketEvent } from '../../core/ticket.ts';
import { TicketEventHub, type TicketListener } from '../../core/ticket-events.ts';
import type { LoggedEvent, Stores } from '../../store/ports.ts';
import type { EventPump } from './event-pump.ts';

export const TICKET_EVENT = 'ticket-event';

/** What a listener learns about the delivery of an event, to make its effect idempotent. */
export interface TicketEventDelivery {
  /** Stable for this event and listener: put it on the platform (e.g. message metadata). */
  key: string;
  /** An earlier attempt was cut off: the effect may exist already; check for `key` if you can. */
  retry: boolean;
}

/** A listener that may use the delivery details; plain TicketListeners fit too. */
export interface IdempotentTicketListener extends TicketListener {
  onTicketEvent(ticket: Ticket, event: TicketEvent, delivery?: TicketEventDelivery): Promise<void>;
}

interface TicketEventPayload {
  ticketId: string;
  event: TicketEvent;
}

/**
 * A TicketEventHub whose listeners survive a process: `onTicketEvent` appends to the durable
 * event log and returns; the EventPump (in any process) then calls each listener once per event,
 * guarded by an idempotency key. So a ticket card is posted once even when the process that
 * created the ticket dies right after, and not twice when two processes run.
 *
 * Listeners get the ticket as stored when the event is processed (the latest state).
 */
export class DurableTicketEventHub extends TicketEventHub {
  private readonly names = new Map<TicketListener, string>();
  private readonly logger: Logger;

  constructor(
    private readonly stores: Pick<Stores, 'events' | 'tickets'>,
    private readonly pump: EventPump,
    log: Logger = silentLogger,
    /** How long onTicketEvent waits for the listeners before leaving them to the pump. */
    private readonly inlineWaitMs = 2_000,
  ) {
    super(log);
    this.logger = log;
  }

  /**
   * `name` identifies the listener's effect across processes; give each listener a fixed one
   * (default: its class name, numbered when the same class subscribes twice).
   */
  override subscribe(listener: IdempotentTicketListener, name?: string): () => void {
    const base = name ?? listener.constructor.name;
    const taken = new Set(this.names.values());
    let unique = base;
    for (let i = 2; taken.has(unique); i++) unique = `${base}#${i}`;
    this.names.set(listener, unique);
    const handlerName = `ticket-listener:${unique}`;
    this.pump.register({
      name: handlerName,
      type: TICKET_EVENT,
      key: ticketEventKey,
      handle: async (logged, claim) => {
        if (!this.names.has(listener)) return;
        const { ticketId, event } = logged.payload as TicketEventPayload;
        const ticket = await this.stores.tickets.get(ticketId);
        if (!ticket) {
          this.logger.warn('ticket of a logged event is gone; listener skipped', {
            ticketId,
            event: event.type,
          });
          return;
        }
        const key = `${handlerName}:${ticketEventKey(logged)}`;
        await listener.onTicketEvent(ticket, event, { key, retry: claim === 'retry' });
      },
    });
    return () => {
      this.names.delete(listener);
    };
  }

  override async onTicketEvent(ticket: Ticket, event: TicketEvent): Promise<void> {
    const payload: TicketEventPayload = { ticketId: ticket.id, event };
    try {
      await this.stores.events.append(TICKET_EVENT, payload);
    } catch (error) {
      // The ticket change is stored already; the caller must not fail because of the announcement.
      this.logger.error('ticket event could not be logged', {
        code: errorCode(error),
        error: errorMessage(error),
        ticketId: ticket.id,
        event: event.type,
      });
      return;
    }
    // Listeners run now when they can (as with the in-process hub); else the pump retries.
    await this.pump.flush(this.inlineWaitMs);
  }
}

/** Same for a duplicate of the event (e.g. re-appended from a spool), different for any other event. */
export function ticketEventKey(logged: LoggedEvent): string {
  const { ticketId, event } = logged.payload as TicketEventPayload;
  const digest = createHash('sha1').update(JSON.stringify(event)).digest('hex').slice(0, 16);
  return `${ticketId}:${event.type}:${event.at}:${digest}`;
}
