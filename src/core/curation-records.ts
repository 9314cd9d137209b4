import type { Clock } from './clock.ts';
import { countToday } from './counters.ts';
import type { Candidate } from './match.ts';
import type { Stores, UnansweredQuestion } from './ports.ts';
import { faqCandidates, latestProblem } from './problem-messages.ts';
import type { TurnContext } from './turn-context.ts';

// What the bot writes down for curators while it answers: the questions it tried, those it could
// not answer (the inbox), and feedback with what it says about the right answer (the tuning).

const INBOX_CANDIDATES = 3;

function scored(candidates: readonly Candidate[]): { id: string; score: number }[] {
  return candidates.slice(0, INBOX_CANDIDATES).map((c) => ({ id: c.id, score: c.score }));
}

/** A question for the curators' inbox, with the entries the bot hesitated between. */
export async function recordUnanswered(
  stores: Stores,
  clock: Clock,
  context: TurnContext,
  input: {
    question: string;
    source: NonNullable<UnansweredQuestion['source']>;
    /** The candidates that were offered ("None of these"); else the message's own. */
    offered?: readonly Candidate[] | undefined;
  },
): Promise<void> {
  const best = context.match?.candidates[0];
  await stores.unanswered.add({
    at: context.now,
    text: input.question,
    language: context.language,
    conversationId: context.conversation.id,
    bestGuess: best ? { id: best.id, score: best.score } : undefined,
    candidates: scored(input.offered ?? faqCandidates(context.match)),
    source: input.source,
  });
  await countToday(stores, clock, 'unanswered');
}

/**
 * Every message the bot tried to answer from the FAQ (not small talk), with its candidates: what
 * the tuning replays at other thresholds once the right answer is known.
 */
export async function logQuestion(stores: Stores, context: TurnContext, text: string): Promise<void> {
  const { match, verdict } = context;
  if (!match || text === '' || (verdict.kind === 'clear' && verdict.best.kind === 'intent')) return;
  await stores.questions.add({
    at: context.now,
    conversationId: context.conversation.id,
    text,
    language: context.language,
    candidates: match.candidates.slice(0, 5).map((c) => ({ kind: c.kind, id: c.id, score: c.score })),
    ...(match.outOfScope ? { outOfScope: true } : {}),
    ...(match.broad ? { broad: match.broad } : {}),
  });
}

/**
 * Feedback on an answer: kept as such, told to the tuning (this entry answers the question, or
 * does not), and when it did not help, the question goes to the inbox.
 */
export async function recordFeedback(
  stores: Stores,
  context: TurnContext,
  input: { entryId: string; helpful: boolean; reason?: string | undefined },
): Promise<void> {
  const problem = latestProblem(context.conversation);
  const question = problem?.text;
  const conversationId = context.conversation.id;
  await stores.feedback.add({
    at: context.now,
    conversationId,
    entryId: input.entryId,
    language: context.language,
    helpful: input.helpful,
    reason: input.reason,
    question,
  });
  if (!question) return;
  await stores.questions.addOutcome({
    at: context.now,
    conversationId,
    text: question,
    ...(input.helpful ? { right: input.entryId } : { wrong: input.entryId }),
    by: 'feedback',
  });
  if (!input.helpful) {
    await stores.unanswered.add({
      at: context.now,
      text: question,
      language: context.language,
      conversationId,
      candidates: scored(problem?.candidates ?? []),
      source: 'negative-feedback',
    });
  }
}
