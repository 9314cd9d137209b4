import { TurnContext } from 'botbuilder';
import type { Action } from '../../core/action.ts';
import { refusedFileNotices } from '../../core/attachment-notices.ts';
import { type Clock, systemClock } from '../../core/clock.ts';
import { customerLanguage } from '../../core/customer-language.ts';
import type { ReplySink } from '../../core/delivery.ts';
import { ConfigError } from '../../core/errors.ts';
import type { Language } from '../../core/language.ts';
import type { Logger } from '../../core/logger.ts';
import { errorCode, errorMessage } from '../../core/logger.ts';
import { messagesFor } from '../../core/messages.ts';
import type { Stores } from '../../core/ports.ts';
import type { Turn } from '../../core/turn.ts';
import type { TurnHandler } from '../../core/turn-handler.ts';
import { findQueue, type SupportConfig } from '../../handoff/support-config.ts';
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCard } from './cards/adaptive-card.ts';
import { type CardCommand, decodeCardData } from './cards/card-action-codec.ts';
import { renderIntakeFormCard, renderSentFormCard } from './cards/intake-form-card.ts';
import { type RenderOptions, renderReplyCard } from './cards/reply-card.ts';
import { type DeskCommand, decodeDeskCommand } from './desk/desk-card-codec.ts';
import { mentionsBot, type TeamsDeskAgents } from './desk/teams-desk-agents.ts';
import {
  type InboundActivity,
  teamsConversationId,
  toConversationRef,
  toCustomer,
  toLanguage,
} from './teams-activity.ts';
import { filesOf, type TeamsFiles } from './teams-files.ts';
import { teamsLabels } from './teams-labels.ts';
import type { TeamsSender } from './teams-sender.ts';
import type { SentCards } from './teams-sent-cards.ts';

export interface TeamsBotDeps {
  engine: TurnHandler;
  stores: Stores;
  sender: TeamsSender;
  sentCards: SentCards;
  /** The intake forms, for "Fill in a form"; without it the button is not offered. */
  support?: SupportConfig | undefined;
  /** How replies are rendered (the same options the sender uses). */
  render: RenderOptions;
  /** Agents in the Teams agent channels (TEAMS_AGENT_CHANNELS); absent when there are none. */
  agents?: TeamsDeskAgents | undefined;
  /** Replies that could not be sent in the turn are handed here to be retried. */
  delivery?: ReplySink | undefined;
  /** Keeps the files customers send; without it they are not fetched. */
  files?: TeamsFiles | undefined;
  clock?: Clock | undefined;
  log: Logger;
}

type CardInvokeBody =
  | { statusCode: 200; type: typeof ADAPTIVE_CARD_CONTENT_TYPE; value: AdaptiveCard }
  | { statusCode: 200; type: 'application/vnd.microsoft.activity.message'; value: string }
  | { statusCode: 400; type: 'application/vnd.microsoft.error'; value: { code: string; message: string } };

const MESSAGE_RESPONSE = 'application/vnd.microsoft.activity.message';

async function respondToInvoke(context: TurnContext, body: unknown, status = 200): Promise<void> {
  await context.sendActivity({ type: 'invokeResponse', value: { status, body } });
}

/**
 * Converts Teams activities into Turns for the engine and sends the replies back as cards:
 * typed messages, card clicks (Action.Execute invokes and Action.Submit messages), Teams' own
 * 👍/👎 feedback, and a welcome when the app is added. A clicked card is redrawn in place with
 * what was chosen, so an old question cannot be answered twice.
 */
export class TeamsBot {
  private readonly clock: Clock;

