import type { Reply } from '../../../core/reply.ts';
import { type AdaptiveCard, adaptiveCard } from './adaptive-card.ts';
import { buttons, type CardState, chosenLine } from './card-parts.ts';
import { markdownBlocks } from './card-text.ts';

type NoticeReply = Extract<Reply, { type: 'notice' }>;

/** A notice with something to click (consent, rating, "Talk to a person"). Without actions it goes as text. */
export function renderNoticeCard(reply: NoticeReply, state: CardState = {}): AdaptiveCard {
  const body = markdownBlocks(reply.text);
  if (state.chosen !== undefined) return adaptiveCard([...body, chosenLine(state.chosen)]);
  return adaptiveCard([...body, ...buttons(reply.actions)]);
}
