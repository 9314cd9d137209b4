import { randomUUID } from 'node:crypto';
import type { ReplySink } from '../../core/delivery.ts';
import type { Reply } from '../../core/reply.ts';
import type { ConversationRef } from '../../core/turn.ts';
import type { LoggedEvent, Stores } from '../../store/ports.ts';
import type { EventPump } from './event-pump.ts';

export const DELIVERY_EVENT = 'delivery';

interface DeliveryPayload {
  /** Made once when the delivery is accepted: the effect's idempotency key. */
  key: string;
  ref: ConversationRef;
  replies: Reply[];
}

/**
 * Proactive messages to customers (agent relays, resolve notices) through the durable event log:
 * `deliver` logs the message and hands it to `target` at once when it can; the EventPump makes
 * sure it is handed over once, in order per conversation, retrying on failure, in whichever
 * process is alive.
 * `target` must reject when it could not deliver (so the message is retried).
 */
export class DurableReplySink implements ReplySink {
  constructor(
    private readonly stores: Pick<Stores, 'events'>,
    private readonly pump: EventPump,
    target: ReplySink,
    /** How long deliver waits for the channel before leaving the message to the pump. */
    private readonly inlineWaitMs = 2_000,
  ) {
    pump.register({
      name: 'customer-delivery',
      type: DELIVERY_EVENT,
      key: (event: LoggedEvent) => (event.payload as DeliveryPayload).key,
      lane: (event: LoggedEvent) => (event.payload as DeliveryPayload).ref.conversationId,
      handle: async (event: LoggedEvent) => {
        const { ref, replies } = event.payload as DeliveryPayload;
        await target.deliver(ref, replies);
      },
    });
  }

  async deliver(ref: ConversationRef, replies: Reply[]): Promise<void> {
    if (replies.length === 0) return;
    const payload: DeliveryPayload = { key: randomUUID(), ref, replies };
    await this.stores.events.append(DELIVERY_EVENT, payload);
    // Delivered now when the channel takes it; otherwise the pump retries.
    await this.pump.flush(this.inlineWaitMs);
  }
}
