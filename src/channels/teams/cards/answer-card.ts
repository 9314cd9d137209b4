import type { Reply } from '../../../core/reply.ts';
import { teamsLabels } from '../teams-labels.ts';
import { type AdaptiveCard, adaptiveCard, type CardElement, textBlock } from './adaptive-card.ts';
import { buttons, type CardState, chosenLine } from './card-parts.ts';
import { markdownBlocks } from './card-text.ts';

type AnswerReply = Extract<Reply, { type: 'answer' }>;

/**
 * An FAQ answer: title, the answer, "Did this help?" with its two buttons, related entries, and
 * "Talk to a person". After a click the buttons give way to what was chosen; the answer stays.
 */
export function renderAnswerCard(reply: AnswerReply, state: CardState = {}): AdaptiveCard {
  const say = teamsLabels(reply.language);
  const body: CardElement[] = [
    textBlock(reply.title, { weight: 'bolder', size: 'medium' }),
    ...markdownBlocks(reply.text),
  ];
  if (state.chosen !== undefined) return adaptiveCard([...body, chosenLine(state.chosen)]);

  const feedback = reply.actions.filter((a) => a.type === 'feedback');
  const related = reply.actions.filter((a) => a.type === 'show-entry');
  const rest = reply.actions.filter((a) => a.type !== 'feedback' && a.type !== 'show-entry');
  if (feedback.length > 0) {
    body.push(
      textBlock(say.didItHelp, { weight: 'bolder', spacing: 'large', separator: true }),
      ...buttons(feedback),
    );
  }
  if (related.length > 0) {
    body.push(textBlock(say.related, { isSubtle: true, spacing: 'medium' }), ...buttons(related));
  }
  body.push(...buttons(rest));
  return adaptiveCard(body);
}
