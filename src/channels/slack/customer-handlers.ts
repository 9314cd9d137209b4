import type { BlockAction, BlockElementAction, MessageShortcut } from '@slack/bolt';
import { customerLanguage } from '../../core/customer-language.ts';
import { fallback, section } from './blocks/block-kit.ts';
import { markChosen } from './blocks/reply-blocks.ts';
import {
  clickedMessage,
  enterpriseOf,
  openDirectMessage,
  runCustomerTurn,
  teamOf,
} from './customer-turns.ts';
import { openIntakeForm } from './intake-form-handlers.ts';
import { CALLBACK, decodeAction, ENGINE_ACTION_PATTERN, FEEDBACK_ACTION_ID } from './slack-action-codec.ts';
import type { SlackContext } from './slack-context.ts';
import {
  isDirectMessageChannel,
  type SlackAddress,
  type SlackMessage,
  slackTextToPlain,
  toConversationRef,
  withoutBotMention,
} from './slack-conversation.ts';
import { KEPT_EVENT, RESUMED_EVENT } from './slack-http-receiver.ts';
import { label } from './slack-labels.ts';
import { quoteUserText } from './slack-text.ts';

/** Message subtypes that are a person writing; edits, joins, deletions and the like are not. */
const PERSON_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

/**
 * Customers: DMs, mentions (answered in their thread), follow-ups in such a thread, button
 * clicks on the bot's replies (the message updates in place), `/support`, and the message
 * shortcut "Ask support about this".
 */
export function registerCustomerHandlers(ctx: SlackContext): void {
  const { app } = ctx;

  app.message(async ({ message, body, context: boltContext }) => {
    const m = message as unknown as SlackMessage;
    if (!PERSON_SUBTYPES.has(m.subtype) || m.bot_id || !m.user) return;
    if (ctx.agentChannels.isAgentChannel(m.channel)) return;
    const team = teamOf(body, boltContext.teamId);
    const botUser = boltContext.botUserId ?? ctx.botUserId;
    let address: SlackAddress;
    if (m.channel_type === 'im' || isDirectMessageChannel(m.channel)) {
      address = { team, channel: m.channel };
    } else {
      // In channels the bot speaks when mentioned (app_mention) or in a thread it is already part of.
      if (!m.thread_ts || (botUser && m.text?.includes(`<@${botUser}`))) return;
      address = { team, channel: m.channel, threadTs: m.thread_ts };
      const known = await ctx.stores.conversations.get(toConversationRef(address).conversationId);
      if (!known) return;
    }
    const text = slackTextToPlain(m.text ?? '');
    const files = ctx.files && m.files?.length ? await ctx.files.keep(m.files) : undefined;
    if (text === '' && !files) return;
    await runCustomerTurn(ctx, {
      ...(text === '' ? {} : { text }),
      files,
      team,
      enterprise: enterpriseOf(body, boltContext.enterpriseId),
      user: m.user,
      address,
      id: `slack:${team}:${m.channel}:${m.ts}`,
      kept: boltContext[KEPT_EVENT] === true,
      resumed: boltContext[RESUMED_EVENT] === true,
    });
  });

  app.event('app_mention', async ({ event, body, context: boltContext }) => {
    const e = event as unknown as SlackMessage;
    if (e.bot_id || !e.user || ctx.agentChannels.isAgentChannel(e.channel)) return;
    const team = teamOf(body, boltContext.teamId);
    const text = slackTextToPlain(withoutBotMention(e.text ?? '', boltContext.botUserId ?? ctx.botUserId));
    const address: SlackAddress = { team, channel: e.channel, threadTs: e.thread_ts ?? e.ts };
    await runCustomerTurn(ctx, {
      team,
      enterprise: enterpriseOf(body, boltContext.enterpriseId),
      user: e.user,
      address,
      id: `slack:${team}:${e.channel}:${e.ts}`,
      text,
      kept: boltContext[KEPT_EVENT] === true,
      resumed: boltContext[RESUMED_EVENT] === true,
    });
  });

  const onClick = async (body: BlockAction, action: BlockElementAction) => {
    const value = 'value' in action && typeof action.value === 'string' ? action.value : undefined;
    const decoded = decodeAction(value);
    const clicked = clickedMessage(body);
    if (!decoded || !clicked || ctx.agentChannels.isAgentChannel(clicked.channel)) return;
    const { team, channel, messageTs, address } = clicked;
    const original = body.message as { text?: string; blocks?: unknown[] } | undefined;
    if (original?.blocks && messageTs) {
      const chosen =
        decoded.type === 'feedback' ? `${decoded.helpful ? '👍' : '👎'} ${decoded.label}` : decoded.label;
      await ctx.sender.send({
        kind: 'update',
        channel,
        ts: messageTs,
        message: {
          text: original.text ?? decoded.label,
          blocks: markChosen(original.blocks as never, chosen),
        },
      });
    }
    await runCustomerTurn(ctx, {
      team,
      enterprise: enterpriseOf(body),
      user: body.user.id,
      address,
      id: `slack:${team}:action:${messageTs}:${action.action_ts}`,
      action: decoded,
    });
  };
  app.action<BlockAction>(ENGINE_ACTION_PATTERN, async ({ ack, body, action }) => {
    await ack();
    await onClick(body, action);
  });
  app.action<BlockAction>(FEEDBACK_ACTION_ID, async ({ ack, body, action }) => {
    await ack();
    await onClick(body, action);
  });

  app.command('/support', async ({ ack, command, body }) => {
    const team = teamOf(body, command.team_id);
    const text = slackTextToPlain(command.text ?? '');
    const person = await ctx.users.lookup(command.user_id);
    const language = customerLanguage(undefined, person.language);
    if (text === '') {
      // No question given: the problem form, as the "Report a problem" shortcut opens it.
      await ack();
      await openIntakeForm(ctx, command.trigger_id, {
        team,
        user: command.user_id,
        language,
        queue: ctx.support.defaultQueue,
      });
      return;
    }
    // The answer goes to the user's DM with the bot; elsewhere they are told so, only them.
    await ack(
      isDirectMessageChannel(command.channel_id)
        ? undefined
        : { response_type: 'ephemeral', text: label('answerInDm', language) },
    );
    const address = await openDirectMessage(ctx, team, command.user_id);
    await runCustomerTurn(ctx, {
      team,
      user: command.user_id,
      address,
      id: `slack:${team}:command:${command.trigger_id}`,
      text,
    });
  });

  app.shortcut<MessageShortcut>(CALLBACK.askAboutMessageShortcut, async ({ ack, shortcut }) => {
    await ack();
    const team = teamOf(shortcut, shortcut.team?.id);
    const text = slackTextToPlain((shortcut.message as { text?: string }).text ?? '');
    if (text === '') return;
    const address = await openDirectMessage(ctx, team, shortcut.user.id);
    const person = await ctx.users.lookup(shortcut.user.id);
    const intro = `${label('askAboutMessage', customerLanguage(undefined, person.language))}:\n${quoteUserText(text, 1_000)}`;
    await ctx.sender.send({
      kind: 'post',
      channel: address.channel,
      message: { text: fallback(intro), blocks: [section(intro)] },
    });
    await runCustomerTurn(ctx, {
      team,
      user: shortcut.user.id,
      address,
      id: `slack:${team}:shortcut:${shortcut.trigger_id}`,
      text,
    });
  });
}
