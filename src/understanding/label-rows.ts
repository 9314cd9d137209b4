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
 * A feature with entries for at least this share of the labels gets a dense row (a weight for
 * every label, zeros included): most entries a message walks are in such rows (over 90 % on the
 * default knowledge and BANKING77), and dense rows are walked without label look-ups, several
 * features at a time. From 30 %, the table takes about as much memory as with entries alone
 * (12 bytes per label in a dense row, 16 per entry), and the walk is 40-50 % quicker; from 50 %,
 * 30-45 % quicker.
 */
const DENSE_FROM = 0.3;

/** The table as plain data (see index-cache.ts). */
export interface LabelRowsSnapshot {
  labelCount: number;
  start: Int32Array;
  entries: ArrayBuffer;
  denseRow: Int32Array;
  dense: Float32Array;
}

/**
 * The linear classifier's weights and the labels' centroids in one table, feature by feature:
 * each entry holds a label, its classifier weight and its centroid weights at that feature (a
 * centroid posting is almost always beside a classifier weight of the same feature and label).
 * One walk over a message's features gives every label's score; the few labels shown then look up
 * their cosine to the centroid of the message's language in the same rows.
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
  /** Dense row of each feature, or -1 (its entries are then in #labels and #weights). */
  readonly #denseRow: Int32Array;
  /**
   * Dense rows of 3 × labelCount cells: every label's classifier weight, then its German centroid
   * weight, then its English one.
   */
  readonly #dense: Float32Array;
  /** Scratch of centroids: 1 + the position of each asked label, 0 for the others. */
  readonly #slot: Int32Array;

  private constructor(
    labelCount: number,
    start: Int32Array,
    entries: ArrayBuffer,
    denseRow: Int32Array,
    dense: Float32Array,
  ) {
    this.labelCount = labelCount;
    this.#start = start;
    this.#labels = new Int32Array(entries);
    this.#weights = new Float32Array(entries);
    this.#denseRow = denseRow;
    this.#dense = dense;
    this.#slot = new Int32Array(labelCount);
  }

  static restore(snapshot: LabelRowsSnapshot): LabelRows {
    const { labelCount, start, entries, denseRow, dense } = snapshot;
    return new LabelRows(labelCount, start, entries, denseRow, dense);
  }

  snapshot(): LabelRowsSnapshot {
    return {
      labelCount: this.labelCount,
      start: this.#start,
      entries: this.#labels.buffer as ArrayBuffer,
      denseRow: this.#denseRow,
      dense: this.#dense,
    };
  }

  /**
   * `linear`: the classifier's weight rows; `centroids[2 * label]` and `[2 * label + 1]`: the
   * label's German and English centroid; `hasPhrasingsIn`: whether the label has phrasings in a
   * language; `denseShare`: share of the labels from which a feature's row is dense.
   */
  static *buildSteps(
    dimensions: number,
    linear: WeightRows,
    centroids: readonly SparseVector[],
    hasPhrasingsIn: (label: number, language: Language) => boolean,
    denseShare = DENSE_FROM,
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
    yield;
    return yield* LabelRows.#split(
      labelCount,
      start,
      labels,
      weights,
      Math.max(1, Math.ceil(denseShare * labelCount)),
    );
  }

  /** Moves the rows of at least `denseFrom` entries (merged feature by feature) into dense rows. */
  static *#split(
    labelCount: number,
    start: Int32Array,
    labels: Int32Array,
    weights: Float32Array,
    denseFrom: number,
  ): Generator<void, LabelRows> {
    const C = labelCount;
    const dimensions = start.length - 1;
    const denseRow = new Int32Array(dimensions).fill(-1);
    let rows = 0;
    let sparse = 0;
    for (let f = 0; f < dimensions; f++) {
      const count = (start[f + 1] as number) - (start[f] as number);
      if (count >= denseFrom) denseRow[f] = rows++;
      else sparse += count;
    }
    const dense = new Float32Array(rows * 3 * C);
    const entries = new ArrayBuffer(STRIDE * 4 * sparse);
    const keptLabels = new Int32Array(entries);
    const keptStart = new Int32Array(dimensions + 1);
    let at = 0;
    for (let f = 0; f < dimensions; f++) {
      if (f % FEATURES_PER_STEP === FEATURES_PER_STEP - 1) yield;
      keptStart[f] = at;
      const from = STRIDE * (start[f] as number);
      const to = STRIDE * (start[f + 1] as number);
      const row = denseRow[f] as number;
      if (row < 0) {
        // Copied as 32-bit patterns: the labels and the weights alike.
        keptLabels.set(labels.subarray(from, to), STRIDE * at);
        at += (to - from) / STRIDE;
        continue;
      }
      const base = 3 * C * row;
      for (let cell = from; cell < to; cell += STRIDE) {
        const label = labels[cell] as number;
        dense[base + label] = weights[cell + 1] as number;
        dense[base + C + label] = weights[cell + GERMAN] as number;
        dense[base + 2 * C + label] = weights[cell + ENGLISH] as number;
      }
    }
    keptStart[dimensions] = at;
    return new LabelRows(C, keptStart, entries, denseRow, dense);
  }

  /** Calls `visit` with each feature's non-zero classifier weights (for a warm start). */
  *classifierWeightSteps(visit: (feature: number, label: number, weight: number) => void): BuildSteps<void> {
    const C = this.labelCount;
    for (let f = 0; f < this.#denseRow.length; f++) {
      const row = this.#denseRow[f] as number;
      if (row >= 0) {
        for (let label = 0; label < C; label++) {
          const w = this.#dense[3 * C * row + label] as number;
          if (w !== 0) visit(f, label, w);
        }
      } else {
        const last = STRIDE * (this.#start[f + 1] as number);
        for (let cell = STRIDE * (this.#start[f] as number); cell < last; cell += STRIDE) {
          const w = this.#weights[cell + 1] as number;
          if (w !== 0) visit(f, this.#labels[cell] as number, w);
        }
      }
      if (f % FEATURES_PER_STEP === FEATURES_PER_STEP - 1) yield;
    }
  }

  /** Writes each label's classifier score into `scores` (of length labelCount). */
  scoreAll(vector: SparseVector, scores: Float64Array): void {
    scores.fill(0);
    const start = this.#start;
    const labels = this.#labels;
    const weights = this.#weights;
    const denseRow = this.#denseRow;
    const ids = vector.ids;
    const values = vector.values;
    const n = ids.length;
    for (let k = 0; k < n; k++) {
      const id = ids[k] as number;
      if ((denseRow[id] as number) >= 0) {
        // A run of features with dense rows, added in order, several at a time.
        let end = k + 1;
        while (end < n && (denseRow[ids[end] as number] as number) >= 0) end++;
        this.#addDense(ids, values, k, end, scores);
        k = end - 1;
        continue;
      }
      const x = values[k] as number;
      const last = STRIDE * (start[id + 1] as number);
      let cell = STRIDE * (start[id] as number);
      // Four entries at a time, all read before any is written (a feature's labels differ): one
      // at a time, each update waited for the store before it, twice as slow.
      for (; cell + 3 * STRIDE < last; cell += 4 * STRIDE) {
        const a = labels[cell] as number;
        const b = labels[cell + STRIDE] as number;
        const c = labels[cell + 2 * STRIDE] as number;
        const d = labels[cell + 3 * STRIDE] as number;
        const sa = (scores[a] as number) + (weights[cell + 1] as number) * x;
        const sb = (scores[b] as number) + (weights[cell + STRIDE + 1] as number) * x;
        const sc = (scores[c] as number) + (weights[cell + 2 * STRIDE + 1] as number) * x;
        const sd = (scores[d] as number) + (weights[cell + 3 * STRIDE + 1] as number) * x;
        scores[a] = sa;
        scores[b] = sb;
        scores[c] = sc;
        scores[d] = sd;
      }
      for (; cell < last; cell += STRIDE) {
        const label = labels[cell] as number;
        scores[label] = (scores[label] as number) + (weights[cell + 1] as number) * x;
      }
    }
  }

  /**
   * Writes the centroid cosine of `labels[j]` for a message in `language` into `out[j]`: the
   * labels' centroid weights at the message's features, added in the message's order. Only the
   * few labels shown need it; walking every label's centroid with the scores cost more.
   */
  centroids(vector: SparseVector, language: Language, labels: readonly number[], out: Float64Array): void {
    const C = this.labelCount;
    const start = this.#start;
    const entryLabels = this.#labels;
    const weights = this.#weights;
    const denseRow = this.#denseRow;
    const dense = this.#dense;
    const column = language === 'de' ? GERMAN : ENGLISH;
    const offset = column === GERMAN ? C : 2 * C;
    const slot = this.#slot;
    const count = labels.length;
    out.fill(0, 0, count);
    for (let j = 0; j < count; j++) slot[labels[j] as number] = j + 1;
    for (let k = 0; k < vector.ids.length; k++) {
      const id = vector.ids[k] as number;
      const x = vector.values[k] as number;
      const row = denseRow[id] as number;
      if (row >= 0) {
        const base = 3 * C * row + offset;
        for (let j = 0; j < count; j++)
          out[j] = (out[j] as number) + (dense[base + (labels[j] as number)] as number) * x;
        continue;
      }
      const last = STRIDE * (start[id + 1] as number);
      for (let cell = STRIDE * (start[id] as number); cell < last; cell += STRIDE) {
        const j = (slot[entryLabels[cell] as number] as number) - 1;
        if (j >= 0) out[j] = (out[j] as number) + (weights[cell + column] as number) * x;
      }
    }
    for (let j = 0; j < count; j++) slot[labels[j] as number] = 0;
  }

  /**
   * Adds the dense rows of the vector's features from..end - 1 in their order. A zero weight adds
   * nothing, so each sum is the one of the label's entries alone; eight features at a time, each
   * label's sum is loaded and stored once per eight features.
   */
  #addDense(ids: Int32Array, values: Float32Array, from: number, end: number, scores: Float64Array): void {
    const C = this.labelCount;
    const dense = this.#dense;
    const denseRow = this.#denseRow;
    let k = from;
    for (; k + 7 < end; k += 8) {
      const p0 = 3 * C * (denseRow[ids[k + 0] as number] as number);
      const p1 = 3 * C * (denseRow[ids[k + 1] as number] as number);
      const p2 = 3 * C * (denseRow[ids[k + 2] as number] as number);
      const p3 = 3 * C * (denseRow[ids[k + 3] as number] as number);
      const p4 = 3 * C * (denseRow[ids[k + 4] as number] as number);
      const p5 = 3 * C * (denseRow[ids[k + 5] as number] as number);
      const p6 = 3 * C * (denseRow[ids[k + 6] as number] as number);
      const p7 = 3 * C * (denseRow[ids[k + 7] as number] as number);
      const x0 = values[k + 0] as number;
      const x1 = values[k + 1] as number;
      const x2 = values[k + 2] as number;
      const x3 = values[k + 3] as number;
      const x4 = values[k + 4] as number;
      const x5 = values[k + 5] as number;
      const x6 = values[k + 6] as number;
      const x7 = values[k + 7] as number;
      for (let c = 0; c < C; c++) {
        scores[c] =
          (scores[c] as number) +
          (dense[p0 + c] as number) * x0 +
          (dense[p1 + c] as number) * x1 +
          (dense[p2 + c] as number) * x2 +
          (dense[p3 + c] as number) * x3 +
          (dense[p4 + c] as number) * x4 +
          (dense[p5 + c] as number) * x5 +
          (dense[p6 + c] as number) * x6 +
          (dense[p7 + c] as number) * x7;
      }
    }
    if (k + 3 < end) {
      const p0 = 3 * C * (denseRow[ids[k + 0] as number] as number);
      const p1 = 3 * C * (denseRow[ids[k + 1] as number] as number);
      const p2 = 3 * C * (denseRow[ids[k + 2] as number] as number);
      const p3 = 3 * C * (denseRow[ids[k + 3] as number] as number);
      const x0 = values[k + 0] as number;
      const x1 = values[k + 1] as number;
      const x2 = values[k + 2] as number;
      const x3 = values[k + 3] as number;
      for (let c = 0; c < C; c++) {
        scores[c] =
          (scores[c] as number) +
          (dense[p0 + c] as number) * x0 +
          (dense[p1 + c] as number) * x1 +
          (dense[p2 + c] as number) * x2 +
          (dense[p3 + c] as number) * x3;
      }
      k += 4;
    }
    if (k + 1 < end) {
      const p0 = 3 * C * (denseRow[ids[k + 0] as number] as number);
      const p1 = 3 * C * (denseRow[ids[k + 1] as number] as number);
      const x0 = values[k + 0] as number;
      const x1 = values[k + 1] as number;
      for (let c = 0; c < C; c++) {
        scores[c] = (scores[c] as number) + (dense[p0 + c] as number) * x0 + (dense[p1 + c] as number) * x1;
      }
      k += 2;
    }
    if (k < end) {
      const p0 = 3 * C * (denseRow[ids[k + 0] as number] as number);
      const x0 = values[k + 0] as number;
      for (let c = 0; c < C; c++) {
        scores[c] = (scores[c] as number) + (dense[p0 + c] as number) * x0;
      }
    }
  }
}
