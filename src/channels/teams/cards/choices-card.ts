import type { Reply } from '../../../core/reply.ts';
import { type AdaptiveCard, adaptiveCard } from './adaptive-card.ts';
import { buttons, type CardState, chosenLine } from './card-parts.ts';
import { markdownBlocks } from './card-text.ts';

type ChoicesReply = Extract<Reply, { type: 'choices' }>;

/** "Did you mean …?": one button per FAQ entry, then "None of these". */
export function renderChoicesCard(reply: ChoicesReply, state: CardState = {}): AdaptiveCard {
  const body = markdownBlocks(reply.text);
  if (state.chosen !== undefined) return adaptiveCard([...body, chosenLine(state.chosen)]);
  return adaptiveCard([...body, ...buttons(reply.actions)]);
}
