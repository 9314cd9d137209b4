import type { SparseVector } from './feature-space.ts';
import type { LabelScorer } from './linear-model.ts';
import { type BuildSteps, mapInSteps, runSteps } from './run-steps.ts';

/**
 * Centroids (mean of the phrasing vectors, L2-normalised) of groups of phrasings, stored as
 * postings per feature, so scoring touches only groups that share a feature with the text. Memory
 * grows with the knowledge base (feature-group pairs that occur), never with features × groups.
 * The ranker groups by label and language: a German and an English centroid per FAQ entry, since
 * their mean would be close to neither.
 */
export class CentroidIndex implements LabelScorer {
  readonly labelCount: number;
  /** Each group's centroid as a sparse vector. */
  readonly centroids: SparseVector[];
  readonly #start: Int32Array;
  /** Per feature, where its postings of odd groups begin (even groups come first). */
  readonly #oddFrom: Int32Array;
  readonly #label: Int32Array;
  readonly #weight: Float32Array;

  private constructor(
    labelCount: number,
    centroids: SparseVector[],
    postings: { start: Int32Array; oddFrom: Int32Array; label: Int32Array; weight: Float32Array },
  ) {
    this.labelCount = labelCount;
    this.centroids = centroids;
    this.#start = postings.start;
    this.#oddFrom = postings.oddFrom;
    this.#label = postings.label;
    this.#weight = postings.weight;
  }

  static build(
    dimensions: number,
    labelCount: number,
    vectors: readonly SparseVector[],
    labels: Int32Array,
  ): CentroidIndex {
    return runSteps(CentroidIndex.buildSteps(dimensions, labelCount, vectors, labels));
  }

  /** `build` in small steps (see run-steps.ts). */
  static *buildSteps(
    dimensions: number,
    labelCount: number,
    vectors: readonly SparseVector[],
    labels: Int32Array,
  ): BuildSteps<CentroidIndex> {
    const sums: Map<number, number>[] = Array.from({ length: labelCount }, () => new Map());
    for (let i = 0; i < vectors.length; i++) {
      const v = vectors[i] as SparseVector;
      const sum = sums[labels[i] as number] as Map<number, number>;
      for (let k = 0; k < v.ids.length; k++) {
        const id = v.ids[k] as number;
        sum.set(id, (sum.get(id) ?? 0) + (v.values[k] as number));
      }
      if (i % 64 === 63) yield;
    }
    const counts = new Int32Array(dimensions + 1);
    // A group's centroid has thousands of features: few groups per step.
    const centroids = yield* mapInSteps(
      sums,
      (sum) => {
        let norm = 0;
        for (const x of sum.values()) norm += x * x;
        const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
        const ids = Int32Array.from(sum.keys());
        const values = Float32Array.from(sum.values(), (x) => x * scale);
        for (const id of ids) counts[id] = (counts[id] as number) + 1;
        return { ids, values };
      },
      4,
    );
    const start = new Int32Array(dimensions + 1);
    for (let f = 0; f < dimensions; f++) start[f + 1] = (start[f] as number) + (counts[f] as number);
    const total = start[dimensions] as number;
    const label = new Int32Array(total);
    const weight = new Float32Array(total);
    const fill = start.slice(0, dimensions);
    // Even groups first, then odd ones, so a caller can score one half alone (see scoreHalf).
    const oddFrom = new Int32Array(dimensions);
    for (const odd of [0, 1]) {
      if (odd === 1) oddFrom.set(fill);
      for (let group = odd; group < centroids.length; group += 2) {
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
    }
    return new CentroidIndex(labelCount, centroids, { start, oddFrom, label, weight });
  }

  scoreAll(vector: SparseVector, out: Float64Array): void {
    out.fill(0);
    for (let k = 0; k < vector.ids.length; k++) {
      const id = vector.ids[k] as number;
      this.#addPostings(
        this.#start[id] as number,
        this.#start[id + 1] as number,
        vector.values[k] as number,
        out,
      );
    }
  }

  /**
   * Scores only the even groups (odd = false) or only the odd ones; the others are left as they
   * are. The ranker keeps a label's German centroid in the even group and its English one in the
   * odd group, so a message is compared with its own language's centroids at half the cost.
   */
  scoreHalf(vector: SparseVector, odd: boolean, out: Float64Array): void {
    for (let k = 0; k < vector.ids.length; k++) {
      const id = vector.ids[k] as number;
      const from = odd ? (this.#oddFrom[id] as number) : (this.#start[id] as number);
      const to = odd ? (this.#start[id + 1] as number) : (this.#oddFrom[id] as number);
      this.#addPostings(from, to, vector.values[k] as number, out);
    }
  }

  #addPostings(from: number, to: number, x: number, out: Float64Array): void {
    for (let p = from; p < to; p++) {
      const label = this.#label[p] as number;
      out[label] = (out[label] as number) + x * (this.#weight[p] as number);
    }
  }
}
