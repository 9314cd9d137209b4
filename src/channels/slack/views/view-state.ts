import type { types } from '@slack/bolt';

/** `view.state.values` of a submitted modal: block_id → action_id → element state. */
export type ViewStateValues = Record<
  string,
  Record<string, { type?: string; value?: string | null; selected_option?: { value: string } | null }>
>;

/** The value of an input block (text input or select), trimmed; undefined when empty. */
export function inputValue(values: ViewStateValues, blockId: string, actionId = 'value'): string | undefined {
  const element = values[blockId]?.[actionId];
  const raw = element?.selected_option?.value ?? element?.value ?? undefined;
  const trimmed = raw?.trim();
  return trimmed ? trimmed : undefined;
}

/** JSON in `private_metadata` (Slack keeps up to 3,000 characters and gives it back on submit). */
export function writeMetadata(data: object): string {
  return JSON.stringify(data);
}

export function readMetadata<T extends object>(
  text: string | undefined,
  isValid: (v: unknown) => v is T,
): T | undefined {
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isValid(parsed) ? parsed : undefined;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

export function textInput(options: {
  blockId: string;
  label: string;
  initial?: string | undefined;
  multiline?: boolean | undefined;
  optional?: boolean | undefined;
  minLength?: number | undefined;
  maxLength?: number | undefined;
  hint?: string | undefined;
  placeholder?: string | undefined;
}): types.InputBlock {
  const element: types.PlainTextInput = { type: 'plain_text_input', action_id: 'value' };
  if (options.multiline) element.multiline = true;
  if (options.initial) element.initial_value = options.initial.slice(0, options.maxLength ?? 3_000);
  if (options.minLength !== undefined && options.minLength > 0)
    element.min_length = Math.min(options.minLength, 3_000);
  if (options.maxLength !== undefined) element.max_length = Math.min(options.maxLength, 3_000);
  if (options.placeholder)
    element.placeholder = { type: 'plain_text', text: options.placeholder.slice(0, 150) };
  const block: types.InputBlock = {
    type: 'input',
    block_id: options.blockId,
    label: { type: 'plain_text', text: options.label.slice(0, 2_000) },
    element,
    optional: options.optional === true,
  };
  if (options.hint) block.hint = { type: 'plain_text', text: options.hint.slice(0, 2_000) };
  return block;
}

export function selectInput(options: {
  blockId: string;
  label: string;
  choices: { value: string; text: string }[];
  initial?: string | undefined;
  optional?: boolean | undefined;
}): types.InputBlock {
  const choices: types.PlainTextOption[] = options.choices.map((c) => ({
    text: { type: 'plain_text', text: c.text.slice(0, 75) },
    value: c.value,
  }));
  const element: types.StaticSelect = { type: 'static_select', action_id: 'value', options: choices };
  const initial = choices.find((c) => c.value === options.initial);
  if (initial) element.initial_option = initial;
  return {
    type: 'input',
    block_id: options.blockId,
    label: { type: 'plain_text', text: options.label.slice(0, 2_000) },
    element,
    optional: options.optional === true,
  };
}
