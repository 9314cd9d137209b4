import type { Reply } from './reply.ts';

/** The web chat's storage ports: pushed replies, issued conversations, and the abuse limits. */

/** One reply pushed to a web conversation later (agent relay, resolve notice), with its cursor. */
export interface WebEvent {
  /** Increasing per conversation, starting at 1; the page sends the last one it saw as `after`. */
  seq: number;
  at: number;
  reply: Reply;
}

/**
 * Where pushed replies for web conversations wait until the page fetches them (the web chat polls
 * with a cursor, so events are kept, bounded, rather than removed on read: a reload or a second
 * tab still sees them). Shared by all processes with Redis, so a reply pushed by one reaches a
 * page polling another.
 */
export interface WebEventStore {
  has(conversationId: string): Promise<boolean>;
  /** Marks a conversation as known (its first message), so polling it is not "unknown". */
  touch(conversationId: string): Promise<void>;
  append(conversationId: string, replies: Reply[]): Promise<WebEvent[]>;
  /** Events after the cursor, oldest first, and the cursor to send next time. */
  since(conversationId: string, after: number): Promise<{ events: WebEvent[]; cursor: number }>;
  /** Resolves when an event after `after` exists, or after `ms` (long polling). */
  waitFor(conversationId: string, after: number, ms: number): Promise<void>;
  /** Releases every long-poll (on stop). */
  wakeAll(): void;
}

/** Who a verified web visitor is, as the embedding site vouched for them (WEB_IDENTITY_SECRET). */
export interface WebIdentity {
  userId: string;
  name?: string | undefined;
  email?: string | undefined;
  organisation?: string | undefined;
}

/** What the server keeps of an issued web conversation: never the token itself, only its hash. */
export interface WebAccess {
  /** SHA-256 of the bearer token, hex. */
  tokenHash: string;
  issuedAt: number;
  identity?: WebIdentity | undefined;
}

/**
 * Issued web conversations: only the holder of a conversation's token may post to it or read it.
 * Kept as long as the conversation's pushed replies (touched with every message).
 */
export interface WebAccessStore {
  /** Records a newly issued conversation; false when the id was issued before (never overwritten). */
  issue(conversationId: string, access: WebAccess): Promise<boolean>;
  get(conversationId: string): Promise<WebAccess | undefined>;
  /** Forgets the conversation's credential and its pushed replies (a customer's deletion). */
  forget(conversationId: string): Promise<void>;
}

/** How many requests a key may make in a window; more wait until points are back. */
export interface RateLimitPolicy {
  points: number;
  durationSeconds: number;
}

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** One kind of limit (new conversations per address, messages per conversation). */
export interface RateLimit {
  /** Takes one point for `key`. */
  consume(key: string): Promise<RateLimitDecision>;
}

/** Limits kept where the stores are: in this process, or in Redis shared by every process. */
export interface RateLimits {
  limit(name: string, policy: RateLimitPolicy): RateLimit;
}
