import type { Reply } from '../../../core/reply.ts';
import { escapeMrkdwn, markdownToMrkdwn } from '../slack-text.ts';
import { actionButton, actionsBlocks, fallback, type SlackMessage, section } from './block-kit.ts';

type ChoicesReply = Extract<Reply, { type: 'choices' }>;

/** "Did you mean …?": the question, then one button per candidate (and "none of these"). */
export function renderChoices(reply: ChoicesReply): SlackMessage {
  const labels = reply.actions.map((a) => a.label).join(' / ');
  return {
    text: fallback(escapeMrkdwn(`${reply.text} ${labels}`)),
    blocks: [section(markdownToMrkdwn(reply.text)), ...actionsBlocks(reply.actions.map(actionButton))],
  };
}
