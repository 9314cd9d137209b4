import type { Reply } from '../../../core/reply.ts';
import { OPEN_INTAKE_FORM_ACTION_ID } from '../slack-action-codec.ts';
import { label } from '../slack-labels.ts';
import { escapeMrkdwn, markdownToMrkdwn } from '../slack-text.ts';
import {
  actionButton,
  actionsBlocks,
  type Block,
  button,
  context,
  fallback,
  HINT_BLOCK_ID,
  type SlackMessage,
  section,
} from './block-kit.ts';

type AskReply = Extract<Reply, { type: 'ask' }>;

/**
 * One intake question. The customer can answer in the thread (the engine's step-by-step way) or
 * click "Fill in a form" to get every detail in one modal; the click brings the trigger_id that
 * views.open needs.
 */
export function renderAsk(reply: AskReply): SlackMessage {
  const lang = reply.language;
  const blocks: Block[] = [];
  if (reply.error) blocks.push(section(`:warning: ${escapeMrkdwn(reply.error)}`));
  blocks.push(section(markdownToMrkdwn(reply.text)));
  const buttons = reply.actions.map(actionButton);
  buttons.push(button(label('openForm', lang), OPEN_INTAKE_FORM_ACTION_ID, reply.field.name));
  blocks.push(...actionsBlocks(buttons));
  blocks.push({ ...context(label('answerHere', lang)), block_id: HINT_BLOCK_ID });
  const text = reply.error ? `${reply.error} ${reply.text}` : reply.text;
  return { text: fallback(escapeMrkdwn(text)), blocks };
}
