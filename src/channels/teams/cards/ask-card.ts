import type { Reply } from '../../../core/reply.ts';
import { teamsLabels } from '../teams-labels.ts';
import { type AdaptiveCard, actionSet, adaptiveCard, type CardElement, textBlock } from './adaptive-card.ts';
import { engineAction, formSubmitAction, inputId, openFormAction } from './card-action-codec.ts';
import { buttons, type CardState, chosenLine } from './card-parts.ts';
import { markdownBlocks } from './card-text.ts';

type AskReply = Extract<Reply, { type: 'ask' }>;

export interface AskCardOptions {
  /** Offer "Fill in a form" (the whole intake form as one card). */
  offerForm?: boolean | undefined;
}

/**
 * One intake question. A field with options gets one button per option; a free-text field gets
 * an input with "Send" (the customer may just as well type the answer in the chat). A validation
 * message from the engine is shown above the question, in the attention colour.
 */
export function renderAskCard(
  reply: AskReply,
  state: CardState = {},
  options: AskCardOptions = {},
): AdaptiveCard {
  const say = teamsLabels(reply.language);
  const body: CardElement[] = [];
  let question = reply.text;
  if (reply.error) {
    body.push(textBlock(`⚠ ${reply.error}`, { color: 'attention', weight: 'bolder' }));
    // The engine's text repeats the error in front of the question; the card shows it once.
    question = question.replace(reply.error, '').trim();
  }
  body.push(...markdownBlocks(question));
  if (state.chosen !== undefined) return adaptiveCard([...body, chosenLine(state.chosen)]);

  const picks = reply.actions.filter((a) => a.type === 'choose-value');
  const rest = reply.actions.filter((a) => a.type !== 'choose-value');
  const hasOptions = (reply.field.options?.length ?? 0) > 0;
  if (!hasOptions) {
    body.push({
      type: 'Input.Text',
      id: inputId(reply.field.name),
      label: reply.field.label,
      placeholder: say.answerPlaceholder,
      isRequired: true,
      errorMessage: say.required,
      isMultiline: reply.field.name === 'summary',
      maxLength: 4000,
    });
  }
  body.push(...buttons(picks));
  const row = hasOptions ? [] : [formSubmitAction(say.send, reply.field.label)];
  row.push(...rest.map((a) => engineAction(a)));
  if (options.offerForm) row.push(openFormAction(say.openForm));
  body.push(actionSet(row));
  return adaptiveCard(body);
}
