import { decideMatch, type Matcher, type MatchThresholds, type Verdict } from '../../src/core/match.ts';

/** The label of a question the bot should not answer (out of scope). */
export const OUT_OF_SCOPE_LABEL = 'oos';

export interface LabelledQuestion {
  text: string;
  /** The FAQ entry or intent id that is right, or `oos`. */
  label: string;
}

/** What the thresholds make of one labelled question. */
export type VerdictOutcome =
  | 'clear-right'
  | 'clear-wrong'
  | 'ambiguous-with-right'
  | 'ambiguous-without-right'
  | 'none'
  | 'oos-answered'
  | 'oos-ambiguous'
  | 'oos-none';

export type VerdictTally = Record<VerdictOutcome, number> & { inScope: number; outOfScope: number };

export function judgeVerdict(verdict: Verdict, label: string): VerdictOutcome {
  if (label === OUT_OF_SCOPE_LABEL) {
    if (verdict.kind === 'clear') return 'oos-answered';
    return verdict.kind === 'ambiguous' ? 'oos-ambiguous' : 'oos-none';
  }
  switch (verdict.kind) {
    case 'clear':
      return verdict.best.id === label ? 'clear-right' : 'clear-wrong';
    case 'ambiguous':
      return verdict.options.some((o) => o.id === label) ? 'ambiguous-with-right' : 'ambiguous-without-right';
    case 'none':
      return 'none';
  }
}

/**
 * Counts how the thresholds decide a labelled question set: in scope, answered right or wrong,
 * "Did you mean" with or without the right entry, or not understood; out of scope, wrongly
 * answered, offered choices, or rightly not answered. For choosing MATCH_THRESHOLD / MATCH_MARGIN.
 */
export function tallyVerdicts(
  matcher: Matcher,
  questions: readonly LabelledQuestion[],
  thresholds: MatchThresholds,
): VerdictTally {
  const tally: VerdictTally = {
    'clear-right': 0,
    'clear-wrong': 0,
    'ambiguous-with-right': 0,
    'ambiguous-without-right': 0,
    none: 0,
    'oos-answered': 0,
    'oos-ambiguous': 0,
    'oos-none': 0,
    inScope: 0,
    outOfScope: 0,
  };
  for (const question of questions) {
    const outcome = judgeVerdict(decideMatch(matcher.match(question.text), thresholds), question.label);
    tally[outcome] += 1;
    if (question.label === OUT_OF_SCOPE_LABEL) tally.outOfScope += 1;
    else tally.inScope += 1;
  }
  return tally;
}
