import type { SynonymTable } from './german-synonyms.ts';
import type { LinearModelOptions } from './linear-model.ts';
import { DEFAULT_FEATURE_OPTIONS, type FeatureOptions } from './text-features.ts';
import { vectorOptions, type WordVectors } from './word-vectors.ts';

/** How the intent ranker is built: features, classifier, and the meaning signals it adds. */
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
  /** English word vectors for the meaning signals (word-meaning-index.ts); null switches them off. */
  wordVectors: WordVectors | null;
  /** Weight of the mean-vector classifier's scores added to the first stage's. */
  meaningWeight: number;
  /** English sentence-word vectors (distilled-sentence-vectors.ts) that re-order the best candidates; null: off. */
  sentenceVectors: WordVectors | null;
  /** German synonyms (german-synonyms.ts) for a message's words the phrasings do not use; null: off. */
  germanSynonyms: SynonymTable | null;
}

export const DEFAULT_RANKER_OPTIONS: RankerOptions = {
  features: DEFAULT_FEATURE_OPTIONS,
  wordShare: 0.5,
  linear: {},
  maxDenseCells: 12_000_000,
  wordVectors: null,
  meaningWeight: 0.3,
  sentenceVectors: null,
  germanSynonyms: null,
};

/** The options a ranker is trained with: the given ones, the defaults and the shipped vectors for the rest. */
export function rankerSettings(options: Partial<RankerOptions> = {}): RankerOptions {
  return { ...DEFAULT_RANKER_OPTIONS, ...vectorOptions(), ...options };
}

/**
 * A built ranker as plain data (see index-cache.ts), without the word vectors it was built with:
 * restored with the same vectors, it ranks exactly as the ranker it was taken of.
 */
