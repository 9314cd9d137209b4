import type { SparseVector } from './feature-space.ts';
import type { LabelScorer } from './linear-model.ts';

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
  readonly #label: Int32Array;
  readonly #weight: Float32Array;

  constructor(dimensions: number, labelCount: number, vectors: readonly SparseVector[], labels: Int32Array) {
    this.labelCount = labelCount;
    const sums: Map<number, number>[] = Array.from({ length: labelCount }, () => new Map());
    vectors.forEach((v, i) => {
      const sum = sums[labels[i] as number] as Map<number, number>;
      for (let k = 0; k < v.ids.length; k++) {
        const id = v.ids[k] as number;
        sum.set(id, (sum.get(id) ?? 0) + (v.values[k] as number));
      }
    });
    const counts = new Int32Array(dimensions + 1);
    this.centroids = sums.map((sum) => {
      let norm = 0;
      for (const x of sum.values()) norm += x * x;
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      const ids = Int32Array.from(sum.keys());
      const values = Float32Array.from(sum.values(), (x) => x * scale);
      for (const id of ids) counts[id] = (counts[id] as number) + 1;
      return { ids, values };
    });
    this.#start = new Int32Array(dimensions + 1);
    for (let f = 0; f < dimensions; f++)
      this.#start[f + 1] = (this.#start[f] as number) + (counts[f] as number);
    const total = this.#start[dimensions] as number;
    this.#label = new Int32Array(total);
    this.#weight = new Float32Array(total);
    const fill = this.#start.slice(0, dimensions);
    this.centroids.forEach((centroid, label) => {
      for (let k = 0; k < centroid.ids.length; k++) {
        const id = centroid.ids[k] as number;
        const at = fill[id] as number;
        this.#label[at] = label;
        this.#weight[at] = centroid.values[k] as number;
        fill[id] = at + 1;
      }
    });
  }

  scoreAll(vector: SparseVector, out: Float64Array): void {
    out.fill(0);
    for (let k = 0; k < vector.ids.length; k++) {
      const id = vector.ids[k] as number;
      const x = vector.values[k] as number;
      const end = this.#start[id + 1] as number;
      for (let p = this.#start[id] as number; p < end; p++) {
        const label = this.#label[p] as number;
        out[label] = (out[label] as number) + x * (this.#weight[p] as number);
      }
    }
  }
}
