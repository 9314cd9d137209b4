import { errorCode, errorMessage, type Logger, silentLogger } from './logger.ts';
import type { Ticket, TicketEvent } from './ticket.ts';

/** Something that reacts to ticket changes (the Slack agent channel posts/updates ticket cards). */
export interface TicketListener {
  onTicketEvent(ticket: Ticket, event: TicketEvent): Promise<void>;
}

/**
 * Fan-out to every subscribed listener. Shared by the Engine, the AgentDesk and the SlaWatcher,
 * so a channel that starts later can still subscribe. A failing listener is logged and does not
 * stop the others, nor the change that caused the event (the ticket is already stored).
 */
export class TicketEventHub implements TicketListener {
  private readonly listeners = new Set<TicketListener>();

  constructor(private readonly log: Logger = silentLogger) {}

  subscribe(listener: TicketListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async onTicketEvent(ticket: Ticket, event: TicketEvent): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener.onTicketEvent(ticket, event);
      } catch (error) {
        this.log.error('ticket listener failed', {
          code: errorCode(error),
          error: errorMessage(error),
          ticketId: ticket.id,
          event: event.type,
        });
      }
    }
  }
}
