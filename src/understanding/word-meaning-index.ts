import type { Language } from '../core/language.ts';
import type { AnalyzedText } from './analyze-text.ts';
import type { SparseVector } from './feature-space.ts';
import { LinearModel, type LinearModelSnapshot } from './linear-model.ts';
import { cumulativeLengths, type PackedLists, packLists, unpackLists } from './packed-lists.ts';
import type { BuildSteps } from './run-steps.ts';
import type { WordVectors } from './word-vectors.ts';

/** Content words of a query beyond this many are not aligned (questions are short). */
const MAX_QUERY_WORDS = 16;
/** Word-similarity rows kept across queries: about this many floats in all. */
const CACHE_FLOATS = 4_000_000;

/** A message prepared for the meaning signals (English only). */
export interface MeaningQuery {
  /** Unit vector of each content word (zeros when the word has none). */
  vectors: Float32Array;
  /** Row of each content word in the index's word table, or -1. */
  rows: Int32Array;
  /** Idf weight of each content word. */
  weights: Float32Array;
  /** Similarity of query word i to table word j at [i][j] (NaN: not computed yet); shared rows. */
  similarity: Float32Array[];
  /** Idf-weighted mean of the word vectors, unit length; null when no word has a vector. */
  mean: SparseVector | null;
}

/**
 * The index as plain data (see index-cache.ts), without the word vectors it was built from. The
 * many short row lists are packed into one array each (read back as views, not a thousand arrays).
 */
export interface WordMeaningIndexSnapshot {
  table: Map<string, number>;
  unit: Float32Array;
  hasVector: Uint8Array;
  idf: Float32Array;
  unknownIdf: number;
  /** The rows of every English phrasing, label after label; `phrasingsPerLabel` ends each label's. */
  phrasings: PackedLists;
  phrasingsPerLabel: Int32Array;
  union: PackedLists;
  model: LinearModelSnapshot | null;
}

export class WordMeaningIndex {
  readonly #vectors: WordVectors;
  readonly #dims: number;
  readonly #table: Map<string, number>;
  /** Unit vectors of the table's words, row after row (zeros for a word without vector). */
  readonly #unit: Float32Array;
  /** 1 where the table's word has a vector. */
  readonly #hasVector: Uint8Array;
  readonly #idf: Float32Array;
  readonly #unknownIdf: number;
  /** Content-word rows of each English phrasing, grouped by label. */
  readonly #phrasings: Int32Array[][];
  /** Distinct content-word rows of all English phrasings of each label. */
  readonly #union: Int32Array[];
  readonly #model: LinearModel | null;
  readonly #rowCache = new Map<string, Float32Array>();
  readonly #cacheLimit: number;
  /** Scratch of alignment: each query word's best similarity in a phrasing, and in all of them. */
  readonly #wordBest = new Float64Array(MAX_QUERY_WORDS);
  readonly #unionBest = new Float64Array(MAX_QUERY_WORDS);

  private constructor(parts: {
    vectors: WordVectors;
    table: Map<string, number>;
    unit: Float32Array;
    hasVector: Uint8Array;
    idf: Float32Array;
    unknownIdf: number;
    phrasings: Int32Array[][];
    union: Int32Array[];
    model: LinearModel | null;
  }) {
    this.#vectors = parts.vectors;
    this.#dims = parts.vectors.dimensions;
    this.#table = parts.table;
    this.#unit = parts.unit;
    this.#hasVector = parts.hasVector;
    this.#idf = parts.idf;
    this.#unknownIdf = parts.unknownIdf;
    this.#phrasings = parts.phrasings;
    this.#union = parts.union;
    this.#model = parts.model;
    this.#cacheLimit = Math.max(64, Math.min(4096, Math.floor(CACHE_FLOATS / Math.max(1, parts.table.size))));
  }

  /** The index of a snapshot(), with the word vectors it was built from. */
  static restore(snapshot: WordMeaningIndexSnapshot, vectors: WordVectors): WordMeaningIndex {
    const model = snapshot.model ? LinearModel.restore(snapshot.model) : null;
    const rows = unpackLists(snapshot.phrasings);
    const ends = snapshot.phrasingsPerLabel;
    const phrasings = Array.from(ends, (end, label) =>
      rows.slice(label > 0 ? (ends[label - 1] as number) : 0, end),
    );
    return new WordMeaningIndex({
      ...snapshot,
      vectors,
      model,
      phrasings,
      union: unpackLists(snapshot.union),
    });
  }

