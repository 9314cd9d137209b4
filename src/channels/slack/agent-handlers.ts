import type { BlockAction, ButtonAction, MessageShortcut } from '@slack/bolt';
import { errorCode, errorMessage } from '../../core/logger.ts';
import type { Ticket } from '../../core/ticket.ts';
import type { DeskResult } from '../../handoff/desk-result.ts';
import { context, fallback } from './blocks/block-kit.ts';
import { CALLBACK, TICKET_ACTION } from './slack-action-codec.ts';
import { queueName, type SlackContext } from './slack-context.ts';
import { type SlackMessage, slackTextToPlain } from './slack-conversation.ts';
import { escapeMrkdwn } from './slack-text.ts';
import type { TicketCardPublisher } from './ticket-card-publisher.ts';
import {
  buildEscalateModal,
  readEscalateMeta,
  readEscalateValues,
  THIRD_LEVEL,
} from './views/escalate-modal.ts';
import { modalView } from './views/modal-view.ts';
import { buildSaveFaqModal, readSaveFaqMeta, readSaveFaqValues } from './views/save-faq-modal.ts';
import type { ViewStateValues } from './views/view-state.ts';

/**
 * Agents in the queue channels: the ticket card's buttons (Claim, Resolve, Escalate, Give back,
 * Save as FAQ), replies in a ticket's thread relayed to the customer (`note:` stays internal),
 * and the "Save as FAQ" message shortcut. Each desk result that is not ok is told to the agent
 * alone (ephemeral); the card itself changes through the ticket events.
 */
