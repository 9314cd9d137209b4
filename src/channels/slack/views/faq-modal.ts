import type { types } from '@slack/bolt';
import type { Language } from '../../../core/language.ts';
import { type FaqEntry, FaqFrontMatterSchema } from '../../../knowledge/faq-entry.ts';
import { CALLBACK } from '../slack-action-codec.ts';
import {
  inputValue,
  readMetadata,
  selectInput,
  textInput,
  type ViewStateValues,
  writeMetadata,
} from './view-state.ts';

export interface FaqModalMeta {
  mode: 'add' | 'edit';
}

function isMeta(value: unknown): value is FaqModalMeta {
  const mode = (value as Partial<FaqModalMeta> | null)?.mode;
  return mode === 'add' || mode === 'edit';
}

const LANGUAGE_CHOICES = [
  { value: 'de', text: 'Deutsch' },
  { value: 'en', text: 'English' },
];

/** "Add FAQ" (empty) or "Edit FAQ" (pre-filled from an entry). */
export function buildFaqModal(
  queues: { id: string; name: string }[],
  entry?: FaqEntry | undefined,
): types.ModalView {
  const editing = entry !== undefined;
  return {
    type: 'modal',
    callback_id: CALLBACK.faqModal,
    title: { type: 'plain_text', text: editing ? 'Edit FAQ entry' : 'Add FAQ entry' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: writeMetadata({ mode: editing ? 'edit' : 'add' } satisfies FaqModalMeta),
    blocks: [
      textInput({
        blockId: 'id',
        label: 'Id',
        initial: entry?.id,
        placeholder: 'vpn-setup',
        hint: 'Lowercase words joined by hyphens; the same id in both languages.',
        maxLength: 80,
      }),
      selectInput({
        blockId: 'language',
        label: 'Language',
        choices: LANGUAGE_CHOICES,
        initial: entry?.language ?? 'de',
      }),
      textInput({ blockId: 'title', label: 'Title', initial: entry?.title, minLength: 3, maxLength: 120 }),
      textInput({
        blockId: 'questions',
        label: 'Questions',
        initial: entry?.questions.join('\n'),
        multiline: true,
        hint: 'One way of asking per line.',
        maxLength: 3_000,
      }),
      textInput({
        blockId: 'answer',
        label: 'Answer (Markdown)',
        initial: entry?.answer,
        multiline: true,
        minLength: 10,
        maxLength: 3_000,
      }),
      selectInput({
        blockId: 'queue',
        label: 'Queue for problems on this topic',
        choices: queues.map((q) => ({ value: q.id, text: q.name })),
        initial: entry?.queue ?? queues[0]?.id,
      }),
      textInput({
        blockId: 'tags',
        label: 'Tags',
        initial: entry?.tags.join(', '),
        optional: true,
        hint: 'Comma-separated.',
      }),
      textInput({
        blockId: 'related',
        label: 'Related entry ids',
        initial: entry?.related.join(', '),
        optional: true,
        hint: 'Comma-separated.',
      }),
    ],
  };
}

export function readFaqMeta(privateMetadata: string | undefined): FaqModalMeta | undefined {
  return readMetadata(privateMetadata, isMeta);
}

const list = (text: string | undefined, separator: RegExp) =>
  (text ?? '')
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== '');

export type FaqFormResult = { ok: true; entry: FaqEntry } | { ok: false; errors: Record<string, string> };

/** Checks the modal's values with the same schema the knowledge files use; errors by block_id. */
export function readFaqForm(values: ViewStateValues, today: string): FaqFormResult {
  const answer = inputValue(values, 'answer') ?? '';
  const candidate = {
    id: inputValue(values, 'id') ?? '',
    title: inputValue(values, 'title') ?? '',
    questions: list(inputValue(values, 'questions'), /\n/),
    language: (inputValue(values, 'language') ?? 'de') as Language,
    tags: list(inputValue(values, 'tags'), /,/),
    queue: inputValue(values, 'queue') ?? 'general',
    billable: false,
    related: list(inputValue(values, 'related'), /,/),
    updated: today,
  };
  const result = FaqFrontMatterSchema.safeParse(candidate);
  const errors: Record<string, string> = {};
  if (!result.success) {
    for (const issue of result.error.issues) {
      const block = String(issue.path[0] ?? 'id');
      errors[block] ??= issue.message;
    }
  }
  if (answer.length < 10) errors.answer = 'Write an answer of at least 10 characters.';
  if (!result.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, entry: { ...result.data, answer, source: 'store' } };
}
