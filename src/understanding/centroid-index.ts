import type { SparseVector } from './feature-space.ts';
import type { LabelScorer } from './linear-model.ts';
import { type BuildSteps, mapInSteps, runSteps } from './run-steps.ts';

/**
 * Centroids (mean of the phrasing vectors, L2-normalised) of groups of phrasings, each a sparse
 * vector. The ranker groups by label and language: a German and an English centroid per FAQ
 * entry, since their mean would be close to neither.
 */
export function* centroidsSteps(
  groupCount: number,
  vectors: readonly SparseVector[],
  groups: Int32Array,
): BuildSteps<SparseVector[]> {
  const sums: Map<number, number>[] = Array.from({ length: groupCount }, () => new Map());
  for (let i = 0; i < vectors.length; i++) {
    const v = vectors[i] as SparseVector;
    const sum = sums[groups[i] as number] as Map<number, number>;
    for (let k = 0; k < v.ids.length; k++) {
      const id = v.ids[k] as number;
      sum.set(id, (sum.get(id) ?? 0) + (v.values[k] as number));
    }
    if (i % 64 === 63) yield;
  }
  // A group's centroid has thousands of features: few groups per step.
  return yield* mapInSteps(
    sums,
    (sum) => {
      let norm = 0;
      for (const x of sum.values()) norm += x * x;
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      return { ids: Int32Array.from(sum.keys()), values: Float32Array.from(sum.values(), (x) => x * scale) };
    },
    4,
  );
}

/** The index as plain data (see index-cache.ts). */
export interface CentroidIndexSnapshot {
  labelCount: number;
  start: Int32Array;
  label: Int32Array;
  weight: Float32Array;
}

/**
 * Centroids stored as postings per feature, so scoring every group touches only groups that
 * share a feature with the text. Memory grows with the knowledge base (feature-group pairs that
 * occur), never with features × groups.
 */
export class CentroidIndex implements LabelScorer {
  readonly labelCount: number;
  readonly #start: Int32Array;
  readonly #label: Int32Array;
  readonly #weight: Float32Array;

  private constructor(labelCount: number, start: Int32Array, label: Int32Array, weight: Float32Array) {
    this.labelCount = labelCount;
    this.#start = start;
    this.#label = label;
    this.#weight = weight;
  }

  static restore(snapshot: CentroidIndexSnapshot): CentroidIndex {
    return new CentroidIndex(snapshot.labelCount, snapshot.start, snapshot.label, snapshot.weight);
  }

  snapshot(): CentroidIndexSnapshot {
    return { labelCount: this.labelCount, start: this.#start, label: this.#label, weight: this.#weight };
  }

  static build(
    dimensions: number,
    labelCount: number,
    vectors: readonly SparseVector[],
    labels: Int32Array,
  ): CentroidIndex {
    return runSteps(
      (function* () {
        const centroids = yield* centroidsSteps(labelCount, vectors, labels);
        return yield* CentroidIndex.fromCentroidsSteps(dimensions, centroids);
      })(),
    );
  }

  /** The index of centroids from centroidsSteps, in small steps (see run-steps.ts). */
  static *fromCentroidsSteps(
    dimensions: number,
    centroids: readonly SparseVector[],
  ): BuildSteps<CentroidIndex> {
    const counts = new Int32Array(dimensions + 1);
    for (const centroid of centroids) for (const id of centroid.ids) counts[id] = (counts[id] as number) + 1;
    const start = new Int32Array(dimensions + 1);
    for (let f = 0; f < dimensions; f++) start[f + 1] = (start[f] as number) + (counts[f] as number);
    const total = start[dimensions] as number;
    const label = new Int32Array(total);
    const weight = new Float32Array(total);
    const fill = start.slice(0, dimensions);
    for (let group = 0; group < centroids.length; group++) {
      const centroid = centroids[group] as SparseVector;
      for (let k = 0; k < centroid.ids.length; k++) {
        const id = centroid.ids[k] as number;
        const at = fill[id] as number;
        label[at] = group;
        weight[at] = centroid.values[k] as number;
        fill[id] = at + 1;
      }
      if (group % 8 === 7) yield;
    }
    return new CentroidIndex(centroids.length, start, label, weight);
  }

  scoreAll(vector: SparseVector, out: Float64Array): void {
    out.fill(0);
    const start = this.#start;
    const label = this.#label;
    const weight = this.#weight;
    for (let k = 0; k < vector.ids.length; k++) {
      const id = vector.ids[k] as number;
      const x = vector.values[k] as number;
      const end = start[id + 1] as number;
      for (let p = start[id] as number; p < end; p++) {
        const group = label[p] as number;
        out[group] = (out[group] as number) + x * (weight[p] as number);
      }
    }
  }
}

/**
 * Label scores as the better of the label's German and English centroid similarity: the ranker's
 * first stage for knowledge bases too big for the linear classifier.
 */
export class PooledCentroids implements LabelScorer {
  readonly labelCount: number;
  readonly #index: CentroidIndex;
  /** Every group's score from the last scoreAll (German and English centroid of each label). */
  readonly groupScores: Float64Array;

  constructor(index: CentroidIndex, labelCount: number) {
    this.#index = index;
    this.labelCount = labelCount;
    this.groupScores = new Float64Array(2 * labelCount);
  }

  static restore(snapshot: CentroidIndexSnapshot): PooledCentroids {
    return new PooledCentroids(CentroidIndex.restore(snapshot), snapshot.labelCount >> 1);
  }

  snapshot(): CentroidIndexSnapshot {
    return this.#index.snapshot();
  }

  scoreAll(vector: SparseVector, out: Float64Array): void {
    this.#index.scoreAll(vector, this.groupScores);
    for (let label = 0; label < this.labelCount; label++) {
      out[label] = Math.max(this.groupScores[2 * label] as number, this.groupScores[2 * label + 1] as number);
    }
  }
}
