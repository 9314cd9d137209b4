import type { Language } from '../core/language.ts';
import type { SparseVector } from './feature-space.ts';

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

  constructor(
    vectors: readonly SparseVector[],
    labelOf: Int32Array,
    languages: readonly Language[],
    labelCount: number,
  ) {
    const byLabel: number[][] = Array.from({ length: labelCount }, () => []);
    labelOf.forEach((label, i) => {
      if (languages[i] === 'de') byLabel[label]?.push(i);
    });
    const germanCount = byLabel.map((members) => members.length);
    labelOf.forEach((label, i) => {
      if (languages[i] !== 'de') byLabel[label]?.push(i);
    });
    this.#englishFrom = new Int32Array(labelCount);
    this.#labelRows = new Int32Array(labelCount + 1);
    this.#rowStart = new Int32Array(vectors.length + 1);
    let nnz = 0;
    for (const v of vectors) nnz += v.ids.length;
    this.#rowIds = new Int32Array(nnz);
    this.#rowValues = new Float32Array(nnz);
    let row = 0;
    let at = 0;
    byLabel.forEach((members, label) => {
      this.#labelRows[label] = row;
      this.#englishFrom[label] = row + (germanCount[label] as number);
      for (const i of members) {
        const v = vectors[i] as SparseVector;
        this.#rowStart[row++] = at;
        this.#rowIds.set(v.ids, at);
        this.#rowValues.set(v.values, at);
        at += v.ids.length;
      }
    });
    this.#labelRows[labelCount] = row;
    this.#rowStart[row] = at;
  }

  /** Whether the label has phrasings in the language. */
  hasPhrasingsIn(label: number, language: Language): boolean {
    const [first, last] = this.#rowsIn(label, language);
    return first < last;
  }

  /**
   * Highest cosine between the (dense) query and a phrasing of `label` in the query's language
   * (all its phrasings when it has none in that language): the other language's phrasings share
   * only stray character n-grams with the query, and skipping them halves the scan.
   */
  nearest(dense: Float32Array, label: number, language: Language): number {
    let [first, last] = this.#rowsIn(label, language);
    if (first === last) [first, last] = this.#allRows(label);
    const ids = this.#rowIds;
    const values = this.#rowValues;
    const start = this.#rowStart;
    let best = 0;
    for (let row = first; row < last; row++) {
      let dot = 0;
      const end = start[row + 1] as number;
      for (let k = start[row] as number; k < end; k++)
        dot += (dense[ids[k] as number] as number) * (values[k] as number);
      if (dot > best) best = dot;
    }
    return best;
  }

  /** Whether a phrasing of `label` has the feature. */
  uses(label: number, feature: number): boolean {
    const [first, last] = this.#allRows(label);
    const end = this.#rowStart[last] as number;
    for (let k = this.#rowStart[first] as number; k < end; k++) if (this.#rowIds[k] === feature) return true;
    return false;
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
