import type { TurnContext } from 'botbuilder';
import type { Logger } from '../../../core/logger.ts';
import type { Ticket } from '../../../core/ticket.ts';
import type { AgentDesk, DeskResult } from '../../../handoff/agent-desk.ts';
import type { DeskChannels } from '../../../handoff/desk-channels.ts';
import type { KnowledgeCuration } from '../../../knowledge/knowledge-curation.ts';
import type { AdaptiveCard } from '../cards/adaptive-card.ts';
import type { InboundActivity } from '../teams-activity.ts';
import { type DeskCommand, THIRD_LEVEL_TARGET } from './desk-card-codec.ts';
import { parseChannelConversation } from './desk-thread.ts';
import type { TeamsTicketCards } from './teams-ticket-cards.ts';

export type DeskActions = Pick<AgentDesk, 'claim' | 'resolve' | 'giveBack' | 'escalate' | 'reply' | 'get'>;

export interface TeamsDeskAgentsDeps {
  desk: DeskActions;
  cards: TeamsTicketCards;
  channels: DeskChannels;
  /** Where "Save as FAQ" files an agent's answer for the curators; without it the button refuses. */
  curation?: Pick<KnowledgeCuration, 'suggestFromAgentReply'> | undefined;
  /** Console accounts: an agent mapped by their Entra object id acts under the account's name. */
  accounts?: { byTeamsUser(aadObjectId: string): Promise<{ name: string } | undefined> } | undefined;
  /** Each activity from a team says which connector serves it; new cards go there. */
  learnServiceUrl(serviceUrl: string): Promise<void>;
  log: Logger;
}

const BOT_ID_PREFIX = '28:';

interface MentionEntity {
  type?: unknown;
  text?: unknown;
  mentioned?: { id?: unknown };
}

/**
 * Agents in the Teams agent channels: the ticket card's buttons, and replies in a card's thread
 * relayed to the customer (`note:` stays internal). With resource-specific consent Teams sends
 * every message in the channel, with an @mention of the bot too; the mention is not part of
 * what the customer reads.
 */
export class TeamsDeskAgents {
  constructor(private readonly deps: TeamsDeskAgentsDeps) {}

  /** Whether the activity comes from one of the agent channels (nothing else there is a customer). */
  isFromAgentChannel(activity: InboundActivity): boolean {
    if (activity.conversation.conversationType !== 'channel') return false;
    return this.deps.channels.isAgentChannel(channelIdOf(activity));
  }

  /** Any activity from a team's channel (the app installed, a message): its connector serves the team. */
  seen(activity: InboundActivity): Promise<void> {
    return this.deps.learnServiceUrl(activity.serviceUrl);
  }

  /** A message in an agent channel: a reply in a ticket's thread goes to the desk; anything else is the team's own talk. */
  async onMessage(context: TurnContext, activity: InboundActivity): Promise<void> {
    const { rootId } = parseChannelConversation(activity.conversation.id);
    // Top-level posts are the team's own talk; other bots (Teams ids 28:…) are no agents.
    if (!rootId || activity.from.id.startsWith(BOT_ID_PREFIX)) return;
    const text = withoutBotMention(activity);
    if (text === '') return;
    const ticket = await this.deps.cards.ticketForThread(channelIdOf(activity), rootId);
    if (!ticket) return;
    const agent = await this.agentName(activity);
    const result = await this.deps.desk.reply(ticket.id, agent, text, 'teams');
    this.deps.log.info('agent reply from teams', { ticketId: ticket.id, ok: result.ok });
    // Teams has no message only one person sees in a channel: the thread is where the agent looks.
    if (!result.ok)
      await context.sendActivity({ type: 'message', text: `⛔ ${result.message} (${result.code})` });
  }

