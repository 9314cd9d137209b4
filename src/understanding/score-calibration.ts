/** Which first stage produced the margins: the linear classifier or centroid similarity. */
export type ScorerKind = 'linear' | 'centroid';

export interface ScoreSignals {
  /** First-stage score minus the best other label's (negative for all but the winner). */
  margin: number;
  /** Cosine to the label's closest phrasing. */
  nearest: number;
  /** Cosine to the label's centroid. */
  centroid: number;
  /** Word alignment (word-meaning-index.ts); undefined for German or without word vectors. */
  alignment?: number | undefined;
  /** Share of the message's content words the label's phrasings use (IntentRanker). */
  coverage?: number | undefined;
}

/**
 * Logistic curves mapping the signals to P(right answer), fitted on held-out questions (see
 * BENCHMARKS.md, "Calibration"). All signals are absolute (cosines) or margins between two labels,
 * none a share of a softmax over all labels, so a threshold means the same on 10 or 5,000 entries.
 */
const COEFFICIENTS: Record<
  ScorerKind,
  { bias: number; margin: number; nearest: number; centroid: number; coverage: number }
> = {
  linear: { bias: -2.707, margin: 3.994, nearest: 0.635, centroid: 3.144, coverage: 1.21 },
  centroid: { bias: -3.421, margin: 12.104, nearest: 2.329, centroid: 1.586, coverage: 1.969 },
};

/**
 * With word vectors (English), the margins include the meaning classifier's scores and the
 * alignment is a fourth signal: a curve of its own, fitted the same way. Only the linear ranker
 * uses word meaning (see IntentRanker).
 */
const WITH_MEANING = {
  bias: -2.922,
  margin: 3.294,
  nearest: 1.385,
  centroid: 2.857,
  alignment: 0.071,
  coverage: 1.341,
};

export function calibrateScore(kind: ScorerKind, signals: ScoreSignals): number {
  const c = COEFFICIENTS[kind];
  const coverage = signals.coverage ?? 1;
  let z =
    c.bias +
    c.margin * signals.margin +
    c.nearest * signals.nearest +
    c.centroid * signals.centroid +
    c.coverage * coverage;
  if (signals.alignment !== undefined && kind === 'linear') {
    const m = WITH_MEANING;
    z =
      m.bias +
      m.margin * signals.margin +
      m.nearest * signals.nearest +
      m.centroid * signals.centroid +
      m.alignment * signals.alignment +
      m.coverage * coverage;
  }
  return 1 / (1 + Math.exp(-z));
}
