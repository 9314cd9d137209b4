import type { Reply } from '../../../core/reply.ts';
import { escapeMrkdwn } from '../slack-text.ts';
import { renderAnswer } from './answer-blocks.ts';
import { renderAsk } from './ask-blocks.ts';
import type { Block, SlackMessage } from './block-kit.ts';
import { context, HINT_BLOCK_ID } from './block-kit.ts';
import { renderChoices } from './choices-blocks.ts';
import { renderNotice } from './notice-blocks.ts';
import { renderRelay } from './relay-blocks.ts';
import { renderTicketReply } from './ticket-reply-blocks.ts';

/** One engine reply as one Slack message. */
export function renderReply(reply: Reply): SlackMessage {
  switch (reply.type) {
    case 'answer':
      return renderAnswer(reply);
    case 'choices':
      return renderChoices(reply);
    case 'ask':
      return renderAsk(reply);
    case 'notice':
      return renderNotice(reply);
    case 'ticket':
      return renderTicketReply(reply);
    case 'relay':
      return renderRelay(reply);
  }
}

/**
 * The message after a click: its buttons give way to a line saying what was chosen, so an old
 * question cannot be answered twice (chat.update in place).
 */
export function markChosen(blocks: Block[], chosen: string): Block[] {
  // The "answer here" hint under an intake question is moot once it is answered.
  const kept = blocks.filter(
    (b) => b.type !== 'actions' && b.type !== 'context_actions' && b.block_id !== HINT_BLOCK_ID,
  );
  return [...kept, context(`:white_check_mark: ${escapeMrkdwn(chosen)}`)];
}
