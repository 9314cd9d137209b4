import type { Reply } from '../../../core/reply.ts';
import { escapeMrkdwn } from '../slack-text.ts';
import { context, fallback, type SlackMessage, section } from './block-kit.ts';

type RelayReply = Extract<Reply, { type: 'relay' }>;

/** An agent's words passed on to the customer: escaped, as a person typed them. */
export function renderRelay(reply: RelayReply): SlackMessage {
  const from = escapeMrkdwn(reply.from);
  return {
    text: fallback(`${from}: ${escapeMrkdwn(reply.text)}`),
    blocks: [context(`:bust_in_silhouette: *${from}*`), section(escapeMrkdwn(reply.text))],
  };
}
