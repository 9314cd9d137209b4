/** Options shared by every store implementation. */
export interface StoreOptions {
  /** Time source; tests pass a manual clock. Expiry of conversations and dedupe keys follows it. */
  clock?: { now(): number } | undefined;
  /** Idle time after which a conversation is forgotten. Default 30 days. */
  conversationTtlMs?: number | undefined;
  /** How many feedback entries, audit events and unanswered questions are kept. Default 10,000 each. */
  listCap?: number | undefined;
  /** Where store warnings go (torn journal line, unreadable record). Default: console.warn. */
  warn?: ((message: string) => void) | undefined;
}

export const storeDefaults = {
  conversationTtlMs: 30 * 24 * 60 * 60 * 1000,
  listCap: 10_000,
  /** Ticket numbers start after this, so the first ticket is SUP-1001. */
  firstTicketNumber: 1001,
  ticketPrefix: 'SUP-',
  /** How long a delivered outbox item's id is remembered (an add with it again is ignored). */
  outboxDoneTtlMs: 7 * 24 * 60 * 60 * 1000,
  /** Pushed web replies kept per conversation (oldest dropped first). */
  webEventsPerConversation: 200,
  /** Web conversations with nothing pushed or asked this long are forgotten. */
  webEventRetentionMs: 14 * 24 * 60 * 60 * 1000,
} as const;

export const systemStoreClock = { now: (): number => Date.now() };

export function defaultStoreWarn(message: string): void {
  console.warn(`[store] ${message}`);
}
