import { createHash } from 'node:crypto';
import type { Logger } from '../core/logger.ts';
import type { Outbox, OutboxItem } from '../core/outbox-port.ts';
import type { Stores } from '../core/ports.ts';
import type { Ticket, TicketEvent } from '../core/ticket.ts';
import { TicketEventHub, type TicketListener } from '../core/ticket-events.ts';
import type { OutboxPump } from './outbox-pump.ts';

/** What a listener learns about the delivery of an event, to make its effect idempotent. */
export interface TicketEventDelivery {
  /** Stable for this event and listener: put it on the platform (e.g. message metadata). */
  key: string;
  /** An earlier attempt was cut off (its process died): the effect may exist already; check if you can. */
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

/** Same for a repeat of the event (a retried turn), different for any other event. */
export function ticketEventKey(ticketId: string, event: TicketEvent): string {
  const digest = createHash('sha1').update(JSON.stringify(event)).digest('hex').slice(0, 16);
  return `${ticketId}:${event.type}:${event.at}:${digest}`;
}

/**
 * Ticket events through the outbox: `onTicketEvent` adds one item per listener (in the lane of
 * that listener and ticket, so a ticket's card sees its changes in order) and returns; the pump,
 * in whichever process, calls the listener with the ticket as stored then. A listener that fails
 * is called again later; one that succeeded is not called again for that event.
 */
export class OutboxTicketEventHub extends TicketEventHub {
  private readonly names = new Map<TicketListener, string>();

  constructor(
    private readonly stores: Pick<Stores, 'tickets'> & { outbox: Outbox },
    private readonly pump: OutboxPump,
    private readonly logger: Logger,
    /**
     * How long onTicketEvent waits for the listeners before leaving them to the pump. Short: a
     * customer's turn raises events (a message to their ticket) and must not wait for the agents'
     * channel, where Slack takes one post a second.
     */
    private readonly inlineWaitMs = 250,
  ) {
    super(logger);
  }

  /**
   * `name` identifies the listener across processes; give each a fixed one (default: its class
   * name, numbered when one class subscribes twice). Every process must subscribe the same ones.
   */
  override subscribe(listener: IdempotentTicketListener, name?: string): () => void {
    const base = name ?? listener.constructor.name;
    const taken = new Set(this.names.values());
    let unique = base;
    for (let i = 2; taken.has(unique); i++) unique = `${base}#${i}`;
    this.names.set(listener, unique);
    this.pump.register(kindOf(unique), async (item: OutboxItem) => {
      if (!this.names.has(listener)) return;
      const { ticketId, event } = item.payload as TicketEventPayload;
      const ticket = await this.stores.tickets.get(ticketId);
      if (!ticket) {
        this.logger.warn('ticket of an event is gone; listener skipped', { ticketId, event: event.type });
        return;
      }
      // A failed attempt may have got as far as the platform, as a cut-off one may have.
      await listener.onTicketEvent(ticket, event, {
        key: item.id,
        retry: item.interrupted || item.attempts > 0,
      });
    });
    return () => {
      this.names.delete(listener);
    };
  }

  override async onTicketEvent(ticket: Ticket, event: TicketEvent): Promise<void> {
    const payload: TicketEventPayload = { ticketId: ticket.id, event };
    const key = ticketEventKey(ticket.id, event);
    const items = [...this.names.values()].map((name) => ({
      id: `${kindOf(name)}:${key}`,
      lane: `${kindOf(name)}:${ticket.id}`,
      kind: kindOf(name),
      payload,
    }));
    if (items.length === 0) return;
    // The ticket change is stored already; a failure here is the caller's to see (the turn's
    // error boundary, the agent's error), so the event is not silently lost.
    await this.stores.outbox.add(items);
    await this.pump.flush(
      this.inlineWaitMs,
      items.map((item) => item.id),
    );
  }
}

const kindOf = (listenerName: string): string => `ticket:${listenerName}`;
