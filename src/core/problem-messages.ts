import type { Conversation, ProblemMessage } from './conversation.ts';
import type { Candidate, MatchResult } from './match.ts';

/** Problem messages kept per conversation: enough for one ticket, small enough to store every turn. */
const MAX_PROBLEMS = 5;
/** FAQ entries kept per message and on a ticket (what an agent reads at a glance). */
const MAX_CANDIDATES = 5;

/** The FAQ entries among a message's candidates, best first; intents are no help to an agent. */
export function faqCandidates(match: Pick<MatchResult, 'candidates'> | undefined): Candidate[] {
  return (match?.candidates ?? []).filter((c) => c.kind === 'faq').slice(0, MAX_CANDIDATES);
}

/**
 * Notes a message about the problem (answered from the FAQ, "Did you mean", not understood) as
 * the latest. The same message again ("None of these" asks about it once more) keeps its place.
 */
export function noteProblem(conversation: Conversation, text: string, match: MatchResult | undefined): void {
  const problems = conversation.problems ?? [];
  if (problems.at(-1)?.text === text) return;
  conversation.problems = [...problems, { text, candidates: faqCandidates(match) }].slice(-MAX_PROBLEMS);
}

/** The customer's latest message about the problem: what the intake proposes as the summary. */
export function latestProblem(conversation: Pick<Conversation, 'problems'>): ProblemMessage | undefined {
  return conversation.problems?.at(-1);
}

/**
 * The FAQ entries a ticket lists as the bot's candidates. When the summary is a problem message
 * (the proposal accepted; a long one is cut to the field's length), that message's candidates.
 * When the customer wrote a summary of their own: those of the summary (`ofSummary`, asked only
 * then) and of every problem message of the conversation, each entry once with its best score.
 */
export async function ticketCandidates(
  problems: readonly ProblemMessage[] = [],
  summary: string | undefined,
  ofSummary: (summary: string) => Promise<Candidate[]>,
): Promise<Candidate[]> {
  if (!summary) return mergeCandidates(problems.map((p) => p.candidates));
  const source = problems.findLast((p) => p.text.startsWith(summary));
  if (source) return source.candidates.slice(0, MAX_CANDIDATES);
  return mergeCandidates([await ofSummary(summary), ...problems.map((p) => p.candidates)]);
}

function mergeCandidates(lists: readonly Candidate[][]): Candidate[] {
  const best = new Map<string, Candidate>();
  for (const candidate of lists.flat()) {
    const known = best.get(candidate.id);
    if (candidate.kind === 'faq' && (!known || candidate.score > known.score))
      best.set(candidate.id, candidate);
  }
  return [...best.values()].sort((a, b) => b.score - a.score).slice(0, MAX_CANDIDATES);
}
