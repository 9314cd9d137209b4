import type { Reply } from '../../../core/reply.ts';
import { teamsLabels } from '../teams-labels.ts';
import { type AdaptiveCard, adaptiveCard } from './adaptive-card.ts';
import { buttons, type CardState, chosenLine } from './card-parts.ts';
import { plainBlock } from './card-text.ts';

type RelayReply = Extract<Reply, { type: 'relay' }>;

/** An agent's message, relayed: who wrote it, then the text as written. */
export function renderRelayCard(reply: RelayReply, state: CardState = {}): AdaptiveCard {
  const say = teamsLabels(reply.language);
  const body = [
    plainBlock(`${reply.from} · ${say.supportTeam}`, { weight: 'bolder', isSubtle: true, size: 'small' }),
    plainBlock(reply.text, { spacing: 'small' }),
  ];
  if (state.chosen !== undefined) return adaptiveCard([...body, chosenLine(state.chosen)]);
  return adaptiveCard([...body, ...buttons(reply.actions)]);
}
