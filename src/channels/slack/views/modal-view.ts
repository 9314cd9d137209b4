import type { types } from '@slack/bolt';
import { writeMetadata } from './view-state.ts';

/** Slack allows at most 24 characters for a modal's title, submit and close labels. */
const MAX_LABEL = 24;

const plain = (text: string): types.PlainTextElement => ({
  type: 'plain_text',
  text: text.slice(0, MAX_LABEL),
});

/**
 * A modal view. With `submit`, Slack shows a submit button and sends the view (with `metadata`
 * as JSON in `private_metadata`) to the `callbackId` handler; without it the modal only informs.
 */
export function modalView(options: {
  title: string;
  close: string;
  blocks: types.KnownBlock[];
  submit?: { label: string; callbackId: string; metadata: object } | undefined;
}): types.ModalView {
  const view: types.ModalView = {
    type: 'modal',
    title: plain(options.title),
    close: plain(options.close),
    blocks: options.blocks,
  };
  if (options.submit) {
    view.callback_id = options.submit.callbackId;
    view.submit = plain(options.submit.label);
    view.private_metadata = writeMetadata(options.submit.metadata);
  }
  return view;
}

/** The languages an FAQ entry can be written in, for a select. */
export const LANGUAGE_CHOICES = [
  { value: 'de', text: 'Deutsch' },
  { value: 'en', text: 'English' },
];
