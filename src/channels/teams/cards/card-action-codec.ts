import type { Action } from '../../../core/action.ts';
import { ActionSchema } from '../../action-schema.ts';
import type { ExecuteAction } from './adaptive-card.ts';

/**
 * What travels inside a card button and comes back on a click. The engine's own Action rides in
 * `data.sbAction` unchanged; a form's inputs are named `sb_field_<name>` and come back merged
 * into `data` (Teams does that for Action.Execute and Action.Submit alike).
 */
export const VERB = {
  action: 'sb.action',
  form: 'sb.form',
  openForm: 'sb.openForm',
} as const;

const FIELD_PREFIX = 'sb_field_';
const MAX_FIELDS = 30;
const MAX_VALUE = 4000;

export type CardCommand =
  /** An engine action (a button, or a form's values as submit-form). `chosen` says what to show on the card. */
  | { kind: 'action'; action: Action; chosen: string }
  /** "Fill in a form": show the whole intake form in place of the question. */
  | { kind: 'open-form' };

export function inputId(field: string): string {
  return `${FIELD_PREFIX}${field}`;
}

export function engineAction(action: Action, style?: ExecuteAction['style']): ExecuteAction {
  const button: ExecuteAction = {
    type: 'Action.Execute',
    title: action.label,
    verb: VERB.action,
    data: { sbAction: action },
    associatedInputs: 'none',
  };
  if (style) button.style = style;
  return button;
}

/** Sends the card's inputs as one submit-form action. */
export function formSubmitAction(title: string, label: string): ExecuteAction {
  return {
    type: 'Action.Execute',
    title,
    verb: VERB.form,
    data: { sbForm: { label } },
    associatedInputs: 'auto',
    style: 'positive',
  };
}

export function openFormAction(title: string): ExecuteAction {
  return {
    type: 'Action.Execute',
    title,
    verb: VERB.openForm,
    data: { sbOpenForm: true },
    associatedInputs: 'none',
  };
}

function formValues(data: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  let count = 0;
  for (const [key, value] of Object.entries(data)) {
    if (!key.startsWith(FIELD_PREFIX) || typeof value !== 'string') continue;
    if (++count > MAX_FIELDS) break;
    values[key.slice(FIELD_PREFIX.length)] = value.slice(0, MAX_VALUE);
  }
  return values;
}

/**
 * The command in a card's submitted data, or undefined for anything that is not one of ours
 * (an old card, a foreign card, a tampered payload): a click is client input and is checked
 * like any other.
 */
export function decodeCardData(data: unknown): CardCommand | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const record = data as Record<string, unknown>;
  if (record.sbOpenForm === true) return { kind: 'open-form' };
  if (record.sbAction !== undefined) {
    const parsed = ActionSchema.safeParse(record.sbAction);
    if (!parsed.success) return undefined;
    return { kind: 'action', action: parsed.data, chosen: parsed.data.label };
  }
  const form = record.sbForm as { label?: unknown } | undefined;
  if (typeof form === 'object' && form !== null && typeof form.label === 'string') {
    const values = formValues(record);
    const shown = Object.values(values)
      .map((v) => v.trim())
      .filter(Boolean);
    const chosen = shown.length === 1 ? (shown[0] as string) : form.label;
    return {
      kind: 'action',
      action: { type: 'submit-form', values, label: form.label.slice(0, 200) },
      chosen,
    };
  }
  return undefined;
}
