import type { Reply } from '../../../core/reply.ts';
import { escapeMrkdwn, markdownToMrkdwn } from '../slack-text.ts';
import { actionButton, actionsBlocks, fallback, type SlackMessage, section } from './block-kit.ts';

type NoticeReply = Extract<Reply, { type: 'notice' }>;

/** A plain message from the bot (greeting, "could you rephrase?", status), with its actions. */
export function renderNotice(reply: NoticeReply): SlackMessage {
  return {
    text: fallback(escapeMrkdwn(reply.text)),
    blocks: [section(markdownToMrkdwn(reply.text)), ...actionsBlocks(reply.actions.map(actionButton))],
  };
}
