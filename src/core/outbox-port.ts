/** The outbox port: one durable queue of every customer-visible effect. */

/** One effect waiting in the outbox: a message to a customer, a ticket card, a webhook call. */
export interface OutboxItem {
  /** Unique and stable: an item added again with the same id (a retried turn) is added once. */
  id: string;
  /** The destination: items of one lane are delivered one at a time, in the order added. */
  lane: string;
  /** Which handler delivers it (`reply`, `ticket-listener:slack-cards`, ...). */
  kind: string;
  payload: unknown;
  at: number;
  /** Failed attempts so far. */
  attempts: number;
  /** An earlier take of it was never finished (its process died): it may have happened; check if possible. */
  interrupted: boolean;
}

export type NewOutboxItem = Pick<OutboxItem, 'id' | 'lane' | 'kind' | 'payload'>;

/**
 * The one durable outbox of every customer-visible effect. Items wait in their lane (one per
 * destination) in the order added; `take` leases a lane to one process and hands out its first
 * item; `done` removes it (its id is remembered, so adding it again changes nothing) and frees the
 * lane; `retry` keeps it first in its lane until `retryAt`. A lease that runs out (its process died)
 * frees the lane for another process, which gets the item marked `interrupted`.
 */
export interface Outbox {
  add(items: NewOutboxItem[]): Promise<void>;
  /** First items of up to `max` due, unleased lanes, each lane now leased to `consumer` for leaseMs. */
  take(consumer: string, max: number, leaseMs: number): Promise<OutboxItem[]>;
  done(item: OutboxItem, consumer: string): Promise<void>;
  /** `failed: false` defers it (a busy destination): not counted in `attempts`. */
  retry(item: OutboxItem, consumer: string, retryAt: number, failed?: boolean): Promise<void>;
  /** Renews the leases `consumer` still holds on these items' lanes (a delivery taking long). */
  extend(items: OutboxItem[], consumer: string, leaseMs: number): Promise<void>;
  /** Items waiting, and lanes waiting for a retry (for /metrics and tests). */
  size(): Promise<{ items: number; retrying: number }>;
}