export function registerAgentHandlers(ctx: SlackContext, cards: TicketCardPublisher): void {
  const { app } = ctx;

  const tellAgent = async (channel: string, user: string, text: string, threadTs?: string) => {
    await ctx.sender.send({
      kind: 'ephemeral',
      channel,
      user,
      threadTs,
      message: { text: fallback(text), blocks: [context(text)] },
    });
  };
  const explain = async (result: DeskResult, channel: string, user: string, threadTs?: string) => {
    if (result.ok) return;
    await tellAgent(channel, user, `:no_entry: ${escapeMrkdwn(result.message)} (${result.code})`, threadTs);
  };

  app.message(async ({ message, body }) => {
    const m = message as unknown as SlackMessage;
    if (!ctx.agentChannels.isAgentChannel(m.channel)) return;
    if (m.subtype !== undefined && m.subtype !== 'thread_broadcast' && m.subtype !== 'file_share') return;
    if (m.bot_id || !m.user || !m.thread_ts || m.thread_ts === m.ts) return;
    const text = slackTextToPlain(m.text ?? '');
    if (text === '') return;
    const ticket = await cards.ticketForThread(m.channel, m.thread_ts);
    if (!ticket) return;
    const agent = await ctx.users.lookup(m.user);
    const result = await ctx.desk.reply(ticket.id, agent.name, text, 'slack');
    ctx.log.info('agent reply from slack', {
      ticketId: ticket.id,
      ok: result.ok,
      team: String((body as { team_id?: string }).team_id),
    });
    await explain(result, m.channel, m.user, m.thread_ts);
  });

  const simple: [string, (id: string, agent: string) => Promise<DeskResult>][] = [
    [TICKET_ACTION.claim, (id, agent) => ctx.desk.claim(id, agent)],
    [TICKET_ACTION.resolve, (id, agent) => ctx.desk.resolve(id, agent)],
    [TICKET_ACTION.giveBack, (id, agent) => ctx.desk.giveBack(id, agent)],
  ];
  for (const [actionId, run] of simple) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
      await ack();
      const channel = body.channel?.id ?? body.container.channel_id;
      const agent = await ctx.users.lookup(body.user.id);
      const result = await run(action.value ?? '', agent.name);
      ctx.log.info('ticket card action', { action: actionId, ticketId: action.value, ok: result.ok });
      if (typeof channel === 'string') await explain(result, channel, body.user.id);
    });
  }

  app.action<BlockAction<ButtonAction>>(TICKET_ACTION.escalate, async ({ ack, body, action, client }) => {
    await ack();
    const ticket = await ctx.desk.get(action.value ?? '');
    if (!ticket) return;
    const queues = ctx.support.queues.map((q) => ({ id: q.id, name: queueName(ctx.support, q.id) }));
    await client.views.open({ trigger_id: body.trigger_id, view: buildEscalateModal(ticket, queues) });
  });

  app.view(CALLBACK.escalateModal, async ({ ack, body, view }) => {
    const meta = readEscalateMeta(view.private_metadata);
    const values = readEscalateValues(view.state.values as ViewStateValues);
    if (!meta || !values.target) {
      await ack({ response_action: 'errors', errors: { target: 'Pick where the ticket goes.' } });
      return;
    }
    const agent = await ctx.users.lookup(body.user.id);
    const result = await ctx.desk.escalate(meta.ticketId, agent.name, {
      ...(values.target === THIRD_LEVEL ? { level: 3 as const } : { queue: values.target }),
      reason: values.reason,
    });
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: { target: `${result.message} (${result.code})` } });
      return;
    }
    await ack();
  });

  const openSaveFaq = async (
    triggerId: string,
    ticket: Ticket | undefined,
    answer: string,
    conversationId: string,
  ) => {
    const question =
      ticket?.details.summary ?? ticket?.transcript.find((l) => l.from === 'customer')?.text ?? '';
    await ctx.app.client.views.open({
      trigger_id: triggerId,
      view: buildSaveFaqModal(
        { ticketId: ticket?.id, conversationId },
        { question, answer, language: ticket?.language ?? 'de' },
      ),
    });
  };

  app.action<BlockAction<ButtonAction>>(TICKET_ACTION.saveAsFaq, async ({ ack, body, action }) => {
    await ack();
    const ticket = await ctx.desk.get(action.value ?? '');
    if (!ticket) return;
    const lastReply = ticket.events.filter((e) => e.type === 'agent-message' && e.text).at(-1)?.text ?? '';
    await openSaveFaq(body.trigger_id, ticket, lastReply, ticket.conversation.conversationId);
  });

  app.shortcut<MessageShortcut>(CALLBACK.saveAsFaqShortcut, async ({ ack, shortcut }) => {
    await ack();
    const message = shortcut.message as { text?: string; ts: string; thread_ts?: string };
    const channel = shortcut.channel.id;
    const threadTs = message.thread_ts ?? message.ts;
    const ticket = ctx.agentChannels.isAgentChannel(channel)
      ? await cards.ticketForThread(channel, threadTs)
      : undefined;
    const answer = slackTextToPlain(message.text ?? '').replace(/^note:\s*/i, '');
    await openSaveFaq(
      shortcut.trigger_id,
      ticket,
      answer,
      ticket?.conversation.conversationId ?? `slack-message:${channel}:${message.ts}`,
    );
  });

  app.view(CALLBACK.saveFaqModal, async ({ ack, body, view }) => {
    const meta = readSaveFaqMeta(view.private_metadata);
    const values = readSaveFaqValues(view.state.values as ViewStateValues);
    if (!values.ok) {
      await ack({ response_action: 'errors', errors: values.errors });
      return;
    }
    if (!meta) {
      await ack({ response_action: 'errors', errors: { question: 'This form has expired; open it again.' } });
      return;
    }
    try {
      const agent = await ctx.users.lookup(body.user.id);
      if (ctx.curation) {
        const filed = await ctx.curation.suggestFromAgentReply({
          ticketId: meta.ticketId,
          text: values.answer,
          agent: agent.name,
          question: values.question,
          language: values.language,
        });
        if (!filed.ok) {
          const errors: Record<string, string> = {};
          for (const p of filed.problems)
            errors[p.field === 'question' ? 'question' : 'answer'] ??= p.message;
          await ack({ response_action: 'errors', errors });
          return;
        }
      } else {
        await ctx.stores.unanswered.add({
          at: ctx.clock.now(),
          text: values.question,
          language: values.language,
          conversationId: meta.conversationId,
          proposedAnswer: { text: values.answer, by: agent.name, ticketId: meta.ticketId },
        });
      }
    } catch (error) {
      ctx.log.error('faq suggestion not saved', { code: errorCode(error), error: errorMessage(error) });
      await ack({
        response_action: 'errors',
        errors: { answer: 'Could not save the suggestion; please try again.' },
      });
      return;
    }
    await ack({
      response_action: 'update',
      view: modalView({
        title: 'Save as FAQ',
        close: 'Close',
        blocks: [context(':white_check_mark: Filed for the curators. Thank you!')],
      }),
    });
  });
}