  constructor(private readonly deps: TeamsBotDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  async onTurn(context: TurnContext): Promise<void> {
    const activity = context.activity as unknown as InboundActivity;
    // Installed in a team, or anything from its channels: that team's connector takes the ticket cards.
    if (activity.conversation.conversationType === 'channel') await this.deps.agents?.seen(activity);
    switch (activity.type) {
      case 'message':
        return this.onMessage(context, activity);
      case 'invoke':
        return this.onInvoke(context, activity);
      case 'conversationUpdate':
        return this.onConversationUpdate(context, activity);
      default:
        // installationUpdate, typing, messageReaction, ...: nothing to do.
        return;
    }
  }

  private async onMessage(context: TurnContext, activity: InboundActivity): Promise<void> {
    const kind = activity.conversation.conversationType;
    if (this.deps.agents?.isFromAgentChannel(activity)) {
      if (activity.value === undefined || activity.text?.trim())
        await this.deps.agents.onMessage(context, activity);
      return;
    }
    // With resource-specific consent every message of a team's channels arrives: only one to the bot is answered.
    if (kind === 'channel' && !mentionsBot(activity)) return;
    if (kind !== undefined && kind !== 'personal') {
      await context.sendActivity({
        type: 'message',
        text: teamsLabels(this.language(activity)).personalOnly,
      });
      return;
    }
    // In a personal chat there is no @mention to strip; a mention elsewhere must not reach the matcher.
    const text = TurnContext.removeRecipientMention(context.activity) ?? activity.text;
    if (activity.value !== undefined && !text?.trim()) {
      await this.onCardSubmit(context, activity);
      return;
    }
    await this.runTurn(context, activity, { text: text ?? '' });
  }

  /** Action.Submit: a message whose value is the card's data; the card is updated with a PUT. */
  private async onCardSubmit(context: TurnContext, activity: InboundActivity): Promise<void> {
    const command = decodeCardData(activity.value);
    if (!command) {
      this.deps.log.info('teams card submit ignored: not one of ours', {
        conversationId: activity.conversation.id,
      });
      return;
    }
    const result = await this.handleCommand(context, activity, command);
    if (activity.replyToId && result.kind === 'card') {
      await this.deps.sender.updateCard(context, activity.replyToId, result.card);
    }
  }

  private async onInvoke(context: TurnContext, activity: InboundActivity): Promise<void> {
    switch (activity.name) {
      case 'adaptiveCard/action':
        return this.onCardAction(context, activity);
      case 'message/submitAction':
        return this.onFeedbackLoop(context, activity);
      default:
        // Without an invoke response botbuilder answers 501 Not Implemented, which is right.
        return;
    }
  }

  /** Action.Execute: the invoke's response is the card shown in place of the clicked one. */
  private async onCardAction(context: TurnContext, activity: InboundActivity): Promise<void> {
    const value = activity.value as { action?: { data?: unknown } } | undefined;
    const deskCommand = decodeDeskCommand(value?.action?.data);
    if (deskCommand) return this.onDeskCardAction(context, activity, deskCommand);
    const command = decodeCardData(value?.action?.data);
    if (!command) {
      const body: CardInvokeBody = {
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'BadRequest', message: 'This card action is not known.' },
      };
      await respondToInvoke(context, body);
      return;
    }
    const result = await this.handleCommand(context, activity, command);
    const body: CardInvokeBody =
      result.kind === 'card'
        ? { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: result.card }
        : { statusCode: 200, type: MESSAGE_RESPONSE, value: result.text };
    await respondToInvoke(context, body);
  }

  /** A ticket card's button: only in an agent channel; the answer is the card as the ticket is now. */
  private async onDeskCardAction(
    context: TurnContext,
    activity: InboundActivity,
    command: DeskCommand,
  ): Promise<void> {
    const agents = this.deps.agents;
    const inDesk = agents?.isFromAgentChannel(activity) ?? false;
    const card = inDesk ? await agents?.onCardAction(activity, command) : undefined;
    const body: CardInvokeBody = card
      ? { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card }
      : {
          statusCode: 400,
          type: 'application/vnd.microsoft.error',
          value: {
            code: 'BadRequest',
            message: inDesk
              ? `There is no ticket ${command.ticketId}.`
              : 'Ticket cards work in the agent channels only.',
          },
        };
    await respondToInvoke(context, body);
  }

  /**
   * A click, however it came: "Fill in a form" shows the whole intake form; an engine action runs
   * as a turn. Returns what the clicked card should turn into.
   */
  private async handleCommand(
    context: TurnContext,
    activity: InboundActivity,
    command: CardCommand,
  ): Promise<{ kind: 'card'; card: AdaptiveCard } | { kind: 'text'; text: string }> {
    const conversationId = teamsConversationId(activity.conversation.id);
    if (command.kind === 'open-form') {
      const conversation = await this.deps.stores.conversations.get(conversationId);
      const language = customerLanguage(conversation, toLanguage(activity.locale));
      const intake = conversation?.owner === 'intake' ? conversation.intake : undefined;
      if (!intake || !this.deps.support) return { kind: 'text', text: teamsLabels(language).formGone };
      const form = this.formFor(intake.queue);
      return { kind: 'card', card: renderIntakeFormCard(form, language, intake.values) };
    }

    const sent = this.deps.sentCards.find(activity.replyToId, conversationId);
    const language = sent?.reply.language ?? this.language(activity);
    let card: AdaptiveCard | undefined;
    const values = command.action.type === 'submit-form' ? command.action.values : {};
    if (Object.keys(values).length > 1 && this.deps.support) {
      const conversation = await this.deps.stores.conversations.get(conversationId);
      const queue = conversation?.intake?.queue ?? this.deps.support.defaultQueue;
      card = renderSentFormCard(this.formFor(queue), language, values);
    } else if (sent) {
      card = renderReplyCard(sent.reply, { chosen: command.chosen }, this.deps.render);
    }
    await this.runTurn(context, activity, { action: command.action });
    return card ? { kind: 'card', card } : { kind: 'text', text: `✓ ${command.chosen}` };
  }

