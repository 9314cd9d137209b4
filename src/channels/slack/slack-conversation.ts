import type { ConversationRef, Customer } from '../../core/turn.ts';

/** Where a Slack conversation lives: a DM (no thread) or a thread in a channel. */
export interface SlackAddress {
  team: string;
  channel: string;
  /** Replies go into this thread (mentions in channels); absent for a DM. */
  threadTs?: string | undefined;
}

/** The fields the handlers read of a message event (Bolt's types are a union per subtype). */
export interface SlackMessage {
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  channel_type?: string;
  /** Files shared with the message (subtype file_share). */
  files?: { id: string; name?: string }[];
}

/** The neutral reference for a DM or a channel thread; the address is ours to read back. */
export function toConversationRef(address: SlackAddress): ConversationRef {
  const { team, channel, threadTs } = address;
  return {
    channel: 'slack',
    conversationId: threadTs ? `slack:${team}:${channel}:${threadTs}` : `slack:${team}:${channel}`,
    address: threadTs ? { team, channel, threadTs } : { team, channel },
  };
}

export function fromConversationRef(ref: ConversationRef): SlackAddress | undefined {
  if (ref.channel !== 'slack') return undefined;
  const { team, channel, threadTs } = ref.address;
  if (typeof team !== 'string' || typeof channel !== 'string') return undefined;
  return typeof threadTs === 'string' ? { team, channel, threadTs } : { team, channel };
}

export function toCustomer(team: string, user: string, name?: string | undefined): Customer {
  return name ? { id: `slack:${team}:${user}`, name } : { id: `slack:${team}:${user}` };
}

/** The Slack user behind a customer id written by toCustomer, if it is one. */
export function slackUserOf(customerId: string): { team: string; user: string } | undefined {
  const match = /^slack:([^:]+):([^:]+)$/.exec(customerId);
  return match?.[1] && match[2] ? { team: match[1], user: match[2] } : undefined;
}

/** DM channel ids start with D; the engine's answers there need no thread. */
export function isDirectMessageChannel(channel: string): boolean {
  return channel.startsWith('D');
}

/**
 * Slack's message markup to the plain text the customer meant: `<@U1|anna>` → @anna,
 * `<!channel>` → @channel, `<https://x|label>` → label (https://x), entities decoded. The
 * engine and the stores see plain text; every renderer escapes it again on the way out.
 */
export function slackTextToPlain(text: string): string {
  return text
    .replace(/<@([A-Z0-9]+)(?:\|([^>]+))?>/g, (_m, id: string, name: string | undefined) => `@${name ?? id}`)
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name: string | undefined) => `#${name || id}`)
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]+))?>/g, (_m, name: string | undefined) => name ?? '@group')
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<!([a-z]+)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<((?:https?|mailto|tel):[^|>]+)\|([^>]+)>/g, (_m, url: string, text: string) =>
      url.replace(/^mailto:|^tel:/, '') === text ? text : `${text} (${url})`,
    )
    .replace(/<((?:https?|mailto|tel):[^>]+)>/g, (_m, url: string) => url.replace(/^mailto:|^tel:/, ''))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}

/** A mention's text without the leading mention of the bot. */
export function withoutBotMention(text: string, botUserId: string | undefined): string {
  if (!botUserId) return text;
  return text.replace(new RegExp(`<@${botUserId}(?:\\|[^>]*)?>[,:]?`, 'g'), ' ').trim();
}
