import { type DeliveryAttempt, type ReplySink, UndeliverableError } from '../../core/delivery.ts';
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

  /**
   * One after another: a reply that does not go out stops the rest, so none overtakes it. With
   * the outbox's attempt, each reply is posted at most once (SlackSender `once`): a retry first
   * looks whether an earlier attempt's post is there.
   */
  async deliver(
    ref: ConversationRef,
    replies: Reply[],
    _key?: string,
    attempt?: DeliveryAttempt,
  ): Promise<void> {
    const address = fromConversationRef(ref);
    // Not ours to deliver (a malformed or foreign reference): retrying would not help.
    if (!address) {
      throw new UndeliverableError(`slack delivery without a slack address (${ref.conversationId})`);
    }
    // Behind a long queue in this channel the outbox brings it back later (nothing sent yet).
    if (attempt) this.sender.admit(address.channel, attempt.id);
    for (const [i, reply] of replies.entries()) {
      throwUnlessSent(
        await this.sender.send({
          kind: 'post',
          channel: address.channel,
          threadTs: address.threadTs,
          message: renderReply(reply),
          once: attempt && {
            id: replies.length === 1 ? attempt.id : `${attempt.id}#${i}`,
            check: attempt.retry,
          },
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
