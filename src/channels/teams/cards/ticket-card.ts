import type { Reply } from '../../../core/reply.ts';
import { teamsLabels } from '../teams-labels.ts';
import { type AdaptiveCard, adaptiveCard, type CardElement, factSet, textBlock } from './adaptive-card.ts';
import { buttons, type CardState, chosenLine } from './card-parts.ts';
import { markdownBlocks } from './card-text.ts';

type TicketReply = Extract<Reply, { type: 'ticket' }>;

/**
 * The ticket confirmation: number, the engine's sentence, and the facts at a glance.
 * `queueName` turns the queue id into the team's name (config/support.yaml), when known.
 */
export function renderTicketCard(
  reply: TicketReply,
  state: CardState = {},
  queueName: (queueId: string) => string = (queueId) => queueId,
): AdaptiveCard {
  const say = teamsLabels(reply.language);
  const { ticket } = reply;
  const body: CardElement[] = [
    textBlock(say.ticket(ticket.id), { weight: 'bolder', size: 'medium', color: 'good' }),
    ...markdownBlocks(reply.text),
    factSet([
      { title: say.queue, value: queueName(ticket.queue) },
      { title: say.priority, value: ticket.priority },
      { title: say.position, value: String(reply.position) },
      { title: say.expectedWait, value: say.minutes(Math.max(1, Math.round(reply.expectedWaitMinutes))) },
    ]),
  ];
  if (state.chosen !== undefined) return adaptiveCard([...body, chosenLine(state.chosen)]);
  return adaptiveCard([...body, ...buttons(reply.actions)]);
}
