import type { ConversationReference } from 'botbuilder';
import type { Ticket } from '../../../core/ticket.ts';
import type { ConversationRef } from '../../../core/turn.ts';

/** Where a ticket's card is in Teams: the channel, the card's message id (its thread's root), and the connector. */
export interface DeskThread {
  channelId: string;
  rootId: string;
  serviceUrl: string;
}

/** Who the bot is when it posts into a team's channels on its own. */
export interface DeskPoster {
  botId: string;
  tenantId?: string | undefined;
}

/**
 * A reply in a Teams channel thread arrives in the conversation `<channel id>;messageid=<root
 * message id>`; a post to the bare channel id starts a new thread.
 */
const THREAD_SEPARATOR = ';messageid=';

export function threadConversationId(thread: Pick<DeskThread, 'channelId' | 'rootId'>): string {
  return `${thread.channelId}${THREAD_SEPARATOR}${thread.rootId}`;
}

/** The channel and the thread's root message of a channel conversation id; no root for a top-level post. */
export function parseChannelConversation(conversationId: string): { channelId: string; rootId?: string } {
  const at = conversationId.indexOf(THREAD_SEPARATOR);
  if (at < 0) return { channelId: conversationId };
  const rootId = conversationId.slice(at + THREAD_SEPARATOR.length);
  return { channelId: conversationId.slice(0, at), ...(rootId ? { rootId } : {}) };
}

/** The reference botbuilder continues: the bare channel (new thread) or a thread in it. */
export function channelReference(
  conversationId: string,
  serviceUrl: string,
  poster: DeskPoster,
): Partial<ConversationReference> {
  return {
    serviceUrl,
    channelId: 'msteams',
    bot: { id: poster.botId, name: 'support bot' },
    conversation: {
      id: conversationId,
      isGroup: true,
      conversationType: 'channel',
      name: '',
      ...(poster.tenantId ? { tenantId: poster.tenantId } : {}),
    },
  };
}

export function deskThreadRef(thread: DeskThread): ConversationRef {
  return {
    channel: 'teams',
    conversationId: `teams-desk:${threadConversationId(thread)}`,
    address: { channelId: thread.channelId, rootId: thread.rootId, serviceUrl: thread.serviceUrl },
  };
}

/** The ticket's card in Teams, when it has one. */
export function deskThreadOf(ticket: Ticket): DeskThread | undefined {
  const address = ticket.deskThreads?.teams?.address;
  const { channelId, rootId, serviceUrl } = address ?? {};
  return typeof channelId === 'string' && typeof rootId === 'string' && typeof serviceUrl === 'string'
    ? { channelId, rootId, serviceUrl }
    : undefined;
}
