import type { types } from '@slack/bolt';
import type { Action } from '../../../core/action.ts';
import type { Reply } from '../../../core/reply.ts';
import { encodeAction, FEEDBACK_ACTION_ID } from '../slack-action-codec.ts';
import { label } from '../slack-labels.ts';
import { escapeMrkdwn, markdownToMrkdwn } from '../slack-text.ts';
import {
  actionButton,
  actionsBlocks,
  type Block,
  context,
  fallback,
  LIMITS,
  type SlackMessage,
  section,
} from './block-kit.ts';

type AnswerReply = Extract<Reply, { type: 'answer' }>;
type FeedbackAction = Extract<Action, { type: 'feedback' }>;

/**
 * An FAQ answer: the text, its source title, "See also", Slack's native 👍/👎 feedback element
 * (context_actions + feedback_buttons) and the remaining actions ("Talk to a person", ...) as buttons.
 */
export function renderAnswer(reply: AnswerReply): SlackMessage {
  const lang = reply.language;
  const blocks: Block[] = [section(markdownToMrkdwn(reply.text))];
  const sourceLine = `:book: ${label('source', lang)}: *${escapeMrkdwn(reply.title)}*`;
  const offered = new Set(reply.actions.flatMap((a) => (a.type === 'show-entry' ? [a.entryId] : [])));
  const related = reply.related.filter((r) => !offered.has(r.entryId)).map((r) => escapeMrkdwn(r.title));
  blocks.push(
    context(
      related.length > 0 ? `${sourceLine}  ·  ${label('related', lang)}: ${related.join(', ')}` : sourceLine,
    ),
  );

  const positive = reply.actions.find((a): a is FeedbackAction => a.type === 'feedback' && a.helpful);
  const negative = reply.actions.find((a): a is FeedbackAction => a.type === 'feedback' && !a.helpful);
  const rest = reply.actions
    .map((action, index) => ({ action, index }))
    .filter(({ action }) => action !== positive && action !== negative);
  const head = [...blocks];
  if (rest.length > 0)
    blocks.push(...actionsBlocks(rest.map(({ action, index }) => actionButton(action, index))));
  if (positive && negative) blocks.push(feedbackBlock(positive, negative));
  // Where the native feedback element is refused, the same actions as plain buttons.
  const plainButtons = reply.actions.map((action, index) =>
    actionButton(
      action.type === 'feedback'
        ? { ...action, label: `${action.helpful ? '👍' : '👎'} ${action.label}` }
        : action,
      index,
    ),
  );
  return {
    text: fallback(escapeMrkdwn(`${reply.title}: ${reply.text}`)),
    blocks,
    fallbackBlocks: [...head, ...actionsBlocks(plainButtons)],
  };
}

function feedbackBlock(positive: FeedbackAction, negative: FeedbackAction): types.ContextActionsBlock {
  return {
    type: 'context_actions',
    block_id: 'sb_feedback',
    elements: [
      {
        type: 'feedback_buttons',
        action_id: FEEDBACK_ACTION_ID,
        positive_button: {
          text: { type: 'plain_text', text: '👍' },
          accessibility_label: positive.label.slice(0, LIMITS.buttonText),
          value: encodeAction(positive),
        },
        negative_button: {
          text: { type: 'plain_text', text: '👎' },
          accessibility_label: negative.label.slice(0, LIMITS.buttonText),
          value: encodeAction(negative),
        },
      },
    ],
  };
}
