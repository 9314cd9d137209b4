import { type ReplySink, UndeliverableError } from '../../core/delivery.ts';
import { DeliveryError } from '../../core/errors.ts';
import type { Reply } from '../../core/reply.ts';
import type { ConversationRef } from '../../core/turn.ts';
import { renderReply } from './blocks/reply-blocks.ts';
import { fromConversationRef } from './slack-conversation.ts';
import type { SendResult, SlackSender } from './slack-sender.ts';

/**
 * The channel's ReplySink for the outbox: posts replies to a Slack conversation, in order, into
 * the thread when there is one, and rejects when Slack did not take one (the outbox retries it).
 */
export class SlackReplySink implements ReplySink {
  constructor(private readonly sender: SlackSender) {}

  /** One after another: a reply that does not go out stops the rest, so none overtakes it. */
  async deliver(ref: ConversationRef, replies: Reply[]): Promise<void> {
    const address = fromConversationRef(ref);
    // Not ours to deliver (a malformed or foreign reference): retrying would not help.
    if (!address) {
      throw new UndeliverableError(`slack delivery without a slack address (${ref.conversationId})`);
    }
    for (const reply of replies) {
      throwUnlessSent(
        await this.sender.send({
          kind: 'post',
          channel: address.channel,
          threadTs: address.threadTs,
          message: renderReply(reply),
        }),
      );
    }
  }
}

/** A send that did not go out: for good (undeliverable), or for now (the outbox retries). */
export function throwUnlessSent(result: SendResult): void {
  if (result.ok) return;
  if (result.code === 'undeliverable') {
    throw new UndeliverableError(`slack refused the message: ${result.error}`);
  }
  throw new DeliveryError('slack_unavailable', `slack did not take the message: ${result.error}`);
}
