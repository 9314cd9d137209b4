import { randomUUID } from 'node:crypto';
import type { ReplySink } from '../core/delivery.ts';
import type { NewOutboxItem, Outbox, OutboxItem } from '../core/outbox-port.ts';
import type { Reply } from '../core/reply.ts';
import type { ConversationRef } from '../core/turn.ts';
import type { OutboxPump } from './outbox-pump.ts';

export const REPLY_KIND = 'reply';

interface ReplyPayload {
  ref: ConversationRef;
  reply: Reply;
}

/**
 * Messages to customers (agent relays, resolve notices, Slack's answers to a turn) go through the
 * outbox: each reply is an item in its conversation's lane, so they reach the customer in order,
 * once (the key), from whichever process takes the lane, and are retried until the channel takes
 * them. `deliver` returns once they are stored and, when the channel is quick, delivered.
 */
export class OutboxReplySink implements ReplySink {
  constructor(
    private readonly outbox: Outbox,
    private readonly pump: OutboxPump,
    /** Where a reply finally goes (the DeliveryRouter with the channels registered); rejects on failure. */
    target: ReplySink,
    /** How long deliver waits for the channel before leaving the rest to the pump. */
    private readonly inlineWaitMs = 2_000,
  ) {
    pump.register(REPLY_KIND, async (item: OutboxItem) => {
      const { ref, reply } = item.payload as ReplyPayload;
      await target.deliver(ref, [reply], undefined, {
        id: item.id,
        retry: item.interrupted || item.attempts > 0,
      });
    });
  }

  async deliver(ref: ConversationRef, replies: Reply[], key: string = randomUUID()): Promise<void> {
    if (replies.length === 0) return;
    const items = replyItems(ref, replies, key);
    await this.outbox.add(items);
    await this.pump.flush(
      this.inlineWaitMs,
      items.map((item) => item.id),
    );
  }
}

/** One outbox item per reply, in its conversation's lane, under ids the key makes stable. */
function replyItems(ref: ConversationRef, replies: Reply[], key: string): NewOutboxItem[] {
  return replies.map((reply, i) => ({
    id: `${REPLY_KIND}:${key}:${i}`,
    lane: `${REPLY_KIND}:${ref.conversationId}`,
    kind: REPLY_KIND,
    payload: { ref, reply } satisfies ReplyPayload,
  }));
}

/**
 * Replies only added to the outbox, for the pump of a running bot to deliver: what a command
 * working on the shared stores uses (it has no channels of its own).
 */
export function queueReplies(outbox: Outbox): ReplySink {
  return {
    async deliver(ref, replies, key = randomUUID()) {
      await outbox.add(replyItems(ref, replies, key));
    },
  };
}
