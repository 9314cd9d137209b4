import type { Outbox, OutboxItem } from '../core/outbox-port.ts';
import type { OutboxPump } from './outbox-pump.ts';

const INBOUND_KIND = 'inbound';

/** What a platform sent, handed back to its handler from the outbox. */
export interface InboundMessage {
  payload: unknown;
  /** An earlier run of it failed or was taken by a process that died: it may have happened in part. */
  resumed: boolean;
}

/**
 * Platform events kept before they are acknowledged: Slack does not send an acknowledged event
 * again, so a process that dies after the ack must not take the customer's message with it. An
 * event is an item of the one outbox, in its conversation's lane (so one conversation's messages
 * are handled in the order they came, one at a time), handled by whichever process takes the
 * lane, and once (the platform's event id is its id: a platform retry is added once).
 */
export class OutboxInbox {
  constructor(
    private readonly outbox: Outbox,
    private readonly pump: OutboxPump,
  ) {}

  /** The handler of one platform's events, in every process (the lane may be taken by any of them). */
  register(source: string, handler: (message: InboundMessage) => Promise<void>): void {
    this.pump.register(`${INBOUND_KIND}:${source}`, (item: OutboxItem) =>
      handler({ payload: item.payload, resumed: item.interrupted || item.attempts > 0 }),
    );
  }

  /** Kept durably when this resolves (then acknowledge to the platform); handled soon after. */
  async accept(source: string, eventId: string, conversation: string, payload: unknown): Promise<void> {
    await this.outbox.add([
      {
        id: `${INBOUND_KIND}:${source}:${eventId}`,
        lane: `${INBOUND_KIND}:${source}:${conversation}`,
        kind: `${INBOUND_KIND}:${source}`,
        payload,
      },
    ]);
    this.pump.kick();
  }
}
