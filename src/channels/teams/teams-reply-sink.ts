import type { ConversationReference } from 'botbuilder';
import type { ReplySink } from '../../core/delivery.ts';
import { SupportBotError } from '../../core/errors.ts';
import type { Reply } from '../../core/reply.ts';
import type { ConversationRef } from '../../core/turn.ts';
import type { Logger } from '../../ops/logger.ts';
import { readAddress } from './teams-activity.ts';
import type { TeamsAdapter } from './teams-adapter.ts';
import { isLoopbackUrl } from './teams-auth.ts';
import type { TeamsSender } from './teams-sender.ts';

export interface TeamsReplySinkOptions {
  adapter: TeamsAdapter;
  sender: TeamsSender;
  log: Logger;
  /** Local mode: only loopback connectors may be called. */
  loopbackOnly: boolean;
  /** Where the rest goes when a delivery failed halfway (the DeliveryRouter). */
  requeue?: ReplySink | undefined;
}

/**
 * Proactive messages to a Teams customer (agent replies from the Slack thread or the console,
 * resolve and give-back notices), through the stored conversation reference. A failure throws,
 * so the DeliveryRouter keeps the replies and tries again later, in order.
 */
export class TeamsReplySink implements ReplySink {
  constructor(private readonly options: TeamsReplySinkOptions) {}

  async deliver(ref: ConversationRef, replies: Reply[]): Promise<void> {
    const address = readAddress(ref);
    if (!address) {
      // Not deliverable however often it is tried: say so and drop it.
      this.options.log.error('teams delivery without a teams address', {
        conversationId: ref.conversationId,
      });
      return;
    }
    if (this.options.loopbackOnly && !isLoopbackUrl(address.serviceUrl)) {
      this.options.log.error('teams delivery refused: serviceUrl is not loopback in local mode', {
        conversationId: ref.conversationId,
      });
      return;
    }
    let unsent: Reply[] = [];
    let failure: unknown;
    await this.options.adapter.continueWith(
      address as unknown as Partial<ConversationReference>,
      async (context) => {
        const outcome = await this.options.sender.sendReplies(context, ref.conversationId, replies);
        unsent = outcome.unsent;
        failure = outcome.error;
      },
    );
    if (unsent.length === 0) return;
    if (unsent.length < replies.length && this.options.requeue) {
      // Some went out: retrying them all would show those twice, so only the rest is queued again.
      await this.options.requeue.deliver(ref, unsent);
      return;
    }
    throw new SupportBotError('teams_delivery_failed', 'sending to Teams failed', { cause: failure });
  }
}
