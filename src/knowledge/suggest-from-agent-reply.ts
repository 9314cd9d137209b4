import type { Clock } from '../core/clock.ts';
import type { Language } from '../core/language.ts';
import type { Stores } from '../core/ports.ts';
import { type CurationProblem, MAX_ANSWER_LENGTH } from './check-faq-draft.ts';
import type { SuggestOutcome } from './curation-outcome.ts';
import { auditKnowledgeChange } from './knowledge-audit.ts';

export interface AgentReplySuggestion {
  /** The ticket the agent answered; its summary is the customer's question. */
  ticketId?: string | undefined;
  /** The agent's answer. */
  text: string;
  agent: string;
  /** The question, when the agent wrote it down (Slack "Save as FAQ" modal); else from the ticket. */
  question?: string | undefined;
  language?: Language | undefined;
}

/**
 * "Save as FAQ" on an agent's reply: files the customer's question with the agent's answer as
 * a proposal in the unanswered-questions inbox, where a curator turns it into an entry.
 */
export async function suggestFromAgentReply(
  stores: Pick<Stores, 'tickets' | 'unanswered' | 'audit'>,
  clock: Clock,
  input: AgentReplySuggestion,
): Promise<SuggestOutcome> {
  const ticket = input.ticketId ? await stores.tickets.get(input.ticketId) : undefined;
  if (input.ticketId && !ticket && !input.question) {
    return {
      ok: false,
      code: 'ticket_not_found',
      problems: [{ field: 'ticketId', message: `no ticket ${input.ticketId}` }],
    };
  }
  const answer = input.text.trim();
  const question =
    input.question?.trim() ||
    ticket?.details.summary?.trim() ||
    ticket?.transcript.find((line) => line.from === 'customer')?.text.trim() ||
    '';
  const language = input.language ?? ticket?.language;
  const problems: CurationProblem[] = [];
  if (answer.length < 10)
    problems.push({ field: 'text', message: 'write the answer (at least 10 characters)' });
  if (answer.length > MAX_ANSWER_LENGTH) {
    problems.push({ field: 'text', message: `the answer is longer than ${MAX_ANSWER_LENGTH} characters` });
  }
  if (question.length < 2)
    problems.push({ field: 'question', message: 'say which question the answer is for' });
  if (!language) problems.push({ field: 'language', message: 'say the language (de or en)' });
  if (problems.length > 0 || !language) return { ok: false, code: 'invalid_suggestion', problems };

  // A repeated click on "Save as FAQ" must not file the same proposal twice.
  const open = await stores.unanswered.list('open');
  const same = open.find(
    (q) =>
      q.proposedAnswer?.text === answer &&
      q.proposedAnswer.ticketId === input.ticketId &&
      q.text === question,
  );
  if (same) return { ok: true, question: same };

  const filed = await stores.unanswered.add({
    at: clock.now(),
    text: question,
    language,
    conversationId: ticket?.conversation.conversationId ?? `ticket:${input.ticketId ?? 'none'}`,
    proposedAnswer: { text: answer, by: input.agent, ticketId: input.ticketId },
  });
  await auditKnowledgeChange(
    stores.audit,
    clock.now(),
    { actor: input.agent },
    'faq.suggest',
    filed.id,
    undefined,
    input.ticketId,
  );
  return { ok: true, question: filed };
}
