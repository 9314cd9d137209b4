import type { BlockAction } from '@slack/bolt';
import type { Action } from '../../core/action.ts';
import type { KeptFiles } from '../../core/attachment.ts';
import { refusedFileNotices } from '../../core/attachment-notices.ts';
import { DeliveryError } from '../../core/errors.ts';
import type { Reply } from '../../core/reply.ts';
import type { Turn } from '../../core/turn.ts';
import type { SlackContext } from './slack-context.ts';
import {
  isDirectMessageChannel,
  type SlackAddress,
  toConversationRef,
  toCustomer,
} from './slack-conversation.ts';

export interface CustomerInput {
  team: string;
  /** The Enterprise Grid the event came from (see enterpriseOf); else users.info's. */
  enterprise?: string | undefined;
  user: string;
  address: SlackAddress;
  /** Stable id of the Slack event (message ts, action ts, view hash): the engine handles it once. */
  id: string;
  text?: string | undefined;
  action?: Action | undefined;
  /** Files shared with the message: kept ones go with the turn, refused ones are answered. */
  files?: KeptFiles | undefined;
  /** Handled from the inbox: its answers are remembered, for a run again after a failure. */
  kept?: boolean | undefined;
  /** An earlier run of this event failed or was taken by a process that died (see Turn.resumed). */
  resumed?: boolean | undefined;
}

/** The engine's Turn for a Slack customer's message or click. */
export async function customerTurn(ctx: SlackContext, input: CustomerInput): Promise<Turn> {
  const person = await ctx.users.lookup(input.user);
  const enterprise = input.enterprise ?? person.enterprise;
  // What Slack vouches for: the workspace and grid of the event, and the profile's e-mail. The
  // CustomerDirectory maps them to an organisation of config/customers.yaml.
  const customer: Turn['customer'] = {
    ...toCustomer(input.team, input.user, person.name),
    identity: { slackTeam: input.team, ...(enterprise ? { slackEnterprise: enterprise } : {}) },
    ...(person.email ? { email: person.email } : {}),
  };
  const turn: Turn = {
    id: input.id,
    conversation: toConversationRef(input.address),
    customer,
    locale: person.language,
    receivedAt: ctx.clock.now(),
  };
  if (input.text !== undefined) turn.text = input.text;
  if (input.action !== undefined) turn.action = input.action;
  if (input.files?.kept.length) turn.attachments = input.files.kept;
  if (input.kept) turn.replay = true;
  if (input.resumed) turn.resumed = true;
  return turn;
}

/** The customer's words to the engine, its replies back to the same DM or thread (through the outbox). */
export async function runCustomerTurn(ctx: SlackContext, input: CustomerInput): Promise<Reply[]> {
  const turn = await customerTurn(ctx, input);
  // Only refused files and no words: the refusal is the whole answer.
  const onlyRefused = input.files && !turn.text && !turn.attachments;
  const replies = onlyRefused ? [] : await ctx.engine.handle(turn);
  const language = replies[0]?.language ?? turn.locale ?? 'de';
  // Files that were not kept are answered politely, in the customer's language, before the rest.
  const refusals = refusedFileNotices(input.files, language, ctx.files?.maxBytes ?? 0);
  await sendTurnReplies(ctx, turn, [...refusals, ...replies]);
  return replies;
}

/** A turn's answers through the outbox, keyed by the turn: a turn handled again sends them once. */
export async function sendTurnReplies(ctx: SlackContext, turn: Turn, replies: Reply[]): Promise<void> {
  await ctx.replies.deliver(turn.conversation, replies, `turn:${turn.id}`);
}

/** The DM between the bot and this user (conversations.open answers the existing one). */
export async function openDirectMessage(
  ctx: SlackContext,
  team: string,
  user: string,
): Promise<SlackAddress> {
  const opened = await ctx.app.client.conversations.open({ users: user });
  const channel = opened.channel?.id;
  if (!channel)
    throw new DeliveryError('slack_no_dm_channel', `conversations.open gave no channel for ${user}`);
  return { team, channel };
}

/**
 * The Enterprise Grid organisation of an event or interaction, from wherever Slack puts it: the
 * envelope's `enterprise_id` and `authorizations`, an interaction's `enterprise` or `team`, the
 * user's `enterprise_id`; Bolt's context as the last resort.
 */
export function enterpriseOf(body: unknown, fallback?: string | undefined): string | undefined {
  const b = body as {
    enterprise_id?: string | null;
    authorizations?: { enterprise_id?: string | null }[];
    enterprise?: { id?: string } | null;
    team?: { enterprise_id?: string } | null;
    user?: { enterprise_id?: string };
  };
  const found =
    b.enterprise_id ??
    b.authorizations?.find((a) => a.enterprise_id)?.enterprise_id ??
    b.enterprise?.id ??
    b.team?.enterprise_id ??
    b.user?.enterprise_id ??
    fallback;
  return typeof found === 'string' && /^E[A-Z0-9]+$/.test(found) ? found : undefined;
}

export function teamOf(body: unknown, fallbackTeam: string | undefined): string {
  const b = body as { team_id?: string; team?: { id?: string } | null; user?: { team_id?: string } };
  return b.team_id ?? b.team?.id ?? b.user?.team_id ?? fallbackTeam ?? 'T0';
}

/** Where a button was clicked: the message's DM, or the thread the message is in (or starts). */
export interface ClickedMessage {
  team: string;
  channel: string;
  messageTs: string;
  address: SlackAddress;
}

/** The message a block action came from; undefined when Slack names no channel (e.g. in a modal). */
export function clickedMessage(body: BlockAction): ClickedMessage | undefined {
  const channel = body.channel?.id ?? body.container.channel_id;
  if (typeof channel !== 'string') return undefined;
  const team = teamOf(body, undefined);
  const messageTs: string = body.message?.ts ?? body.container.message_ts;
  const threadTs: string | undefined = body.message?.thread_ts ?? body.container.thread_ts;
  const address: SlackAddress = isDirectMessageChannel(channel)
    ? { team, channel }
    : { team, channel, threadTs: threadTs ?? messageTs };
  return { team, channel, messageTs, address };
}
