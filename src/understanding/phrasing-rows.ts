import type { Language } from '../core/language.ts';
import type { SparseVector } from './feature-space.ts';

/** Labels with fewer rows than this are scanned (gathering costs more for them). */
const GATHER_FROM = 48;
/** Gathered dots this close to the highest are computed again in the scan's order. */
const GATHER_TOLERANCE = 1e-9;

/** The phrasing rows as plain data (see index-cache.ts). */
export interface PhrasingRowsSnapshot {
  rowStart: Int32Array;
  rowIds: Int32Array;
  rowValues: Float32Array;
  labelRows: Int32Array;
  englishFrom: Int32Array;
  labelFeatures: Int32Array;
  featureIds: Int32Array;
  postStart: Int32Array;
  postRow: Int32Array;
  postValue: Float32Array;
}

/**
 * All phrasing vectors in one flat CSR, grouped by label and, within a label, German rows before
 * English ones: the ranker scans a label's phrasings in the message's language for the nearest one.
 */
export class PhrasingRows {
  readonly #rowStart: Int32Array;
  readonly #rowIds: Int32Array;
  readonly #rowValues: Float32Array;
  /** Rows of label l are #labelRows[l] .. #labelRows[l + 1] - 1. */
  readonly #labelRows: Int32Array;
  /** First English row of each label (its German rows come before). */
  readonly #englishFrom: Int32Array;
  /**
   * Postings of gathered labels: label l's features are #featureIds[i] (ascending) for i in
   * #labelFeatures[l] .. #labelFeatures[l + 1] - 1, each with the rows (ascending) and values
   * from #postStart[i] to #postStart[i + 1] - 1.
   */
  readonly #labelFeatures: Int32Array;
  readonly #featureIds: Int32Array;
  readonly #postStart: Int32Array;
  readonly #postRow: Int32Array;
  readonly #postValue: Float32Array;
  /** Each scanned row's dot product with the query, gathered feature by feature. */
  #dots = new Float64Array(0);

  private constructor(parts: PhrasingRowsSnapshot) {
    this.#rowStart = parts.rowStart;
    this.#rowIds = parts.rowIds;
    this.#rowValues = parts.rowValues;
    this.#labelRows = parts.labelRows;
    this.#englishFrom = parts.englishFrom;
    this.#labelFeatures = parts.labelFeatures;
    this.#featureIds = parts.featureIds;
    this.#postStart = parts.postStart;
    this.#postRow = parts.postRow;
    this.#postValue = parts.postValue;
  }

  static restore(snapshot: PhrasingRowsSnapshot): PhrasingRows {
    return new PhrasingRows(snapshot);
  }

  snapshot(): PhrasingRowsSnapshot {
    return {
      rowStart: this.#rowStart,
      rowIds: this.#rowIds,
      rowValues: this.#rowValues,
      labelRows: this.#labelRows,
      englishFrom: this.#englishFrom,
      labelFeatures: this.#labelFeatures,
      featureIds: this.#featureIds,
      postStart: this.#postStart,
      postRow: this.#postRow,
      postValue: this.#postValue,
    };
  }

