import type { types } from '@slack/bolt';
import type { Action } from '../../../core/action.ts';
import { ENGINE_ACTION_PREFIX, encodeAction } from '../slack-action-codec.ts';
import { truncate } from '../slack-text.ts';

export type Block = types.KnownBlock;
export type ButtonElement = types.Button;

/** One message as chat.postMessage / chat.update take it: fallback text plus blocks. */
export interface SlackMessage {
  /** Notification and screen-reader text; mrkdwn, already escaped. */
  text: string;
  blocks: Block[];
  /** Simpler blocks to try when Slack refuses `blocks` (e.g. a workspace without a newer element). */
  fallbackBlocks?: Block[] | undefined;
}

/** block_id of a hint that goes away once its message was answered. */
export const HINT_BLOCK_ID = 'sb_hint';

/** Slack's limits (characters). */
export const LIMITS = {
  section: 3_000,
  buttonText: 75,
  header: 150,
  context: 2_000,
  fallback: 3_000,
} as const;

export function plain(text: string, max: number = LIMITS.section): types.PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

export function mrkdwn(text: string, max: number = LIMITS.section): types.MrkdwnElement {
  return { type: 'mrkdwn', text: truncate(text, max) };
}

export function section(text: string): types.SectionBlock {
  return { type: 'section', text: mrkdwn(text) };
}

export function context(text: string): types.ContextBlock {
  return { type: 'context', elements: [mrkdwn(text, LIMITS.context)] };
}

export function header(text: string): types.HeaderBlock {
  return { type: 'header', text: plain(text, LIMITS.header) };
}

export function button(
  text: string,
  actionId: string,
  value: string,
  style?: 'primary' | 'danger' | undefined,
): ButtonElement {
  const element: ButtonElement = {
    type: 'button',
    text: plain(text, LIMITS.buttonText),
    action_id: actionId,
    value,
  };
  if (style) element.style = style;
  return element;
}

function styleOf(action: Action): 'primary' | 'danger' | undefined {
  if (action.type === 'talk-to-person' || (action.type === 'consent' && action.accept)) return 'primary';
  if (action.type === 'cancel') return 'danger';
  return undefined;
}

/** An engine action as a button; its value carries the action back on click. */
export function actionButton(action: Action, index: number): ButtonElement {
  return button(action.label, `${ENGINE_ACTION_PREFIX}${index}`, encodeAction(action), styleOf(action));
}

/** Buttons in actions blocks of at most 25 elements each (Slack's limit). */
export function actionsBlocks(
  elements: types.ActionsBlockElement[],
  blockId = 'sb_actions',
): types.ActionsBlock[] {
  const blocks: types.ActionsBlock[] = [];
  for (let i = 0; i < elements.length; i += 25) {
    blocks.push({ type: 'actions', block_id: `${blockId}_${i / 25}`, elements: elements.slice(i, i + 25) });
  }
  return blocks;
}

/** Plain fallback text from mrkdwn: keep it short, it is what notifications show. */
export function fallback(text: string): string {
  // Backslash escapes (a customer's text quoted in a reply) show as the bare character.
  const plain = text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
  return truncate(plain.replace(/\s+/g, ' ').trim(), LIMITS.fallback);
}