  /** A click on a ticket card; resolves with the card to show in its place (as the ticket is now). */
  async onCardAction(activity: InboundActivity, command: DeskCommand): Promise<AdaptiveCard | undefined> {
    const agent = await this.agentName(activity);
    if (command.op === 'save-faq') return this.saveAsFaq(command, agent);
    const result = await this.run(command, agent);
    this.deps.log.info('teams ticket card action', {
      action: command.op,
      ticketId: command.ticketId,
      ok: result.ok,
    });
    const ticket: Ticket | undefined = result.ok ? result.ticket : await this.deps.desk.get(command.ticketId);
    if (!ticket) return undefined;
    return this.deps.cards.render(
      ticket,
      result.ok ? undefined : { tone: 'problem', text: `${result.message} (${result.code})` },
    );
  }

  private run(command: DeskCommand, agent: string): Promise<DeskResult> {
    const { desk } = this.deps;
    switch (command.op) {
      case 'claim':
        return desk.claim(command.ticketId, agent);
      case 'resolve':
        return desk.resolve(command.ticketId, agent);
      case 'give-back':
        return desk.giveBack(command.ticketId, agent);
      case 'escalate':
        if (!command.target) {
          return Promise.resolve({ ok: false, code: 'invalid', message: 'Pick where the ticket goes' });
        }
        return desk.escalate(command.ticketId, agent, {
          ...(command.target === THIRD_LEVEL_TARGET ? { level: 3 as const } : { queue: command.target }),
          reason: command.reason,
        });
      default:
        return Promise.resolve({ ok: false, code: 'invalid', message: `${command.op} is not a desk action` });
    }
  }

  /** "Save as FAQ": the question and answer as the agent left them go to the curators' inbox. */
  private async saveAsFaq(command: DeskCommand, agent: string): Promise<AdaptiveCard | undefined> {
    const ticket = await this.deps.desk.get(command.ticketId);
    if (!ticket) return undefined;
    if (!this.deps.curation) {
      return this.deps.cards.render(ticket, { tone: 'problem', text: 'FAQ suggestions are not taken here' });
    }
    const filed = await this.deps.curation.suggestFromAgentReply({
      ticketId: ticket.id,
      text: command.answer ?? '',
      agent,
      question: command.question,
      language: ticket.language,
    });
    this.deps.log.info('faq suggestion from teams', { ticketId: ticket.id, ok: filed.ok });
    const banner = filed.ok
      ? { tone: 'done' as const, text: `${agent} filed this answer for the curators. Thank you!` }
      : { tone: 'problem' as const, text: filed.problems.map((p) => p.message).join('; ') };
    return this.deps.cards.render(ticket, banner);
  }

  /** The agent's account name when their Teams identity is mapped to one, else their Teams name. */
  private async agentName(activity: InboundActivity): Promise<string> {
    const aad = activity.from.aadObjectId;
    const account = aad ? await this.deps.accounts?.byTeamsUser(aad) : undefined;
    return account?.name ?? (activity.from.name?.trim() || 'Teams agent');
  }
}

/** The Teams channel an activity is in: Teams says so in channelData; the conversation id carries it too. */
export function channelIdOf(activity: InboundActivity): string {
  const data = (activity as { channelData?: { channel?: { id?: unknown } } }).channelData;
  const id = data?.channel?.id;
  return typeof id === 'string' && id !== ''
    ? id
    : parseChannelConversation(activity.conversation.id).channelId;
}

function botMentions(activity: InboundActivity): MentionEntity[] {
  const entities = (activity as { entities?: unknown }).entities;
  if (!Array.isArray(entities)) return [];
  return (entities as MentionEntity[]).filter(
    (e) => e?.type === 'mention' && e.mentioned?.id === activity.recipient.id,
  );
}

/** Whether the message @mentions the bot. */
export function mentionsBot(activity: InboundActivity): boolean {
  return botMentions(activity).length > 0;
}

/** The text without the bot's @mentions (every one of them, wherever they stand). */
export function withoutBotMention(activity: InboundActivity): string {
  let text = activity.text ?? '';
  for (const mention of botMentions(activity)) {
    if (typeof mention.text === 'string' && mention.text !== '') text = text.split(mention.text).join(' ');
  }
  return text
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .trim();
}
