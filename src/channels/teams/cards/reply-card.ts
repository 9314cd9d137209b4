import type { Language } from '../../../core/language.ts';
import type { Reply } from '../../../core/reply.ts';
import { type AdaptiveCard, cardAttachment } from './adaptive-card.ts';
import { renderAnswerCard } from './answer-card.ts';
import { renderAskCard } from './ask-card.ts';
import type { CardState } from './card-parts.ts';
import { truncate } from './card-text.ts';
import { renderChoicesCard } from './choices-card.ts';
import { renderNoticeCard } from './notice-card.ts';
import { renderRelayCard } from './relay-card.ts';
import { renderTicketCard } from './ticket-card.ts';

export interface RenderOptions {
  /** Offer "Fill in a form" on intake questions (needs the support config's forms). */
  offerForm?: boolean | undefined;
  /** Queue id → team name, for the ticket card. */
  queueName?: ((queueId: string, language: Language) => string) | undefined;
}

/** A Bot Framework message activity as plain JSON (botbuilder's Partial<Activity> accepts it). */
export interface OutgoingMessage {
  type: 'message';
  text?: string;
  textFormat?: 'markdown';
  /** Shown in notifications and the chat list for card messages. */
  summary?: string;
  attachments?: { contentType: string; content: AdaptiveCard }[];
  channelData?: Record<string, unknown>;
}

/** The card for a reply, or undefined when it is plain text (a notice with nothing to click). */
export function renderReplyCard(
  reply: Reply,
  state: CardState = {},
  options: RenderOptions = {},
): AdaptiveCard | undefined {
  switch (reply.type) {
    case 'answer':
      return renderAnswerCard(reply, state);
    case 'choices':
      return renderChoicesCard(reply, state);
    case 'ask':
      return renderAskCard(reply, state, { offerForm: options.offerForm });
    case 'notice':
      return reply.actions.length === 0 ? undefined : renderNoticeCard(reply, state);
    case 'ticket': {
      const queueName = options.queueName;
      return renderTicketCard(reply, state, queueName ? (id) => queueName(id, reply.language) : undefined);
    }
    case 'relay':
      return renderRelayCard(reply, state);
  }
}

/**
 * One engine reply as one Teams message: an Adaptive Card, or Markdown text for a plain notice.
 * Answers also switch on Teams' own feedback buttons (👍/👎), which come back as a
 * `message/submitAction` invoke.
 */
export function renderReplyMessage(reply: Reply, options: RenderOptions = {}): OutgoingMessage {
  const card = renderReplyCard(reply, {}, options);
  if (!card) return { type: 'message', text: truncate(reply.text, 12_000), textFormat: 'markdown' };
  const message: OutgoingMessage = {
    type: 'message',
    summary: truncate(reply.type === 'answer' ? reply.title : reply.text, 200),
    attachments: [cardAttachment(card)],
  };
  if (reply.type === 'answer') message.channelData = { feedbackLoopEnabled: true };
  return message;
}
