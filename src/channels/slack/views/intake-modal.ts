import type { types } from '@slack/bolt';
import type { Language } from '../../../core/language.ts';
import type { FormConfig } from '../../../intake/forms.ts';
import { CALLBACK } from '../slack-action-codec.ts';
import { label } from '../slack-labels.ts';
import { modalView } from './modal-view.ts';
import { inputValue, readMetadata, selectInput, textInput, type ViewStateValues } from './view-state.ts';

/** Where the submitted form belongs: the customer's conversation and where to answer. */
export interface IntakeModalMeta {
  team: string;
  user: string;
  language: Language;
  queue: string;
  /** The conversation's channel and thread; absent when opened from a global shortcut (answer in DM). */
  channel?: string | undefined;
  threadTs?: string | undefined;
}

function isMeta(value: unknown): value is IntakeModalMeta {
  const v = value as Partial<IntakeModalMeta> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.team === 'string' &&
    typeof v.user === 'string' &&
    (v.language === 'de' || v.language === 'en') &&
    typeof v.queue === 'string'
  );
}

/** The intake form as one modal: every field of the queue's form, pre-filled with what is known. */
export function buildIntakeModal(
  form: FormConfig,
  meta: IntakeModalMeta,
  initial: Record<string, string> = {},
): types.ModalView {
  const lang = meta.language;
  const blocks: types.KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: label('formIntro', lang) } },
  ];
  for (const field of form.fields) {
    const fieldLabel = field.label[lang];
    if (field.type === 'choice' && field.options) {
      blocks.push(
        selectInput({
          blockId: field.name,
          label: fieldLabel,
          choices: field.options.map((o) => ({ value: o.value, text: o.label[lang] })),
          initial: initial[field.name],
          optional: !field.required,
        }),
      );
    } else {
      blocks.push(
        textInput({
          blockId: field.name,
          label: fieldLabel,
          initial: initial[field.name],
          multiline: field.maxLength > 200,
          optional: !field.required,
          maxLength: field.maxLength,
          hint: field.prompt[lang],
        }),
      );
    }
  }
  return modalView({
    title: label('formTitle', lang),
    close: label('formCancel', lang),
    submit: { label: label('formSubmit', lang), callbackId: CALLBACK.intakeModal, metadata: meta },
    blocks,
  });
}

export function readIntakeMeta(privateMetadata: string | undefined): IntakeModalMeta | undefined {
  return readMetadata(privateMetadata, isMeta);
}

/**
 * The values by field name, every field of the form included: an optional field left empty is
 * '' (the customer saw it and chose to skip it), so the engine does not ask for it again.
 */
export function readIntakeValues(form: FormConfig, values: ViewStateValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of form.fields) out[field.name] = inputValue(values, field.name) ?? '';
  return out;
}

/**
 * Checks the form's own rules before the engine sees the values, so the modal can show the
 * problems next to the fields (response_action: errors). Keyed by block_id (= field name).
 */
export function validateIntakeValues(
  form: FormConfig,
  values: Record<string, string>,
  language: Language,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of form.fields) {
    const value = values[field.name] ?? '';
    if (value === '') {
      if (field.required)
        errors[field.name] = language === 'de' ? 'Bitte ausfüllen.' : 'Please fill this in.';
      continue;
    }
    if (field.type === 'choice') {
      if (!field.options?.some((o) => o.value === value)) {
        errors[field.name] =
          language === 'de' ? 'Bitte einen Wert auswählen.' : 'Please pick one of the values.';
      }
      continue;
    }
    if (value.length < field.minLength) {
      errors[field.name] =
        language === 'de'
          ? `Bitte mindestens ${field.minLength} Zeichen.`
          : `Please write at least ${field.minLength} characters.`;
    } else if (value.length > field.maxLength) {
      errors[field.name] =
        language === 'de'
          ? `Bitte höchstens ${field.maxLength} Zeichen.`
          : `Please keep it to ${field.maxLength} characters.`;
    }
  }
  return errors;
}
