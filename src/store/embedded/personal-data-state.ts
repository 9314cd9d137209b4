import { ERASED, type ErasedRecords, laneBelongsTo, turnKeyBelongsTo } from '../personal-data-port.ts';
import type { Feedback } from '../ports.ts';
import type { EmbeddedState } from './embedded-state.ts';

/** Removes everything the state keeps under a customer's conversations (see PersonalDataStore.erase). */
export function applyErasure(
  state: EmbeddedState,
  request: { conversationIds: readonly string[]; ticketIds: readonly string[] },
): ErasedRecords {
  const ids = new Set(request.conversationIds);
  const ours = (record: { conversationId: string }) => ids.has(record.conversationId);
  let conversations = 0;
  let webConversations = 0;
  for (const id of ids) {
    if (state.conversations.delete(id)) conversations++;
    const known = state.webEvents.conversations.has(id) || state.webEvents.access.has(id);
    state.webEvents.apply({ t: 'web.forget', id });
    if (known) webConversations++;
  }
  let unansweredQuestions = 0;
  for (const [id, question] of state.unanswered) {
    if (!ours(question)) continue;
    state.unanswered.delete(id);
    unansweredQuestions++;
  }
  let rememberedAnswers = 0;
  for (const key of state.responses.keys()) {
    if (!turnKeyBelongsTo(key, request.conversationIds)) continue;
    state.responses.delete(key);
    rememberedAnswers++;
  }
  for (const key of state.dedupe.keys()) {
    if (turnKeyBelongsTo(key, request.conversationIds)) state.dedupe.delete(key);
  }
  const dropIfOurs = <T extends { conversationId: string }>(item: T) => (ours(item) ? undefined : item);
  return {
    conversations,
    feedback: state.feedback.rewrite(dropIfOurs),
    unansweredQuestions,
    loggedQuestions: state.questions.rewrite(dropIfOurs),
    questionOutcomes: state.outcomes.rewrite(dropIfOurs),
    webConversations,
    rememberedAnswers,
    outboxItems: state.outbox.dropLanes((lane) =>
      laneBelongsTo(lane, [...request.conversationIds, ...request.ticketIds]),
    ),
  };
}

/** Retention (see PersonalDataStore.expire). */
export function applyExpiry(state: EmbeddedState, cutoff: number): ErasedRecords {
  const older = (record: { at: number }) => record.at < cutoff;
  let unansweredQuestions = 0;
  for (const [id, question] of state.unanswered) {
    if (!older(question)) continue;
    state.unanswered.delete(id);
    unansweredQuestions++;
  }
  return {
    conversations: 0,
    feedback: state.feedback.rewrite((f) => (older(f) ? withoutFeedbackText(f) : f)),
    unansweredQuestions,
    loggedQuestions: state.questions.rewrite((q) => (older(q) ? undefined : q)),
    questionOutcomes: state.outcomes.rewrite((o) => (older(o) ? undefined : o)),
    webConversations: 0,
    rememberedAnswers: 0,
    outboxItems: 0,
  };
}

/** Feedback as the figures need it: the rating of an entry, nothing of who or what was written. */
export function withoutFeedbackText(feedback: Feedback): Feedback {
  if (feedback.conversationId === ERASED && feedback.reason === undefined && feedback.question === undefined)
    return feedback;
  const { reason: _reason, question: _question, ...rest } = feedback;
  return { ...rest, conversationId: ERASED };
}
