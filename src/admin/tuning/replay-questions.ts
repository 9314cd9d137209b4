import type { Candidate, MatchThresholds, Verdict } from '../../core/match.ts';
import { decideMatch } from '../../core/match.ts';
import type { LoggedQuestion, QuestionOutcome } from '../../core/ports.ts';

/** What is known of a logged question's right answer, gathered from every outcome about it. */
export interface KnownAnswer {
  /** The entry that answers it; null: none does. Undefined: not known. */
  right?: string | null | undefined;
  wrong: Set<string>;
}

/** What the bot does with a question at some thresholds: answer, offer, or not answer. */
export type Decision =
  | { kind: 'answer'; entry: string }
  | { kind: 'offer'; entries: string[] }
  | { kind: 'none' };

const RANK: Record<QuestionOutcome['by'], number> = { agent: 0, feedback: 1, curator: 2 };

export function questionKey(conversationId: string, text: string): string {
  return `${conversationId}\u0000${text.trim().toLocaleLowerCase('de')}`;
}

/**
 * The outcomes per question: a curator's word outweighs feedback, feedback an agent's
 * resolution; among equals the latest counts. Wrong entries add up.
 */
export function knownAnswers(outcomes: readonly QuestionOutcome[]): Map<string, KnownAnswer> {
  const known = new Map<string, KnownAnswer & { rank: number; at: number }>();
  for (const outcome of outcomes) {
    const key = questionKey(outcome.conversationId, outcome.text);
    const entry = known.get(key) ?? { wrong: new Set<string>(), rank: -1, at: -1 };
    if (outcome.wrong) entry.wrong.add(outcome.wrong);
    const rank = RANK[outcome.by];
    if (
      outcome.right !== undefined &&
      (rank > entry.rank || (rank === entry.rank && outcome.at > entry.at))
    ) {
      entry.right = outcome.right;
      entry.rank = rank;
      entry.at = outcome.at;
    }
    known.set(key, entry);
  }
  return known;
}

export function decide(question: LoggedQuestion, thresholds: MatchThresholds): Decision {
  const candidates: Candidate[] = question.outOfScope
    ? []
    : question.candidates.map((c) => ({ ...c, title: c.id }));
  const verdict: Verdict = decideMatch(
    { language: question.language, candidates, broad: question.broad },
    thresholds,
  );
  if (verdict.kind === 'clear' && verdict.best.kind === 'faq')
    return { kind: 'answer', entry: verdict.best.id };
  if (verdict.kind === 'ambiguous') return { kind: 'offer', entries: verdict.options.map((o) => o.id) };
  return { kind: 'none' };
}

export interface CurvePoint {
  threshold: number;
  /** Questions answered with one entry, of those with a known outcome. */
  answered: number;
  /** Of those answered, how many with the right entry, and how many with a wrong one. */
  right: number;
  wrong: number;
  /** "Did you mean" offers. */
  offered: number;
  coverage: number;
  /** right / (right + wrong); null when none answered is judged. */
  precision: number | null;
}

/** Thresholds the curve is drawn at: 0.05 to 0.95, and the one in force. */
export function curveThresholds(current: number): number[] {
  const steps = Array.from({ length: 19 }, (_, i) => Math.round((i + 1) * 5) / 100);
  return [...new Set([...steps, current])].sort((a, b) => a - b);
}

/**
 * Replays the logged questions with a known outcome at each threshold (the margin as it is):
 * how many would be answered (coverage) and how many of those rightly (precision).
 */
export function coverageCurve(
  questions: readonly LoggedQuestion[],
  known: Map<string, KnownAnswer>,
  margin: number,
  thresholds: readonly number[],
): { judged: number; points: CurvePoint[] } {
  const judged = questions.flatMap((q) => {
    const answer = known.get(questionKey(q.conversationId, q.text));
    return answer && (answer.right !== undefined || answer.wrong.size > 0) ? [{ q, answer }] : [];
  });
  const points = thresholds.map((threshold): CurvePoint => {
    let answered = 0;
    let right = 0;
    let wrong = 0;
    let offered = 0;
    for (const { q, answer } of judged) {
      const decision = decide(q, { threshold, margin });
      if (decision.kind === 'offer') offered++;
      if (decision.kind !== 'answer') continue;
      answered++;
      if (answer.right === decision.entry) right++;
      else if (answer.wrong.has(decision.entry) || answer.right !== undefined) wrong++;
    }
    return {
      threshold,
      answered,
      right,
      wrong,
      offered,
      coverage: judged.length === 0 ? 0 : answered / judged.length,
      precision: right + wrong === 0 ? null : right / (right + wrong),
    };
  });
  return { judged: judged.length, points };
}

export interface ChangedQuestion {
  at: number;
  text: string;
  language: string;
  before: Decision;
  after: Decision;
  /** The right entry when known (null: none of the FAQ). */
  right?: string | null | undefined;
}

/** The recent questions the bot would now treat differently. */
export function changedQuestions(
  questions: readonly LoggedQuestion[],
  known: Map<string, KnownAnswer>,
  current: MatchThresholds,
  proposed: MatchThresholds,
): ChangedQuestion[] {
  const same = (a: Decision, b: Decision) => JSON.stringify(a) === JSON.stringify(b);
  return questions.flatMap((q) => {
    const before = decide(q, current);
    const after = decide(q, proposed);
    if (same(before, after)) return [];
    const right = known.get(questionKey(q.conversationId, q.text))?.right;
    return [
      {
        at: q.at,
        text: q.text,
        language: q.language,
        before,
        after,
        ...(right === undefined ? {} : { right }),
      },
    ];
  });
}
