import type { types } from '@slack/bolt';
import type { Language } from '../../../core/language.ts';
import { CALLBACK } from '../slack-action-codec.ts';
import { LANGUAGE_CHOICES, modalView } from './modal-view.ts';
import { inputValue, readMetadata, selectInput, textInput, type ViewStateValues } from './view-state.ts';

export interface SaveFaqMeta {
  ticketId?: string | undefined;
  conversationId: string;
}

function isMeta(value: unknown): value is SaveFaqMeta {
  return (
    typeof value === 'object' && value !== null && typeof (value as SaveFaqMeta).conversationId === 'string'
  );
}

/** "Save as FAQ": an agent's answer proposed to the curators, with the question it answers. */
export function buildSaveFaqModal(
  meta: SaveFaqMeta,
  initial: { question: string; answer: string; language: Language },
): types.ModalView {
  return modalView({
    title: 'Save as FAQ',
    close: 'Cancel',
    submit: { label: 'Suggest', callbackId: CALLBACK.saveFaqModal, metadata: meta },
    blocks: [
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: 'Curators see this in the unanswered-questions inbox and can turn it into an FAQ entry.',
          },
        ],
      },
      textInput({
        blockId: 'question',
        label: 'Question',
        initial: initial.question,
        minLength: 5,
        maxLength: 500,
      }),
      textInput({
        blockId: 'answer',
        label: 'Answer',
        initial: initial.answer,
        multiline: true,
        minLength: 10,
        maxLength: 3_000,
      }),
      selectInput({
        blockId: 'language',
        label: 'Language',
        choices: LANGUAGE_CHOICES,
        initial: initial.language,
      }),
    ],
  });
}

export function readSaveFaqMeta(privateMetadata: string | undefined): SaveFaqMeta | undefined {
  return readMetadata(privateMetadata, isMeta);
}

export function readSaveFaqValues(
  values: ViewStateValues,
):
  | { ok: true; question: string; answer: string; language: Language }
  | { ok: false; errors: Record<string, string> } {
  const question = inputValue(values, 'question') ?? '';
  const answer = inputValue(values, 'answer') ?? '';
  const language: Language = inputValue(values, 'language') === 'en' ? 'en' : 'de';
  const errors: Record<string, string> = {};
  if (question.length < 5) errors.question = 'Write the question (at least 5 characters).';
  if (answer.length < 10) errors.answer = 'Write the answer (at least 10 characters).';
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, question, answer, language };
}
