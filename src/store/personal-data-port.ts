/**
 * What a store removes for a customer's erasure (DSGVO Art. 17) or for retention. Tickets are not
 * in here: they keep their figures for reports and lose their personal fields through the ticket
 * store's own update (see withoutPersonalData), before `erase` runs.
 */
export interface ErasureRequest {
  /** Everything kept under these conversations goes: state, transcript, logs, web access, answers. */
  conversationIds: readonly string[];
  /**
   * Waiting outbox items in lanes that end with `:<id>` for one of these ids (and the
   * conversations') are dropped: replies to the customer, relays and card changes of their tickets.
   */
  ticketIds: readonly string[];
}

/** How many records an erasure or a retention sweep removed or stripped, by kind. */
export interface ErasedRecords {
  conversations: number;
  feedback: number;
  unansweredQuestions: number;
  loggedQuestions: number;
  questionOutcomes: number;
  webConversations: number;
  rememberedAnswers: number;
  outboxItems: number;
}

export const NOTHING_ERASED: ErasedRecords = {
  conversations: 0,
  feedback: 0,
  unansweredQuestions: 0,
  loggedQuestions: 0,
  questionOutcomes: 0,
  webConversations: 0,
  rememberedAnswers: 0,
  outboxItems: 0,
};

export function sumErased(a: ErasedRecords, b: ErasedRecords): ErasedRecords {
  const out = { ...a };
  for (const key of Object.keys(out) as (keyof ErasedRecords)[]) out[key] += b[key];
  return out;
}

export function describeErased(records: ErasedRecords): string {
  return Object.entries(records)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
}

/**
 * Removal of personal data. Both operations leave nothing of the removed text in the store's
 * files: the embedded store rewrites its snapshot and drops the journals that held it.
 */
export interface PersonalDataStore {
  erase(request: ErasureRequest): Promise<ErasedRecords>;
  /**
   * Retention: question logs, outcomes and unanswered questions from before `cutoff` go; older
   * feedback keeps its rating (for the figures) without its texts and conversation.
   */
  expire(cutoff: number): Promise<ErasedRecords>;
}

/** Where a customer's items wait in the outbox: lanes named after their conversation or ticket. */
export function laneBelongsTo(lane: string, ids: readonly string[]): boolean {
  return ids.some((id) => lane.endsWith(`:${id}`));
}

/** A feedback or log entry's conversation after retention removed it. */
export const ERASED = 'erased';

/** Remembered answers and seen turn ids of a web conversation are keyed `turn:<conversation>:…`. */
export function turnKeyBelongsTo(key: string, ids: readonly string[]): boolean {
  return ids.some((id) => key.startsWith(`turn:${id}:`));
}
