import type { Language } from '../core/language.ts';
import { CentroidIndex } from './centroid-index.ts';
import { FeatureSpace, type SparseVector } from './feature-space.ts';
import { type LabelScorer, LinearModel, type LinearModelOptions } from './linear-model.ts';
import { calibrateScore, type ScorerKind } from './score-calibration.ts';
import { DEFAULT_FEATURE_OPTIONS, type FeatureOptions } from './text-features.ts';

/** One training phrasing: a question of an FAQ entry or an intent example. */
export interface LabelledText {
  label: string;
  text: string;
  /** Known language; detected when missing. */
  language?: Language | undefined;
}

export interface RankedLabel {
  label: string;
  /** Calibrated confidence in [0, 1]. */
  score: number;
  /** Classifier score minus the best other label's (positive only for the winner). */
  margin: number;
  /** Cosine to the closest phrasing of this label. */
  nearest: number;
  /** Cosine to the label's centroid. */
  centroid: number;
}

export interface RankResult {
  language: Language;
  ranked: RankedLabel[];
}

export interface RankerOptions {
  features: FeatureOptions;
  /** Share of the word block in a vector (the rest is character n-grams). */
  wordShare: number;
  linear: Partial<LinearModelOptions>;
  /**
   * Largest features × labels matrix the linear classifier may use (8 bytes per cell while
   * training). Bigger knowledge bases are ranked by centroid similarity, which needs memory only
   * for what occurs.
   */
  maxDenseCells: number;
}

export const DEFAULT_RANKER_OPTIONS: RankerOptions = {
  features: DEFAULT_FEATURE_OPTIONS,
  wordShare: 0.5,
  linear: {},
  maxDenseCells: 12_000_000,
};

/** A label whose closest phrasing is less similar than this is no candidate at all. */
const MIN_NEAREST = 0.1;

/**
 * Ranks labels (FAQ entries, intents) for a message. TF-IDF vectors of word 1–2-grams and
 * character 2–5-grams; a linear classifier orders the labels; the best few are then compared
 * with their nearest phrasing and centroid, and the three signals are mapped to a calibrated
 * score (see score-calibration.ts).
 */
export class IntentRanker {
  readonly labels: readonly string[];
  readonly scorerKind: ScorerKind;
  readonly #space: FeatureSpace;
  readonly #scorer: LabelScorer;
  readonly #centroids: CentroidIndex;
  readonly #phrasings: SparseVector[];
  readonly #phrasingsOfLabel: Int32Array[];
  readonly #query: Float32Array;
  readonly #scores: Float64Array;

  private constructor(items: readonly LabelledText[], options: RankerOptions) {
    const labelIndex = new Map<string, number>();
    for (const item of items) if (!labelIndex.has(item.label)) labelIndex.set(item.label, labelIndex.size);
    this.labels = [...labelIndex.keys()];
    const { space, vectors } = FeatureSpace.build(items, {
      features: options.features,
      wordShare: options.wordShare,
    });
    this.#space = space;
    this.#phrasings = vectors;
    const labels = Int32Array.from(items, (item) => labelIndex.get(item.label) as number);
    const byLabel: number[][] = this.labels.map(() => []);
    labels.forEach((label, i) => {
      byLabel[label]?.push(i);
    });
    this.#phrasingsOfLabel = byLabel.map((list) => Int32Array.from(list));
    const C = this.labels.length;
    this.#centroids = new CentroidIndex(space.dimensions, C, vectors, labels);
    if (C > 1 && space.dimensions * C <= options.maxDenseCells) {
      this.#scorer = LinearModel.train(space.dimensions, C, vectors, labels, options.linear);
      this.scorerKind = 'linear';
    } else {
      this.#scorer = this.#centroids;
      this.scorerKind = 'centroid';
    }
    this.#query = new Float32Array(space.dimensions);
    this.#scores = new Float64Array(C);
  }

  static train(items: readonly LabelledText[], options: Partial<RankerOptions> = {}): IntentRanker {
    return new IntentRanker(items, { ...DEFAULT_RANKER_OPTIONS, ...options });
  }

  get phrasingCount(): number {
    return this.#phrasings.length;
  }

  rank(text: string, options: { hint?: Language | undefined; limit?: number } = {}): RankResult {
    const limit = Math.max(1, options.limit ?? 5);
    const { language, vector } = this.#space.vectorizeQuery(text, options.hint);
    if (vector.ids.length === 0 || this.labels.length === 0) return { language, ranked: [] };
    const scores = this.#scores;
    this.#scorer.scoreAll(vector, scores);
    const top = topIndices(scores, limit + 1);
    const best = scores[top[0] as number] as number;
    const second = top.length > 1 ? (scores[top[1] as number] as number) : 0;
    const dense = this.#query;
    for (let k = 0; k < vector.ids.length; k++) dense[vector.ids[k] as number] = vector.values[k] as number;
    const ranked: RankedLabel[] = [];
    for (const label of top) {
      let nearest = 0;
      for (const p of this.#phrasingsOfLabel[label] ?? []) {
        const similarity = dotDense(dense, this.#phrasings[p] as SparseVector);
        if (similarity > nearest) nearest = similarity;
      }
      if (nearest < MIN_NEAREST) continue;
      const centroid = dotDense(dense, this.#centroids.centroids[label] as SparseVector);
      const own = scores[label] as number;
      const margin = own === best ? best - second : own - best;
      const score = calibrateScore(this.scorerKind, { margin, nearest, centroid });
      ranked.push({ label: this.labels[label] as string, score, margin, nearest, centroid });
    }
    for (let k = 0; k < vector.ids.length; k++) dense[vector.ids[k] as number] = 0;
    // The classifier orders; the calibrated score can reorder close calls.
    ranked.sort((a, b) => b.score - a.score);
    return { language, ranked: ranked.slice(0, limit) };
  }
}

function dotDense(dense: Float32Array, v: SparseVector): number {
  let dot = 0;
  for (let k = 0; k < v.ids.length; k++)
    dot += (dense[v.ids[k] as number] as number) * (v.values[k] as number);
  return dot;
}

/** Indices of the k largest values, largest first (k is small). */
function topIndices(values: Float64Array, k: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (top.length === k && v <= (values[top[k - 1] as number] as number)) continue;
    let at = top.length < k ? top.length : k - 1;
    while (at > 0 && (values[top[at - 1] as number] as number) < v) at--;
    top.splice(at, 0, i);
    if (top.length > k) top.pop();
  }
  return top;
}
