import type { types } from '@slack/bolt';
import type { Ticket } from '../../../core/ticket.ts';
import { CALLBACK } from '../slack-action-codec.ts';
import { modalView } from './modal-view.ts';
import { inputValue, readMetadata, selectInput, textInput, type ViewStateValues } from './view-state.ts';

/** Target value for third-level support in the escalation select. */
export const THIRD_LEVEL = 'level-3';

export interface EscalateModalMeta {
  ticketId: string;
}

function isMeta(value: unknown): value is EscalateModalMeta {
  return (
    typeof value === 'object' && value !== null && typeof (value as EscalateModalMeta).ticketId === 'string'
  );
}

/** "Escalate": to another second-level queue or to third-level support, with a reason. */
export function buildEscalateModal(ticket: Ticket, queues: { id: string; name: string }[]): types.ModalView {
  const choices = queues.filter((q) => q.id !== ticket.queue).map((q) => ({ value: q.id, text: q.name }));
  if (ticket.level !== 3) choices.push({ value: THIRD_LEVEL, text: 'Third-level support' });
  return modalView({
    title: `Escalate ${ticket.id}`,
    close: 'Cancel',
    submit: {
      label: 'Escalate',
      callbackId: CALLBACK.escalateModal,
      metadata: { ticketId: ticket.id } satisfies EscalateModalMeta,
    },
    blocks: [
      selectInput({ blockId: 'target', label: 'Escalate to', choices }),
      textInput({
        blockId: 'reason',
        label: 'Reason (internal note)',
        multiline: true,
        optional: true,
        maxLength: 1_000,
      }),
    ],
  });
}

export function readEscalateMeta(privateMetadata: string | undefined): EscalateModalMeta | undefined {
  return readMetadata(privateMetadata, isMeta);
}

export function readEscalateValues(values: ViewStateValues): {
  target?: string | undefined;
  reason?: string | undefined;
} {
  return { target: inputValue(values, 'target'), reason: inputValue(values, 'reason') };
}