  /**
   * The rows of the phrasings' vectors, `labelOf` giving each one's label; in steps of one label,
   * so a rebuild at run time leaves the event loop turns.
   */
  static *buildSteps(
    vectors: readonly SparseVector[],
    labelOf: Int32Array,
    languages: readonly Language[],
    labelCount: number,
    dimensions: number,
  ): Generator<void, PhrasingRows> {
    const byLabel: number[][] = Array.from({ length: labelCount }, () => []);
    labelOf.forEach((label, i) => {
      if (languages[i] === 'de') byLabel[label]?.push(i);
    });
    const germanCount = byLabel.map((members) => members.length);
    labelOf.forEach((label, i) => {
      if (languages[i] !== 'de') byLabel[label]?.push(i);
    });
    const englishFrom = new Int32Array(labelCount);
    const labelRows = new Int32Array(labelCount + 1);
    const rowStart = new Int32Array(vectors.length + 1);
    let nnz = 0;
    for (const v of vectors) nnz += v.ids.length;
    const rowIds = new Int32Array(nnz);
    const rowValues = new Float32Array(nnz);
    let row = 0;
    let at = 0;
    byLabel.forEach((members, label) => {
      labelRows[label] = row;
      englishFrom[label] = row + (germanCount[label] as number);
      for (const i of members) {
        const v = vectors[i] as SparseVector;
        rowStart[row++] = at;
        rowIds.set(v.ids, at);
        rowValues.set(v.values, at);
        at += v.ids.length;
      }
    });
    labelRows[labelCount] = row;
    rowStart[row] = at;
    // Postings only for labels that can have that many rows in a language (the others are
    // always scanned): none for knowledge bases of a few dozen phrasings per entry. Ordered by
    // label, then feature, then row, so one label's postings (and the sorted list of the
    // features it uses) lie together in memory: finding a message's features there hits the
    // cache, where per-feature lists over all labels missed it for each feature and label.
    // Sized ahead (typed arrays): growing plain arrays to millions of postings took half a second.
    let postings = 0;
    for (let label = 0; label < labelCount; label++) {
      const from = labelRows[label] as number;
      const to = labelRows[label + 1] as number;
      if (to - from >= GATHER_FROM) postings += (rowStart[to] as number) - (rowStart[from] as number);
    }
    const postRow = new Int32Array(postings);
    const postValue = new Float32Array(postings);
    const featureIds: number[] = [];
    const featureStart: number[] = [];
    const labelFeatures = new Int32Array(labelCount + 1);
    const count = new Int32Array(dimensions);
    let filled = 0;
    for (let label = 0; label < labelCount; label++) {
      labelFeatures[label] = featureStart.length;
      const from = labelRows[label] as number;
      const to = labelRows[label + 1] as number;
      if (to - from < GATHER_FROM) continue;
      yield;
      const used: number[] = [];
      for (let k = rowStart[from] as number; k < (rowStart[to] as number); k++) {
        const id = rowIds[k] as number;
        if ((count[id] as number) === 0) used.push(id);
        count[id] = (count[id] as number) + 1;
      }
      const sorted = Int32Array.from(used).sort();
      const slotOf = new Map<number, number>();
      let at = filled;
      for (const id of sorted) {
        slotOf.set(id, at);
        featureIds.push(id);
        featureStart.push(at);
        at += count[id] as number;
        count[id] = 0;
      }
      filled = at;
      for (let r = from; r < to; r++) {
        for (let k = rowStart[r] as number; k < (rowStart[r + 1] as number); k++) {
          const id = rowIds[k] as number;
          const slot = slotOf.get(id) as number;
          postRow[slot] = r;
          postValue[slot] = rowValues[k] as number;
          slotOf.set(id, slot + 1);
        }
      }
    }
    labelFeatures[labelCount] = featureStart.length;
    featureStart.push(filled);
    return new PhrasingRows({
      rowStart,
      rowIds,
      rowValues,
      labelRows,
      englishFrom,
      labelFeatures,
      featureIds: Int32Array.from(featureIds),
      postStart: Int32Array.from(featureStart),
      postRow,
      postValue,
    });
  }

  /** Whether the label has phrasings in the language. */
  hasPhrasingsIn(label: number, language: Language): boolean {
    const [first, last] = this.#rowsIn(label, language);
    return first < last;
  }