  /** Teams' own 👍/👎 under an answer (with the optional text from its feedback form). */
  private async onFeedbackLoop(context: TurnContext, activity: InboundActivity): Promise<void> {
    const value = activity.value as
      | { actionName?: unknown; actionValue?: { reaction?: unknown; feedback?: unknown } }
      | undefined;
    const reaction = value?.actionValue?.reaction;
    if (value?.actionName !== 'feedback' || (reaction !== 'like' && reaction !== 'dislike')) {
      await respondToInvoke(context, {}, 400);
      return;
    }
    const conversationId = teamsConversationId(activity.conversation.id);
    const sent = this.deps.sentCards.find(activity.replyToId, conversationId);
    let entryId = sent?.reply.type === 'answer' ? sent.reply.entryId : undefined;
    let language = sent?.reply.language;
    if (!entryId) {
      // Sent before a restart or by another process: the conversation knows its last answer.
      const conversation = await this.deps.stores.conversations.get(conversationId);
      entryId = conversation?.lastAnsweredEntryId;
      language = conversation?.language;
    }
    if (!entryId) {
      await respondToInvoke(context, {});
      return;
    }
    const helpful = reaction === 'like';
    const say = messagesFor(language ?? this.language(activity));
    const reason = helpful ? undefined : feedbackText(value.actionValue?.feedback);
    const action: Action = {
      type: 'feedback',
      entryId,
      helpful,
      label: helpful ? say.helpfulYes : say.helpfulNo,
      // Teams already asked "what was missing?"; an empty reason keeps the engine from asking again.
      ...(helpful ? {} : { reason: reason ?? '' }),
    };
    await this.runTurn(context, activity, { action });
    if (sent && activity.replyToId) {
      const chosen = teamsLabels(sent.reply.language).feedbackGiven(helpful);
      const card = renderReplyCard(sent.reply, { chosen }, this.deps.render);
      if (card) await this.deps.sender.updateCard(context, activity.replyToId, card);
    }
    await respondToInvoke(context, {});
  }

  private async onConversationUpdate(context: TurnContext, activity: InboundActivity): Promise<void> {
    const added = (activity as { membersAdded?: { id?: string }[] }).membersAdded ?? [];
    if (!added.some((member) => member.id === activity.recipient.id)) return;
    const kind = activity.conversation.conversationType;
    if (kind !== undefined && kind !== 'personal') return;
    const greeting = messagesFor(this.language(activity)).greeting;
    await context.sendActivity({ type: 'message', text: greeting, textFormat: 'markdown' });
  }

  /** One turn through the engine; its replies go back into the conversation in order. */
  private async runTurn(
    context: TurnContext,
    activity: InboundActivity,
    input: { text?: string; action?: Action },
  ): Promise<void> {
    const ref = toConversationRef(activity);
    const turn: Turn = {
      // Teams message ids are only unique within a conversation (often a timestamp).
      id: `teams:${activity.conversation.id}:${activity.id}`,
      conversation: ref,
      customer: toCustomer(activity),
      locale: toLanguage(activity.locale),
      text: input.text,
      action: input.action,
      receivedAt: this.clock.now(),
    };
    const sent = this.deps.files ? filesOf(activity) : [];
    const files = sent.length > 0 ? await this.deps.files?.keep(context, activity, sent) : undefined;
    if (files?.kept.length) turn.attachments = files.kept;
    // Only refused files and no words: the refusal is the whole answer.
    const onlyRefused = files && !turn.text?.trim() && !turn.attachments;
    const answers = onlyRefused ? [] : await this.deps.engine.handle(turn);
    const language = answers[0]?.language ?? turn.locale ?? 'de';
    const replies = [...refusedFileNotices(files, language, this.deps.files?.maxBytes ?? 0), ...answers];
    const outcome = await this.deps.sender.sendReplies(context, ref.conversationId, replies);
    if (outcome.unsent.length === 0) return;
    if (!this.deps.delivery) {
      this.deps.log.error('teams replies lost: sending failed and no outbox', {
        code: errorCode(outcome.error),
        error: errorMessage(outcome.error),
        conversationId: ref.conversationId,
        lost: outcome.unsent.length,
      });
      return;
    }
    // The turn is processed (and de-duplicated): a Teams retry would not bring the replies back.
    await this.deps.delivery.deliver(ref, outcome.unsent, `turn:${turn.id}:unsent`);
  }

  private formFor(queue: string) {
    const support = this.deps.support as SupportConfig;
    const form = support.forms[findQueue(support, queue).form];
    if (!form) throw new ConfigError('missing_configuration', `no intake form for queue ${queue}`);
    return form;
  }

  private language(activity: InboundActivity): Language {
    return customerLanguage(undefined, toLanguage(activity.locale));
  }
}

/** Teams sends the feedback form's text as JSON (`{"feedbackText": "…"}`), sometimes as an object. */
function feedbackText(feedback: unknown): string | undefined {
  let value: unknown = feedback;
  if (typeof feedback === 'string') {
    try {
      value = JSON.parse(feedback);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      return feedback.trim() || undefined;
    }
  }
  const text = (value as { feedbackText?: unknown } | null)?.feedbackText;
  return typeof text === 'string' ? text.trim().slice(0, 1000) || undefined : undefined;
}
