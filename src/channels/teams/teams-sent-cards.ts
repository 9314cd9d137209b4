import type { Reply } from '../../core/reply.ts';

export interface SentCard {
  conversationId: string;
  reply: Reply;
}

/**
 * The replies behind recently sent cards, by Teams message id, so a card can be redrawn in place
 * after a click (its buttons replaced by what was chosen) and native 👍/👎 feedback can be tied
 * to its FAQ entry. Bounded and in memory on purpose: after a restart, or on another bot
 * process, a click still works; only the redraw falls back to a short confirmation.
 */
export class SentCards {
  private readonly cards = new Map<string, SentCard>();

  constructor(private readonly capacity = 2_000) {}

  remember(messageId: string | undefined, card: SentCard): void {
    if (!messageId) return;
    // Teams message ids are unique per conversation only.
    const key = `${card.conversationId}\n${messageId}`;
    this.cards.delete(key);
    this.cards.set(key, card);
    if (this.cards.size > this.capacity) {
      const oldest = this.cards.keys().next().value;
      if (oldest !== undefined) this.cards.delete(oldest);
    }
  }

  /** The card sent with this id in this conversation. */
  find(messageId: string | undefined, conversationId: string): SentCard | undefined {
    if (!messageId) return undefined;
    return this.cards.get(`${conversationId}\n${messageId}`);
  }
}