  /**
   * Highest cosine between the query (`dense`: the same vector spread over all features) and a
   * phrasing of `label` in the query's language (all its phrasings when it has none in that
   * language): the other language's phrasings share only stray character n-grams with the
   * query, and skipping them halves the scan.
   */
  nearest(query: SparseVector, dense: Float32Array, label: number, language: Language): number {
    let [first, last] = this.#rowsIn(label, language);
    if (first === last) [first, last] = this.#allRows(label);
    if (last - first < GATHER_FROM) return this.#scan(dense, first, last);
    // Most of a phrasing's features are not in the query: gathering the products of the query's
    // own features row by row touches a sixth of the entries a scan does. Added in another order,
    // those dot products may differ from the scan's in the last bits, so the rows whose gathered
    // dot comes near the highest are computed again as the scan does; the best of those is the
    // scan's (all terms are positive: the orders differ by far less than the tolerance).
    const count = last - first;
    if (this.#dots.length < count) this.#dots = new Float64Array(count);
    const dots = this.#dots;
    dots.fill(0, 0, count);
    const postStart = this.#postStart;
    const postRow = this.#postRow;
    const postValue = this.#postValue;
    const featureIds = this.#featureIds;
    const from = this.#labelFeatures[label] as number;
    const to = this.#labelFeatures[label + 1] as number;
    // All of the label's rows wanted (one language only): no row needs checking.
    const whole = first === this.#labelRows[label] && last === this.#labelRows[label + 1];
    for (let k = 0; k < query.ids.length; k++) {
      const id = query.ids[k] as number;
      const i = firstAtLeast(featureIds, from, to, id);
      if (i === to || featureIds[i] !== id) continue;
      const x = query.values[k] as number;
      const end = postStart[i + 1] as number;
      let p = postStart[i] as number;
      if (whole) {
        // Rows within one feature's postings are distinct: four updates never touch one slot.
        for (; p + 3 < end; p += 4) {
          const r0 = (postRow[p] as number) - first;
          const r1 = (postRow[p + 1] as number) - first;
          const r2 = (postRow[p + 2] as number) - first;
          const r3 = (postRow[p + 3] as number) - first;
          const d0 = (dots[r0] as number) + x * (postValue[p] as number);
          const d1 = (dots[r1] as number) + x * (postValue[p + 1] as number);
          const d2 = (dots[r2] as number) + x * (postValue[p + 2] as number);
          const d3 = (dots[r3] as number) + x * (postValue[p + 3] as number);
          dots[r0] = d0;
          dots[r1] = d1;
          dots[r2] = d2;
          dots[r3] = d3;
        }
        for (; p < end; p++) {
          const r = (postRow[p] as number) - first;
          dots[r] = (dots[r] as number) + x * (postValue[p] as number);
        }
        continue;
      }
      for (; p < end; p++) {
        const row = postRow[p] as number;
        if (row < first) continue;
        if (row >= last) break;
        dots[row - first] = (dots[row - first] as number) + x * (postValue[p] as number);
      }
    }
    let highest = 0;
    for (let i = 0; i < count; i++) if ((dots[i] as number) > highest) highest = dots[i] as number;
    if (highest === 0) return 0;
    return this.#bestOf(dense, first, last, highest - GATHER_TOLERANCE);
  }

  /**
   * Highest cosine among rows first..last - 1. Four rows at a time: each row's sum is one chain
   * of additions in its own order (so the cosine is the same to the bit), and four chains side
   * by side do not wait for each other.
   */
  #scan(dense: Float32Array, first: number, last: number): number {
    const ids = this.#rowIds;
    const values = this.#rowValues;
    const start = this.#rowStart;
    let best = 0;
    let row = first;
    for (; row + 3 < last; row += 4) {
      let a = start[row] as number;
      let b = start[row + 1] as number;
      let c = start[row + 2] as number;
      let d = start[row + 3] as number;
      const aEnd = b;
      const bEnd = c;
      const cEnd = d;
      const dEnd = start[row + 4] as number;
      const common = Math.min(aEnd - a, bEnd - b, cEnd - c, dEnd - d);
      let da = 0;
      let db = 0;
      let dc = 0;
      let dd = 0;
      for (let k = 0; k < common; k++) {
        da += (dense[ids[a + k] as number] as number) * (values[a + k] as number);
        db += (dense[ids[b + k] as number] as number) * (values[b + k] as number);
        dc += (dense[ids[c + k] as number] as number) * (values[c + k] as number);
        dd += (dense[ids[d + k] as number] as number) * (values[d + k] as number);
      }
      a += common;
      b += common;
      c += common;
      d += common;
      for (; a < aEnd; a++) da += (dense[ids[a] as number] as number) * (values[a] as number);
      for (; b < bEnd; b++) db += (dense[ids[b] as number] as number) * (values[b] as number);
      for (; c < cEnd; c++) dc += (dense[ids[c] as number] as number) * (values[c] as number);
      for (; d < dEnd; d++) dd += (dense[ids[d] as number] as number) * (values[d] as number);
      best = Math.max(best, da, db, dc, dd);
    }
    return row < last ? Math.max(best, this.#bestOf(dense, row, last, -1)) : best;
  }

  /** Highest scanned cosine among rows first..last - 1 whose gathered dot is at least `from`. */
  #bestOf(dense: Float32Array, first: number, last: number, from: number): number {
    const ids = this.#rowIds;
    const values = this.#rowValues;
    const start = this.#rowStart;
    const dots = this.#dots;
    let best = 0;
    for (let row = first; row < last; row++) {
      if (from >= 0 && (dots[row - first] as number) < from) continue;
      let dot = 0;
      const end = start[row + 1] as number;
      for (let k = start[row] as number; k < end; k++)
        dot += (dense[ids[k] as number] as number) * (values[k] as number);
      if (dot > best) best = dot;
    }
    return best;
  }

  /** The features of the label's phrasings that `keep` accepts (its words: label-words.ts). */
  featuresOf(label: number, keep: (feature: number) => boolean): Set<number> {
    const [first, last] = this.#allRows(label);
    const end = this.#rowStart[last] as number;
    const out = new Set<number>();
    for (let k = this.#rowStart[first] as number; k < end; k++) {
      const id = this.#rowIds[k] as number;
      if (keep(id)) out.add(id);
    }
    return out;
  }

  #allRows(label: number): [number, number] {
    return [this.#labelRows[label] as number, this.#labelRows[label + 1] as number];
  }

  #rowsIn(label: number, language: Language): [number, number] {
    const [first, last] = this.#allRows(label);
    const split = this.#englishFrom[label] as number;
    return language === 'de' ? [first, split] : [split, last];
  }
}

/** First index in from..end - 1 of the ascending `values` holding at least `value` (end if none). */
function firstAtLeast(values: Int32Array, from: number, end: number, value: number): number {
  let lo = from;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
