import type { Activity, TurnContext } from 'botbuilder';
import type { Logger } from '../../core/logger.ts';
import { errorCode, errorMessage } from '../../core/logger.ts';
import type { Reply } from '../../core/reply.ts';
import type { AdaptiveCard } from './cards/adaptive-card.ts';
import { cardAttachment } from './cards/adaptive-card.ts';
import { type RenderOptions, renderReplyMessage } from './cards/reply-card.ts';
import type { SentCards } from './teams-sent-cards.ts';

export interface TeamsSenderOptions {
  sentCards: SentCards;
  render?: RenderOptions | undefined;
  log: Logger;
  /** Tries per message when the connector answers 429 (default 4). */
  attempts?: number | undefined;
  /** Wait before the first retry; doubles per try (default 1 s). */
  retryBaseMs?: number | undefined;
}

/** What could not be sent (the rest, in order), so the caller can queue it for later. */
export interface SendOutcome {
  unsent: Reply[];
  error?: unknown;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Sends engine replies into a Teams conversation, in order, one message each. The connector
 * client already honours Retry-After on 429; a 429 without it is retried here with backoff,
 * because Teams throttles bursts per conversation and a reply must not be dropped for that.
 */
export class TeamsSender {
  private readonly attempts: number;
  private readonly retryBaseMs: number;

  constructor(private readonly options: TeamsSenderOptions) {
    this.attempts = options.attempts ?? 4;
    this.retryBaseMs = options.retryBaseMs ?? 1_000;
  }

  async sendReplies(context: TurnContext, conversationId: string, replies: Reply[]): Promise<SendOutcome> {
    for (const [index, reply] of replies.entries()) {
      try {
        const message = renderReplyMessage(reply, this.options.render);
        const response = await this.withRetry(() => context.sendActivity(message));
        this.options.sentCards.remember(response?.id, { conversationId, reply });
      } catch (error) {
        this.options.log.warn('teams send failed', {
          code: errorCode(error),
          status: statusOf(error),
          error: errorMessage(error),
          conversationId,
        });
        return { unsent: replies.slice(index), error };
      }
    }
    return { unsent: [] };
  }

  /** Replaces a sent card (PUT on the message); false when the connector refused. */
  async updateCard(context: TurnContext, messageId: string, card: AdaptiveCard): Promise<boolean> {
    try {
      await this.withRetry(() =>
        context.updateActivity({ type: 'message', id: messageId, attachments: [cardAttachment(card)] }),
      );
      return true;
    } catch (error) {
      // The click itself was handled; a card that keeps its buttons is a cosmetic loss.
      this.options.log.warn('teams card update failed', {
        code: errorCode(error),
        error: errorMessage(error),
      });
      return false;
    }
  }

  /**
   * One message (a ticket card, a line in its thread); resolves with the id Teams gave it and
   * rejects when the connector would not take it even after the retries of a 429, so the outbox
   * tries again later.
   */
  async post(context: TurnContext, message: Partial<Activity>): Promise<string | undefined> {
    const response = await this.withRetry(() => context.sendActivity(message));
    return response?.id;
  }

  /** Replaces a message with this card; rejects when the connector refused (the outbox retries). */
  async replace(context: TurnContext, messageId: string, card: AdaptiveCard): Promise<void> {
    await this.withRetry(() =>
      context.updateActivity({ type: 'message', id: messageId, attachments: [cardAttachment(card)] }),
    );
  }

  /** Runs one call to the connector, retrying it when Teams throttles (429) as every send here is. */
  async withRetry<T>(send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        if (statusOf(error) !== 429 || attempt >= this.attempts) throw error;
        const wait = this.retryBaseMs * 2 ** (attempt - 1);
        this.options.log.info('teams connector throttled, retrying', { attempt, waitMs: wait });
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }
}
