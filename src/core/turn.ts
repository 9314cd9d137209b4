import type { Action } from './action.ts';
import type { Attachment } from './attachment.ts';
import type { Language } from './language.ts';

export const CHANNEL_KINDS = ['web', 'cli', 'slack', 'teams'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/**
 * Where a conversation lives and how to reach the customer again later (proactive relay).
 * `address` is the channel's own, JSON-serialisable data (Slack channel + thread ts, Teams
 * conversation reference, ...); only the channel that wrote it reads it.
 */
export interface ConversationRef {
  channel: ChannelKind;
  /** Unique across channels, e.g. `web:3f2a…`, `slack:T1:D2`, `teams:a:1x…`. */
  conversationId: string;
  address: Record<string, unknown>;
}

export interface Customer {
  id: string;
  name?: string | undefined;
  /** Only from a source that vouches for it (the platform, or a verified web identity). */
  email?: string | undefined;
  organisation?: string | undefined;
  /** Where the platform says the customer works (see CustomerDirectory). */
  identity?: CustomerIdentity | undefined;
}

/**
 * The platform's word on the customer's organisation: only what the platform verified (the Slack
 * workspace or grid the event came from, the Teams tenant). E-mail and a verified web identity's
 * organisation are the customer's `email` and `organisation`.
 */
export interface CustomerIdentity {
  slackTeam?: string | undefined;
  slackEnterprise?: string | undefined;
  teamsTenant?: string | undefined;
}

/** One incoming message or button click, already converted from the platform's payload. */
export interface Turn {
  /** Stable id of the platform event; the same id twice is processed once. */
  id: string;
  conversation: ConversationRef;
  customer: Customer;
  /** The platform's locale hint, if it has one. The engine still detects per message. */
  locale?: Language | undefined;
  text?: string | undefined;
  action?: Action | undefined;
  /** Files that came with the message, already stored (see AttachmentFiles). */
  attachments?: Attachment[] | undefined;
  /** Epoch milliseconds. */
  receivedAt: number;
  /**
   * The client retries with the same id and wants the first answer again (web chat's
   * Idempotency-Key), instead of the nothing a platform retry gets (Slack, Teams: the first answer
   * was posted already).
   */
  replay?: boolean | undefined;
  /**
   * An earlier run of this turn failed or was taken by a process that died before it finished:
   * the turn runs again unless the conversation shows it was applied (its customer line is
   * there); then, with `replay`, its remembered answers are sent again (once: their ids).
   */
  resumed?: boolean | undefined;
}

/**
 * How agents refer to a customer: the name when there is one, else a short reference. A web
 * conversation's id stays out of cards and logs (it is not the secret, but no one needs it whole).
 */
export function customerReference(customer: Customer): string {
  const name = customer.name?.trim();
  if (name) return name;
  if (customer.id.startsWith('web:')) return `web visitor ${customer.id.slice(4, 10)}`;
  return customer.id;
}
