import { randomUUID } from 'node:crypto';
import type { ConnectorCall, TeamsConnectorStandIn } from '../../support/teams-connector-stand-in.ts';
import { cardOf, cardText, executeActions, type PostResult } from './teams-fixture.ts';

export const TEAM_ID = '19:supportteam0001@thread.tacv2';
export const GENERAL_CHANNEL = '19:generalagents0001@thread.tacv2';
export const NETWORK_CHANNEL_TEAMS = '19:networkagents0001@thread.tacv2';
export const BOT = { id: '28:support-bot', name: 'IT Support' };

type Json = Record<string, unknown>;

/**
 * An agent in a team's channel where the bot is installed: builds the activities Teams sends for
 * a reply in a thread (with or without @mention of the bot) and for a click on a card, and reads
 * the ticket cards the bot posted there, as the connector stand-in received them.
 */
export class TeamsAgent {
  readonly userId = `29:1${randomUUID().replace(/-/g, '')}`;
  private sequence = 0;

  constructor(
    private readonly send: (activity: unknown) => Promise<PostResult>,
    private readonly connector: TeamsConnectorStandIn,
    readonly name: string,
    readonly aadObjectId: string = randomUUID(),
  ) {}

  activity(channelId: string, rootId: string | undefined, fields: Json): Json {
    return {
      id: `1${Date.now()}${String(++this.sequence).padStart(4, '0')}`,
      channelId: 'msteams',
      serviceUrl: this.connector.url,
      timestamp: new Date().toISOString(),
      locale: 'de-DE',
      from: { id: this.userId, name: this.name, aadObjectId: this.aadObjectId },
      recipient: BOT,
      conversation: {
        id: rootId ? `${channelId};messageid=${rootId}` : channelId,
        conversationType: 'channel',
        isGroup: true,
        tenantId: 'tenant-1',
      },
      channelData: { channel: { id: channelId }, team: { id: TEAM_ID }, tenant: { id: 'tenant-1' } },
      ...fields,
    };
  }

  /** A reply in the thread under a card; with `mention` it starts with an @mention of the bot, as Teams writes it. */
  reply(card: PostedCard, text: string, options: { mention?: boolean } = {}): Promise<PostResult> {
    const mention = `<at>${BOT.name}</at>`;
    return this.send(
      this.activity(card.channelId, card.rootId, {
        type: 'message',
        text: options.mention ? `${mention} ${text}` : text,
        textFormat: 'plain',
        ...(options.mention
          ? { entities: [{ type: 'mention', text: mention, mentioned: { id: BOT.id, name: BOT.name } }] }
          : {}),
      }),
    );
  }

  /** A click on one of the card's buttons (Action.Execute), with values for its inputs. */
  click(card: PostedCard, title: string, inputs: Json = {}): Promise<PostResult> {
    const button = executeActions(card.card).find((a) => a.title === title);
    if (!button) throw new Error(`no "${title}" on the card: ${cardText(card.card)}`);
    return this.send(
      this.activity(card.channelId, card.rootId, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        replyToId: card.rootId,
        value: { action: { type: 'Action.Execute', verb: button.verb, data: { ...button.data, ...inputs } } },
      }),
    );
  }
}

/** A ticket card as the channel shows it now: the posted card, or its latest update in place. */
export interface PostedCard {
  channelId: string;
  rootId: string;
  card: Json;
  text: string;
}

/** The current card of a ticket in a channel, if the bot posted one. */
export function ticketCard(
  connector: TeamsConnectorStandIn,
  channelId: string,
  ticketId: string,
): PostedCard | undefined {
  const post = connector.messages(channelId).find((m) => cardText(cardOf(m)).includes(`${ticketId} ·`));
  if (!post?.createdId) return undefined;
  const rootId = post.createdId;
  const latest: ConnectorCall =
    connector
      .updates(channelId)
      .filter((u) => u.activityId === rootId)
      .at(-1) ?? post;
  const card = cardOf(latest) ?? {};
  return { channelId, rootId, card, text: cardText(card) };
}

/** Waits for the ticket's card in the channel to show what `done` wants. */
export async function waitForCard(
  connector: TeamsConnectorStandIn,
  channelId: string,
  ticketId: string,
  done: (card: PostedCard) => boolean = () => true,
): Promise<PostedCard> {
  let found: PostedCard | undefined;
  await connector.waitFor(() => {
    found = ticketCard(connector, channelId, ticketId);
    return found !== undefined && done(found);
  }, 15_000);
  return found as PostedCard;
}

/** Texts of what the bot wrote in the card's thread. */
export function threadTexts(connector: TeamsConnectorStandIn, card: PostedCard): string[] {
  return connector
    .messages(`${card.channelId};messageid=${card.rootId}`)
    .map((m) => `${String(m.activity.text ?? '')}${cardText(cardOf(m))}`);
}