  snapshot(): WordMeaningIndexSnapshot {
    return {
      table: this.#table,
      unit: this.#unit,
      hasVector: this.#hasVector,
      idf: this.#idf,
      unknownIdf: this.#unknownIdf,
      phrasings: packLists(this.#phrasings.flat()),
      phrasingsPerLabel: cumulativeLengths(this.#phrasings),
      union: packLists(this.#union),
      model: this.#model?.snapshot() ?? null,
    };
  }

  /** Builds the index from the ranker's analysed phrasings; null when no phrasing is English. */
  static *buildSteps(
    vectors: WordVectors,
    analyzed: readonly AnalyzedText[],
    labelOf: Int32Array,
    labelCount: number,
  ): BuildSteps<WordMeaningIndex | null> {
    const table = new Map<string, number>();
    const df: number[] = [];
    const wordRows: (Int32Array | null)[] = [];
    let english = 0;
    for (let i = 0; i < analyzed.length; i++) {
      const text = analyzed[i] as AnalyzedText;
      if (text.language !== 'en') {
        wordRows.push(null);
        continue;
      }
      english++;
      const rows = new Set<number>();
      contentWords(text).forEach((word) => {
        let row = table.get(word);
        if (row === undefined) {
          row = table.size;
          table.set(word, row);
          df.push(0);
        }
        rows.add(row);
      });
      for (const row of rows) df[row] = (df[row] as number) + 1;
      wordRows.push(Int32Array.from(rows));
      if (i % 64 === 63) yield;
    }
    if (english === 0 || labelCount < 2) return null;
    const dims = vectors.dimensions;
    const unit = new Float32Array(table.size * dims);
    const hasVector = new Uint8Array(table.size);
    let row = 0;
    for (const word of table.keys()) {
      const slice = unit.subarray(row * dims, (row + 1) * dims);
      if (vectors.addTo(word, 1, slice)) {
        normalize(slice);
        hasVector[row] = 1;
      }
      if (++row % 256 === 0) yield;
    }
    const idf = Float32Array.from(df, (d) => Math.log((1 + english) / (1 + d)) + 1);
    const phrasings: Int32Array[][] = Array.from({ length: labelCount }, () => []);
    const union: Set<number>[] = Array.from({ length: labelCount }, () => new Set());
    const means: SparseVector[] = [];
    const meanLabels: number[] = [];
    for (let i = 0; i < wordRows.length; i++) {
      const rows = wordRows[i];
      if (!rows) continue;
      const label = labelOf[i] as number;
      phrasings[label]?.push(rows);
      for (const r of rows) union[label]?.add(r);
      const mean = meanOf(rows, unit, idf, dims);
      if (mean) {
        means.push(mean);
        meanLabels.push(label);
      }
      if (i % 64 === 63) yield;
    }
    const model =
      new Set(meanLabels).size > 1
        ? yield* LinearModel.trainSteps(dims, labelCount, means, Int32Array.from(meanLabels), { epochs: 4 })
        : null;
    return new WordMeaningIndex({
      vectors,
      table,
      unit,
      hasVector,
      idf,
      unknownIdf: Math.log(1 + english) + 1,
      phrasings,
      union: union.map((set) => Int32Array.from(set)),
      model,
    });
  }

  /** The message's content words with their vectors; null for non-English or no content word. */
  prepare(text: AnalyzedText): MeaningQuery | null {
    if (text.language !== 'en') return null;
    const words = contentWords(text).slice(0, MAX_QUERY_WORDS);
    if (words.length === 0) return null;
    const dims = this.#dims;
    const vectors = new Float32Array(words.length * dims);
    const rows = new Int32Array(words.length);
    const weights = new Float32Array(words.length);
    const mean = new Float32Array(dims);
    let hasVector = false;
    words.forEach((word, i) => {
      const row = this.#table.get(word) ?? -1;
      rows[i] = row;
      weights[i] = row >= 0 ? (this.#idf[row] as number) : this.#unknownIdf;
      const slice = vectors.subarray(i * dims, (i + 1) * dims);
      // A word of the phrasings has its unit vector in the table already, made the same way.
      let found: boolean;
      if (row >= 0) {
        found = this.#hasVector[row] === 1;
        if (found) slice.set(this.#unit.subarray(row * dims, (row + 1) * dims));
      } else {
        found = this.#vectors.addTo(word, 1, slice);
        if (found) normalize(slice);
      }
      if (found) {
        hasVector = true;
        for (let d = 0; d < dims; d++)
          mean[d] = (mean[d] as number) + (weights[i] as number) * (slice[d] as number);
      }
    });
    const similarity = words.map((word) => this.#similarityRow(word));
    const query: MeaningQuery = { vectors, rows, weights, similarity, mean: null };
    if (hasVector) {
      normalize(mean);
      query.mean = { ids: DENSE_IDS.subarray(0, dims), values: mean };
    }
    return query;
  }

  /** Adds `weight` × the mean-vector classifier's score of each of `labels` to `scores`. */
  addLabelScores(query: MeaningQuery, weight: number, scores: Float64Array, labels: readonly number[]): void {
    if (!this.#model || !query.mean) return;
    for (const label of labels)
      scores[label] = (scores[label] as number) + weight * this.#model.scoreOne(query.mean, label);
  }

  /**
   * How well the message's words align with the label's phrasings, in [0, 1]: for the best
   * phrasing, the mean of the share of the message's words with a similar word in it and the
   * share of its words with a similar word in the message; averaged with the share of the
   * message's words with a similar word anywhere in the label's phrasings. One pass over the
   * word pairs of each phrasing gives all three.
   */
  alignment(query: MeaningQuery, label: number): number {
    const union = this.#union[label];
    if (!union || union.length === 0) return 0;
    const n = query.rows.length;
    const wordBest = this.#wordBest;
    const unionBest = this.#unionBest;
    unionBest.fill(0, 0, n);
    let best = 0;
    for (const rows of this.#phrasings[label] ?? []) {
      wordBest.fill(0, 0, n);
      let backSum = 0;
      let backTotal = 0;
      for (let j = 0; j < rows.length; j++) {
        const row = rows[j] as number;
        let rowBest = 0;
        for (let i = 0; i < n; i++) {
          const s = this.#similarity(query, i, row);
          if (s > (wordBest[i] as number)) wordBest[i] = s;
          if (s > rowBest) rowBest = s;
          if (s > (unionBest[i] as number)) unionBest[i] = s;
        }
        const w = this.#idf[row] as number;
        backSum += w * rowBest;
        backTotal += w;
      }
      const back = backTotal > 0 ? backSum / backTotal : 0;
      const both = (this.#coverOf(query, wordBest) + back) / 2;
      if (both > best) best = both;
    }
    return (best + this.#coverOf(query, unionBest)) / 2;
  }

  /** Idf-weighted mean of each query word's best similarity. */
  #coverOf(query: MeaningQuery, wordBest: Float64Array): number {
    let sum = 0;
    let total = 0;
    for (let i = 0; i < query.rows.length; i++) {
      const w = query.weights[i] as number;
      sum += w * (wordBest[i] as number);
      total += w;
    }
    return total > 0 ? sum / total : 0;
  }

  #similarity(query: MeaningQuery, i: number, row: number): number {
    const cells = query.similarity[i] as Float32Array;
    const known = cells[row] as number;
    if (!Number.isNaN(known)) return known;
    let value: number;
    if (query.rows[i] === row) value = 1;
    else {
      const dims = this.#dims;
      const q = i * dims;
      const t = row * dims;
      value = 0;
      for (let d = 0; d < dims; d++)
        value += (query.vectors[q + d] as number) * (this.#unit[t + d] as number);
      if (value < 0) value = 0;
    }
    // Kept in 32 bits, and returned as kept: a word pair met in an earlier message then gives
    // the very same alignment as one computed now (else answers hung on the messages before).
    cells[row] = value;
    return cells[row] as number;
  }

  /**
   * A word's similarities to the table's words, computed as needed. Frequent words come back in
   * many messages, so the rows are kept (the oldest dropped past the limit).
   */
  #similarityRow(word: string): Float32Array {
    const cached = this.#rowCache.get(word);
    if (cached) return cached;
    if (this.#rowCache.size >= this.#cacheLimit) {
      const oldest = this.#rowCache.keys().next().value;
      if (oldest !== undefined) this.#rowCache.delete(oldest);
    }
    const row = new Float32Array(this.#table.size).fill(Number.NaN);
    this.#rowCache.set(word, row);
    return row;
  }
}

/**
 * Word meaning pays where labels have few English phrasings, which leave most paraphrases of a
 * question unseen. With many, the phrasings cover them already: on BANKING77 (about 100 per label)
 * the meaning signals gained nothing and tripled the time per question (BENCHMARKS.md).
 */
const MEANING_UP_TO_PHRASINGS = 30;

export function fewPhrasings(languages: readonly Language[], labelOf: Int32Array): boolean {
  const labels = new Set<number>();
  let english = 0;
  languages.forEach((language, i) => {
    if (language !== 'en') return;
    english++;
    labels.add(labelOf[i] as number);
  });
  return labels.size > 1 && english <= MEANING_UP_TO_PHRASINGS * labels.size;
}

/** Ids 0..n of a dense vector passed where a SparseVector is expected. */
const DENSE_IDS = Int32Array.from({ length: 1024 }, (_, i) => i);

function contentWords(text: AnalyzedText): string[] {
  const words: string[] = [];
  text.words.forEach((word, i) => {
    if (!text.stop[i] && word !== '0') words.push(word);
  });
  return words;
}

function normalize(v: Float32Array): void {
  let norm = 0;
  for (const x of v) norm += x * x;
  if (norm === 0) return;
  const scale = 1 / Math.sqrt(norm);
  for (let d = 0; d < v.length; d++) v[d] = (v[d] as number) * scale;
}

function meanOf(rows: Int32Array, unit: Float32Array, idf: Float32Array, dims: number): SparseVector | null {
  const mean = new Float32Array(dims);
  for (const row of rows) {
    const w = idf[row] as number;
    for (let d = 0; d < dims; d++) mean[d] = (mean[d] as number) + w * (unit[row * dims + d] as number);
  }
  normalize(mean);
  if (mean.every((x) => x === 0)) return null;
  return { ids: DENSE_IDS.subarray(0, dims), values: mean };
}
