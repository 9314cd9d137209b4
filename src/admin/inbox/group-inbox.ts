import type { Language } from '../../core/language.ts';
import type { UnansweredQuestion } from '../../core/ports.ts';
import type { SparseVector } from '../../understanding/feature-space.ts';
import { groupByMeaning } from '../../understanding/group-by-meaning.ts';

/** Questions of one meaning, as the inbox shows them. */
export interface InboxGroup {
  /** The id of its first question. */
  id: string;
  count: number;
  questionIds: string[];
  /** Distinct wordings, most frequent first (at most 5). */
  examples: string[];
  firstSeen: number;
  lastSeen: number;
  languages: Language[];
  /** The FAQ entries the bot hesitated between, most often first. */
  hesitated: { id: string; count: number; bestScore: number }[];
  /** How the questions came: not understood, "none of these", negative feedback, … */
  sources: Record<string, number>;
  /** An agent's proposed answer ("Save as FAQ"), the latest. */
  proposedAnswer?: { text: string; by: string } | undefined;
}

const EXAMPLES = 5;

/**
 * The open questions grouped by meaning with the matcher's similarity: biggest groups first, then
 * the most recent. `vectorize` is the Understanding's similarityVectors.
 */
export function groupInbox(
  questions: readonly UnansweredQuestion[],
  vectorize: (texts: { text: string; language: Language }[]) => SparseVector[],
): InboxGroup[] {
  const ordered = [...questions].sort((a, b) => a.at - b.at);
  const vectors = vectorize(ordered.map((q) => ({ text: q.text, language: q.language })));
  const groups = groupByMeaning(vectors).map((indices) =>
    describe(indices.map((i) => ordered[i] as UnansweredQuestion)),
  );
  return groups.sort((a, b) => b.count - a.count || b.lastSeen - a.lastSeen);
}

function describe(questions: UnansweredQuestion[]): InboxGroup {
  const wordings = new Map<string, number>();
  const hesitated = new Map<string, { count: number; bestScore: number }>();
  const sources: Record<string, number> = {};
  for (const q of questions) {
    const text = q.text.trim();
    wordings.set(text, (wordings.get(text) ?? 0) + 1);
    for (const c of q.candidates ?? (q.bestGuess ? [q.bestGuess] : [])) {
      const seen = hesitated.get(c.id) ?? { count: 0, bestScore: 0 };
      hesitated.set(c.id, { count: seen.count + 1, bestScore: Math.max(seen.bestScore, c.score) });
    }
    const source = q.proposedAnswer ? 'agent-suggestion' : (q.source ?? 'not-understood');
    sources[source] = (sources[source] ?? 0) + 1;
  }
  const first = questions[0] as UnansweredQuestion;
  const proposal = questions.findLast((q) => q.proposedAnswer)?.proposedAnswer;
  return {
    id: first.id,
    count: questions.length,
    questionIds: questions.map((q) => q.id),
    examples: [...wordings]
      .sort((a, b) => b[1] - a[1])
      .slice(0, EXAMPLES)
      .map(([text]) => text),
    firstSeen: first.at,
    lastSeen: (questions.at(-1) as UnansweredQuestion).at,
    languages: [...new Set(questions.map((q) => q.language))],
    hesitated: [...hesitated]
      .map(([id, h]) => ({ id, ...h }))
      .sort((a, b) => b.count - a.count || b.bestScore - a.bestScore)
      .slice(0, 3),
    sources,
    ...(proposal ? { proposedAnswer: { text: proposal.text, by: proposal.by } } : {}),
  };
}
