import type { Language } from '../core/language.ts';
import type { AnalyzedText } from './analyze-text.ts';
import { centroidsSteps } from './centroid-index.ts';
import { FeatureSpace, type SparseVector } from './feature-space.ts';
import { PhrasingRows } from './phrasing-rows.ts';
import { type RankerOptions, rankerSettings } from './ranker-options.ts';
import type { LabelledText } from './ranker-types.ts';
import type { BuildSteps } from './run-steps.ts';
import { fewPhrasings, WordMeaningIndex } from './word-meaning-index.ts';

/**
 * What a ranker's training computes from the phrasings alone: the same whichever classifier the
 * training starts from. An edit trains twice (a quick index, then one afresh; see
 * Understanding.replaceEntriesAsync): both are fitted on one groundwork, which is read, never
 * changed, by the fit.
 */
export interface RankerGroundwork {
  settings: RankerOptions;
  labels: string[];
  space: FeatureSpace;
  vectors: SparseVector[];
  languages: Language[];
  analyzed: AnalyzedText[];
  /** Each phrasing's label, as an index into `labels`. */
  labelOf: Int32Array;
  phrasings: PhrasingRows;
  /** Centroid of each group g = 2 × label + (German ? 0 : 1). */
  centroids: SparseVector[];
  /** Whether the linear classifier fits the budget (else the centroid ranker). */
  linear: boolean;
  /** Few phrasings per label: word and sentence meaning keep their nearest phrasings. */
  few: boolean;
  meaning: WordMeaningIndex | null;
}

/** The groundwork of a ranker for `items`, in small steps (see run-steps.ts). */
export function* rankerGroundworkSteps(
  items: readonly LabelledText[],
  options: Partial<RankerOptions> = {},
): BuildSteps<RankerGroundwork> {
  const settings = rankerSettings(options);
  const labelIndex = new Map<string, number>();
  for (const item of items) if (!labelIndex.has(item.label)) labelIndex.set(item.label, labelIndex.size);
  const labels = [...labelIndex.keys()];
  const built = yield* FeatureSpace.buildSteps(items, {
    features: settings.features,
    wordShare: settings.wordShare,
  });
  const { space, vectors, languages, analyzed } = built;
  const labelOf = Int32Array.from(items, (item) => labelIndex.get(item.label) as number);
  const C = labels.length;
  const phrasings = yield* PhrasingRows.buildSteps(vectors, labelOf, languages, C, space.dimensions);
  const groups = Int32Array.from(labelOf, (label, i) => 2 * label + (languages[i] === 'de' ? 0 : 1));
  const centroids = yield* centroidsSteps(2 * C, vectors, groups);
  const linear = C > 1 && space.dimensions * C <= settings.maxDenseCells;
  // Not with the centroid ranker of big knowledge bases: the mean-vector classifier would be a
  // dense labels × 100 matrix trained over every phrasing (40 s for 5,000 entries).
  const few = fewPhrasings(languages, labelOf);
  const meaning =
    settings.wordVectors && linear && few
      ? yield* WordMeaningIndex.buildSteps(settings.wordVectors, analyzed, labelOf, C)
      : null;
  return {
    settings,
    labels,
    space,
    vectors,
    languages,
    analyzed,
    labelOf,
    phrasings,
    centroids,
    linear,
    few,
    meaning,
  };
}
