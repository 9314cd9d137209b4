import { DeliveryError } from './errors.ts';
import type { Reply } from './reply.ts';
import type { ChannelKind, ConversationRef } from './turn.ts';

/**
 * Sends replies to a conversation outside a turn (agent relays, resolve notices) or after its
 * acknowledgement (Slack). A sink resolves once the platform has them and rejects when it could
 * not deliver: the outbox keeps the replies and tries again.
 * `key` makes the delivery idempotent: the same replies under the same key are delivered once.
 */
export interface ReplySink {
  deliver(ref: ConversationRef, replies: Reply[], key?: string, attempt?: DeliveryAttempt): Promise<void>;
}

/** Which delivery this is, when the outbox hands a reply on: the same id on every attempt. */
export interface DeliveryAttempt {
  id: string;
  /**
   * An earlier attempt may have reached the platform (it failed, or its process died before the
   * outbox heard back): a channel that can look sends only what is not there yet.
   */
  retry: boolean;
}

/**
 * The platform refused the message for good (not "try later"): retrying cannot help. The outbox
 * logs it and goes on with the next message of that conversation.
 */
export class UndeliverableError extends DeliveryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('undeliverable', message, options);
    this.name = 'UndeliverableError';
  }
}

/**
 * The destination is busy (a platform's pace: Slack takes about one post a second per channel),
 * so the delivery would only wait: the outbox keeps it first in its lane until `retryAt` and
 * works other lanes meanwhile. Not a failure: it is not counted as an attempt. Raised before
 * anything of the delivery was sent.
 */
export class DeferredDelivery extends DeliveryError {
  constructor(
    readonly retryAt: number,
    message: string,
  ) {
    super('deferred', message);
    this.name = 'DeferredDelivery';
  }
}

/** Hands replies to the sink of the channel the conversation lives in; rejects when there is none. */
export class DeliveryRouter implements ReplySink {
  private readonly sinks = new Map<ChannelKind, ReplySink>();

  register(channel: ChannelKind, sink: ReplySink): void {
    this.sinks.set(channel, sink);
  }

  async deliver(
    ref: ConversationRef,
    replies: Reply[],
    key?: string,
    attempt?: DeliveryAttempt,
  ): Promise<void> {
    const sink = this.sinks.get(ref.channel);
    // Not registered (yet): the channel may be starting, or switched off; the outbox retries.
    if (!sink) throw new DeliveryError('no_channel', `no channel registered for ${ref.channel}`);
    await sink.deliver(ref, replies, key, attempt);
  }
}
