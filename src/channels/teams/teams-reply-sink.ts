import type { ConversationReference } from 'botbuilder';
import { type ReplySink, UndeliverableError } from '../../core/delivery.ts';
import { DeliveryError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { Reply } from '../../core/reply.ts';
import type { ConversationRef } from '../../core/turn.ts';
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
}

/**
 * Proactive messages to a Teams customer (agent replies from the Slack thread or the console,
 * resolve and give-back notices), through the stored conversation reference. A failure throws,
 * so the outbox keeps the reply and tries again later, in order (it hands over one at a time).
 */
export class TeamsReplySink implements ReplySink {
  constructor(private readonly options: TeamsReplySinkOptions) {}

  async deliver(ref: ConversationRef, replies: Reply[]): Promise<void> {
    const address = readAddress(ref);
    // Not deliverable however often it is tried: the outbox logs it and goes on.
    if (!address)
      throw new UndeliverableError(`teams delivery without a teams address (${ref.conversationId})`);
    if (this.options.loopbackOnly && !isLoopbackUrl(address.serviceUrl)) {
      throw new UndeliverableError(
        `teams delivery refused: serviceUrl is not loopback in local mode (${ref.conversationId})`,
      );
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
    throw new DeliveryError('teams_delivery_failed', 'sending to Teams failed', { cause: failure });
  }
}
