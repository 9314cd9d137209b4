import type { ReplySink } from '../../core/delivery.ts';
import type { Logger } from '../../core/logger.ts';
import type { Reply } from '../../core/reply.ts';
import type { ConversationRef } from '../../core/turn.ts';
import { renderReply } from './blocks/reply-blocks.ts';
import { fromConversationRef, type SlackAddress } from './slack-conversation.ts';
import type { SendResult, SlackSender } from './slack-sender.ts';

/**
 * Posts engine replies to a Slack conversation, in order, into the thread when there is one.
 * Also the channel's ReplySink for the DeliveryRouter (agent relays, resolve notices): the
 * sender keeps what it cannot send yet, so nothing accepted here is lost or sent twice.
 */
export class SlackReplySink implements ReplySink {
  constructor(
    private readonly sender: SlackSender,
    private readonly log: Logger,
  ) {}

  async post(address: SlackAddress, replies: Reply[]): Promise<SendResult[]> {
    const sends = replies.map((reply) =>
      this.sender.send({
        kind: 'post',
        channel: address.channel,
        threadTs: address.threadTs,
        message: renderReply(reply),
      }),
    );
    return Promise.all(sends);
  }

  async deliver(ref: ConversationRef, replies: Reply[]): Promise<void> {
    const address = fromConversationRef(ref);
    if (!address) {
      // Not ours to deliver (a malformed or foreign reference): retrying would not help.
      this.log.error('slack delivery without a slack address', { conversationId: ref.conversationId });
      return;
    }
    await this.post(address, replies);
  }
}
