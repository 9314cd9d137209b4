import type { Language } from '../core/language.ts';
import type { SparseVector } from './feature-space.ts';
import type { WeightRows } from './linear-model.ts';
import type { BuildSteps } from './run-steps.ts';

/** Per entry: label (Int32), classifier weight, centroid weight for German, for English (Float32). */
const STRIDE = 4;
const GERMAN = 2;
const ENGLISH = 3;
/** Features merged between two pauses of a stepwise build. */
const FEATURES_PER_STEP = 2048;

/**
 * The linear classifier's weights and the labels' centroids in one table, feature by feature:
 * each entry holds a label, its classifier weight and its centroid weights at that feature. One
 * walk over a message's features gives every label's score and its cosine to the centroid of the
 * message's language; apart, the two walks cost nearly twice as much, a centroid posting being
 * almost always beside a classifier weight of the same feature and label.
 *
 * A label's centroid for a language is that of its phrasings in the language, or of its other
 * phrasings when it has none there. Absent weights are zeros, which leave every sum as it was:
 * the scores equal the classifier's and the centroid index's to the last bit.
 */
export class LabelRows {
  readonly labelCount: number;
  readonly #start: Int32Array;
  /** Entries of STRIDE cells, two views of one buffer: an entry is read from one cache line. */
  readonly #labels: Int32Array;
  readonly #weights: Float32Array;

  private constructor(labelCount: number, start: Int32Array, entries: ArrayBuffer) {
    this.labelCount = labelCount;
    this.#start = start;
    this.#labels = new Int32Array(entries);
    this.#weights = new Float32Array(entries);
  }

  /**
   * `linear`: the classifier's weight rows; `centroids[2 * label]` and `[2 * label + 1]`: the
   * label's German and English centroid; `hasPhrasingsIn`: whether the label has phrasings in a
   * language.
   */
  static *buildSteps(
    dimensions: number,
    linear: WeightRows,
    centroids: readonly SparseVector[],
    hasPhrasingsIn: (label: number, language: Language) => boolean,
  ): BuildSteps<LabelRows> {
    const labelCount = centroids.length >> 1;
    // The group giving each label's centroid for a German and an English message.
    const germanGroup = new Int32Array(labelCount);
    const englishGroup = new Int32Array(labelCount);
    for (let label = 0; label < labelCount; label++) {
      const de = hasPhrasingsIn(label, 'de');
      const en = hasPhrasingsIn(label, 'en');
      germanGroup[label] = 2 * label + (de ? 0 : 1);
      englishGroup[label] = 2 * label + (en || !de ? 1 : 0);
    }
    // Centroid postings by feature, groups ascending (so a label's two groups are neighbours).
    const postStart = new Int32Array(dimensions + 1);
    for (const centroid of centroids)
      for (const id of centroid.ids) postStart[id + 1] = (postStart[id + 1] as number) + 1;
    for (let f = 0; f < dimensions; f++)
      postStart[f + 1] = (postStart[f + 1] as number) + (postStart[f] as number);
    const postGroup = new Int32Array(postStart[dimensions] as number);
    const postWeight = new Float32Array(postGroup.length);
    const fill = postStart.slice(0, dimensions);
    for (let group = 0; group < centroids.length; group++) {
      const { ids, values } = centroids[group] as SparseVector;
      for (let k = 0; k < ids.length; k++) {
        const at = fill[ids[k] as number] as number;
        postGroup[at] = group;
        postWeight[at] = values[k] as number;
        fill[ids[k] as number] = at + 1;
      }
    }
    yield;
    // Merge each feature's classifier row (labels ascending) with its centroid postings.
    const capacity = linear.labels.length + postGroup.length;
    const entries = new ArrayBuffer(STRIDE * 4 * capacity);
    const labels = new Int32Array(entries);
    const weights = new Float32Array(entries);
    const start = new Int32Array(dimensions + 1);
    let at = 0;
    for (let f = 0; f < dimensions; f++) {
      start[f] = at;
      let p = linear.start[f] as number;
      const pEnd = linear.start[f + 1] as number;
      let q = postStart[f] as number;
      const qEnd = postStart[f + 1] as number;
      while (p < pEnd || q < qEnd) {
        const fromLinear = p < pEnd ? (linear.labels[p] as number) : labelCount;
        const fromCentroid = q < qEnd ? (postGroup[q] as number) >> 1 : labelCount;
        const label = Math.min(fromLinear, fromCentroid);
        const cell = STRIDE * at++;
        labels[cell] = label;
        weights[cell + 1] = fromLinear === label ? (linear.weights[p++] as number) : 0;
        while (q < qEnd && (postGroup[q] as number) >> 1 === label) {
          const group = postGroup[q] as number;
          if (group === germanGroup[label]) weights[cell + GERMAN] = postWeight[q] as number;
          if (group === englishGroup[label]) weights[cell + ENGLISH] = postWeight[q] as number;
          q++;
        }
      }
      if (f % FEATURES_PER_STEP === FEATURES_PER_STEP - 1) yield;
    }
    start[dimensions] = at;
    return new LabelRows(labelCount, start, entries.slice(0, STRIDE * 4 * at));
  }

  /**
   * Writes each label's classifier score into `scores` and its centroid cosine for a message in
   * `language` into `centroids` (both of length labelCount).
   */
  scoreAll(vector: SparseVector, language: Language, scores: Float64Array, centroids: Float64Array): void {
    scores.fill(0);
    centroids.fill(0);
    const column = language === 'de' ? GERMAN : ENGLISH;
    const start = this.#start;
    const labels = this.#labels;
    const weights = this.#weights;
    const ids = vector.ids;
    const values = vector.values;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k] as number;
      const x = values[k] as number;
      const end = STRIDE * (start[id + 1] as number);
      let cell = STRIDE * (start[id] as number);
      // Four entries at a time, all read before any is written (a feature's labels differ): one
      // at a time, each update waited for the store before it, twice as slow.
      for (; cell + 3 * STRIDE < end; cell += 4 * STRIDE) {
        const a = labels[cell] as number;
        const b = labels[cell + STRIDE] as number;
        const c = labels[cell + 2 * STRIDE] as number;
        const d = labels[cell + 3 * STRIDE] as number;
        const sa = (scores[a] as number) + (weights[cell + 1] as number) * x;
        const sb = (scores[b] as number) + (weights[cell + STRIDE + 1] as number) * x;
        const sc = (scores[c] as number) + (weights[cell + 2 * STRIDE + 1] as number) * x;
        const sd = (scores[d] as number) + (weights[cell + 3 * STRIDE + 1] as number) * x;
        const ca = (centroids[a] as number) + (weights[cell + column] as number) * x;
        const cb = (centroids[b] as number) + (weights[cell + STRIDE + column] as number) * x;
        const cc = (centroids[c] as number) + (weights[cell + 2 * STRIDE + column] as number) * x;
        const cd = (centroids[d] as number) + (weights[cell + 3 * STRIDE + column] as number) * x;
        scores[a] = sa;
        scores[b] = sb;
        scores[c] = sc;
        scores[d] = sd;
        centroids[a] = ca;
        centroids[b] = cb;
        centroids[c] = cc;
        centroids[d] = cd;
      }
      for (; cell < end; cell += STRIDE) {
        const label = labels[cell] as number;
        scores[label] = (scores[label] as number) + (weights[cell + 1] as number) * x;
        centroids[label] = (centroids[label] as number) + (weights[cell + column] as number) * x;
      }
    }
  }
}
