import { decideMatch, type MatchResult, type MatchThresholds } from '../../core/match.ts';

/** Why the bot decided as it did, as a code and the numbers behind it (the console words it). */
export type MatchReason =
  | { code: 'out-of-scope' }
  | { code: 'nothing-similar' }
  | { code: 'small-talk'; intent: string; score: number; threshold: number }
  | { code: 'one-word'; entries: string[]; sum: number; threshold: number }
  | {
      code: 'close-pair';
      best: number;
      runnerUp: number;
      difference: number;
      margin: number;
      sum: number;
      threshold: number;
    }
  | { code: 'clear'; best: number; threshold: number; difference: number | null; margin: number }
  | { code: 'below-threshold'; best: number; threshold: number };

export interface MatchExplanation {
  decision: 'answer' | 'offer' | 'none';
  reason: MatchReason;
}

/** decideMatch, with the rule that decided. */
export function explainMatch(result: MatchResult, thresholds: MatchThresholds): MatchExplanation {
  const { threshold, margin } = thresholds;
  const verdict = decideMatch(result, thresholds);
  const [best, second] = result.candidates;
  if (result.outOfScope) return { decision: 'none', reason: { code: 'out-of-scope' } };
  if (!best) return { decision: 'none', reason: { code: 'nothing-similar' } };
  const round = (n: number) => Math.round(n * 1000) / 1000;
  if (verdict.kind === 'ambiguous') {
    const [a, b] = verdict.options;
    const sum = round((a?.score ?? 0) + (b?.score ?? 0));
    if (result.broad && (a?.score ?? 0) - (b?.score ?? 0) >= margin) {
      return {
        decision: 'offer',
        reason: { code: 'one-word', entries: verdict.options.map((o) => o.id), sum, threshold },
      };
    }
    return {
      decision: 'offer',
      reason: {
        code: 'close-pair',
        best: round(a?.score ?? 0),
        runnerUp: round(b?.score ?? 0),
        difference: round((a?.score ?? 0) - (b?.score ?? 0)),
        margin,
        sum,
        threshold,
      },
    };
  }
  if (verdict.kind === 'clear' && best.kind === 'intent') {
    return {
      decision: 'none',
      reason: { code: 'small-talk', intent: best.id, score: round(best.score), threshold },
    };
  }
  if (verdict.kind === 'clear') {
    return {
      decision: 'answer',
      reason: {
        code: 'clear',
        best: round(best.score),
        threshold,
        difference: second ? round(best.score - second.score) : null,
        margin,
      },
    };
  }
  return { decision: 'none', reason: { code: 'below-threshold', best: round(best.score), threshold } };
}
