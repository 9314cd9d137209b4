import type { Language } from '../../../core/language.ts';
import { messagesFor } from '../../../core/messages.ts';
import type { FormConfig } from '../../../intake/forms.ts';
import { teamsLabels } from '../teams-labels.ts';
import {
  type AdaptiveCard,
  actionSet,
  adaptiveCard,
  type CardElement,
  factSet,
  textBlock,
} from './adaptive-card.ts';
import { engineAction, formSubmitAction, inputId } from './card-action-codec.ts';
import { chosenLine } from './card-parts.ts';
import { truncate } from './card-text.ts';

/**
 * The whole intake form of a queue as one card, pre-filled with what the customer already said.
 * Teams checks required fields before sending; the engine validates every value again and asks
 * once more, with the reason, for any it cannot accept.
 */
export function renderIntakeFormCard(
  form: FormConfig,
  language: Language,
  initial: Record<string, string> = {},
): AdaptiveCard {
  const say = teamsLabels(language);
  const body: CardElement[] = [
    textBlock(say.formTitle, { weight: 'bolder', size: 'medium' }),
    textBlock(say.formIntro, { isSubtle: true, spacing: 'small' }),
  ];
  for (const field of form.fields) {
    const label = field.label[language];
    const value = initial[field.name];
    if (field.type === 'choice' && field.options) {
      body.push({
        type: 'Input.ChoiceSet',
        id: inputId(field.name),
        label,
        isRequired: field.required,
        errorMessage: say.required,
        style: 'compact',
        choices: field.options.map((o) => ({ title: o.label[language], value: o.value })),
        ...(value !== undefined ? { value } : {}),
      });
    } else {
      body.push({
        type: 'Input.Text',
        id: inputId(field.name),
        label,
        placeholder: field.prompt[language],
        isRequired: field.required,
        errorMessage: say.required,
        isMultiline: field.maxLength > 200,
        maxLength: field.maxLength,
        ...(value !== undefined ? { value } : {}),
      });
    }
  }
  body.push(
    actionSet([
      formSubmitAction(say.formSubmit, say.formSubmit),
      engineAction({ type: 'cancel', label: messagesFor(language).cancel }),
    ]),
  );
  return adaptiveCard(body);
}

/** The form after sending: what was entered, read-only. */
export function renderSentFormCard(
  form: FormConfig,
  language: Language,
  values: Record<string, string>,
): AdaptiveCard {
  const say = teamsLabels(language);
  const facts = form.fields
    .filter((f) => (values[f.name] ?? '').trim() !== '')
    .map((f) => {
      const raw = values[f.name] as string;
      const option = f.options?.find((o) => o.value === raw);
      return { title: f.label[language], value: truncate(option ? option.label[language] : raw, 300) };
    });
  return adaptiveCard([
    textBlock(say.formTitle, { weight: 'bolder', size: 'medium' }),
    factSet(facts),
    chosenLine(say.sent),
  ]);
}
