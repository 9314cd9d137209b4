import type { types } from '@slack/bolt';
import type { FaqEntry } from '../../../core/faq-entry.ts';
import { CALLBACK } from '../slack-action-codec.ts';
import { LANGUAGE_CHOICES, modalView } from './modal-view.ts';
import { inputValue, readMetadata, selectInput, textInput, type ViewStateValues } from './view-state.ts';

export interface FaqModalMeta {
  mode: 'add' | 'edit';
}

function isMeta(value: unknown): value is FaqModalMeta {
  const mode = (value as Partial<FaqModalMeta> | null)?.mode;
  return mode === 'add' || mode === 'edit';
}

/** "Add FAQ" (empty) or "Edit FAQ" (pre-filled from an entry). */
export function buildFaqModal(
  queues: { id: string; name: string }[],
  entry?: FaqEntry | undefined,
): types.ModalView {
  const editing = entry !== undefined;
  return modalView({
    title: editing ? 'Edit FAQ entry' : 'Add FAQ entry',
    close: 'Cancel',
    submit: {
      label: 'Save',
      callbackId: CALLBACK.faqModal,
      metadata: { mode: editing ? 'edit' : 'add' } satisfies FaqModalMeta,
    },
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
  });
}

export function readFaqMeta(privateMetadata: string | undefined): FaqModalMeta | undefined {
  return readMetadata(privateMetadata, isMeta);
}

const list = (text: string | undefined, separator: RegExp) =>
  (text ?? '')
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** The draft the curation checks and stores (it reports every problem by field). */
export function readFaqDraft(values: ViewStateValues): Record<string, unknown> {
  return {
    id: inputValue(values, 'id') ?? '',
    language: inputValue(values, 'language') ?? 'de',
    title: inputValue(values, 'title') ?? '',
    questions: list(inputValue(values, 'questions'), /\n/),
    answer: inputValue(values, 'answer') ?? '',
    queue: inputValue(values, 'queue') ?? 'general',
    tags: list(inputValue(values, 'tags'), /,/),
    related: list(inputValue(values, 'related'), /,/),
    billable: false,
  };
}

const BLOCKS = ['id', 'language', 'title', 'questions', 'answer', 'queue', 'tags', 'related'];

/** Curation problems (`questions[2]`, `related[0]`) as modal errors by block_id, first one each. */
export function faqProblemsToErrors(
  problems: readonly { field: string; message: string }[],
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const problem of problems) {
    const root = problem.field.replace(/[[.].*$/, '');
    const block = BLOCKS.includes(root) ? root : 'id';
    const detail = block === root ? problem.message : `${problem.field}: ${problem.message}`;
    errors[block] ??= detail;
  }
  return errors;
}
