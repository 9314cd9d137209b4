import type { Reply } from '../../core/reply.ts';

/** One reply pushed to a web conversation later (agent relay, resolve notice), with its cursor. */
export interface WebEvent {
  /** Increasing per conversation, starting at 1; the client sends the last one it saw as `after`. */
  seq: number;
  at: number;
  reply: Reply;
}

/**
 * Where pushed replies for web conversations wait until the page fetches them. The file-backed
 * WebEventLog serves one process (the embedded default); RedisWebEventLog serves several
 * processes behind one load balancer, so a reply pushed by one reaches a page polling another.
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
  /** Waits for pending writes and releases connections. */
  close(): Promise<void>;
}
