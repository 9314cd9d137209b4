import type { Reply } from '../../../core/reply.ts';
import { label } from '../slack-labels.ts';
import { escapeMrkdwn, markdownToMrkdwn } from '../slack-text.ts';
import {
  actionButton,
  actionsBlocks,
  type Block,
  fallback,
  mrkdwn,
  type SlackMessage,
  section,
} from './block-kit.ts';

type TicketReply = Extract<Reply, { type: 'ticket' }>;

/** The customer's ticket confirmation: id, queue, priority, position and expected wait. */
export function renderTicketReply(reply: TicketReply): SlackMessage {
  const lang = reply.language;
  const t = reply.ticket;
  const blocks: Block[] = [
    section(markdownToMrkdwn(reply.text)),
    {
      type: 'section',
      fields: [
        mrkdwn(`*${label('ticket', lang)}*\n${escapeMrkdwn(t.id)}`),
        mrkdwn(`*${label('status', lang)}*\n${escapeMrkdwn(t.status)}`),
        mrkdwn(`*${label('queue', lang)}*\n${escapeMrkdwn(t.queue)}`),
        mrkdwn(`*${label('priority', lang)}*\n${escapeMrkdwn(t.priority)}`),
        mrkdwn(`*${label('position', lang)}*\n${reply.position}`),
        mrkdwn(`*${label('expectedWait', lang)}*\n~${reply.expectedWaitMinutes} ${label('minutes', lang)}`),
      ],
    },
    ...actionsBlocks(reply.actions.map(actionButton)),
  ];
  return { text: fallback(escapeMrkdwn(`${t.id}: ${reply.text}`)), blocks };
}
