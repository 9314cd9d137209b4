import type { Language } from '../core/language.ts';
import { type AnalyzedText, analyzeText } from './analyze-text.ts';
import { detectLanguageOfTokens } from './detect-language.ts';
import { tokenize } from './normalize-text.ts';
import {
  collectFeatures,
  DEFAULT_FEATURE_OPTIONS,
  type FeatureCounts,
  type FeatureOptions,
} from './text-features.ts';
import { Vocabulary } from './vocabulary.ts';

/** One training phrasing: a question of an FAQ entry or an intent example. */
export interface LabelledText {
  label: string;
  text: string;
  /** Known language; detected when missing. */
  language?: Language | undefined;
}

export interface RankedLabel {
  label: string;
  /** Calibrated confidence in [0, 1]. */
  score: number;
  /** Cosine to the closest phrasing of this label. */
  nearest: number;
  /** Cosine to the label's centroid. */
  centroid: number;
}

export interface RankResult {
  language: Language;
  ranked: RankedLabel[];
}

export interface RankerOptions {
  features: FeatureOptions;
  /** Share of the word block in the vector (the rest is character n-grams). */
  wordShare: number;
  /** How many labels (best by centroid) get the nearest-phrasing comparison. */
  shortlist: number;
}

export const DEFAULT_RANKER_OPTIONS: RankerOptions = {
  features: DEFAULT_FEATURE_OPTIONS,
  wordShare: 0.5,
  shortlist: 12,
};

/** Raw similarity below which a label is not a candidate at all. */
const MIN_SIMILARITY = 0.12;

interface SparseVector {
  ids: Int32Array;
  values: Float32Array;
}

/**
 * TF-IDF ranker over word 1–2-grams and character 2–5-grams: sublinear term frequency, each
 * block L2-normalised, labels scored by cosine to their centroid (an inverted index over the
 * labels) and to their nearest phrasing.
 */
export class IntentRanker {
  readonly labels: readonly string[];
  readonly #options: RankerOptions;
  readonly #vocabulary: Vocabulary;
  readonly #featureIds: Map<string, number>;
  readonly #idf: Float32Array;
  readonly #unknownIdf: number;
  readonly #phrasings: SparseVector[];
  readonly #phrasingsOfLabel: Int32Array[];
  /** Centroid postings per feature (CSR): labels and weights. */
  readonly #postStart: Int32Array;
  readonly #postLabel: Int32Array;
  readonly #postWeight: Float32Array;
  readonly #query: Float32Array;
  readonly #labelScores: Float32Array;

  private constructor(items: readonly LabelledText[], options: RankerOptions) {
    this.#options = options;
    const labelIndex = new Map<string, number>();
    for (const item of items) if (!labelIndex.has(item.label)) labelIndex.set(item.label, labelIndex.size);
    this.labels = [...labelIndex.keys()];

    const tokenized = items.map((item) => tokenize(item.text));
    const languages = items.map(
      (item, i) => item.language ?? detectLanguageOfTokens(item.text, tokenized[i] ?? [], { hint: 'en' }),
    );
    this.#vocabulary = new Vocabulary();
    tokenized.forEach((tokens, i) => {
      for (const token of tokens) this.#vocabulary.add(token, languages[i]);
    });
    this.#vocabulary.build();

    const counts = items.map((item, i) =>
      collectFeatures(analyzeText(item.text, this.#vocabulary, { language: languages[i] }), options.features),
    );
    this.#featureIds = new Map();
    const df: number[] = [];
    for (const c of counts) {
      for (const key of [...c.word.keys(), ...c.char.keys()]) {
        let id = this.#featureIds.get(key);
        if (id === undefined) {
          id = this.#featureIds.size;
          this.#featureIds.set(key, id);
          df.push(0);
        }
        df[id] = (df[id] ?? 0) + 1;
      }
    }
    const n = items.length;
    this.#idf = Float32Array.from(df, (d) => Math.log((1 + n) / (1 + d)) + 1);
    this.#unknownIdf = Math.log(1 + n) + 1;
    this.#phrasings = counts.map((c) => this.#vectorize(c));

    const byLabel: number[][] = this.labels.map(() => []);
    items.forEach((item, i) => {
      byLabel[labelIndex.get(item.label) as number]?.push(i);
    });
    this.#phrasingsOfLabel = byLabel.map((list) => Int32Array.from(list));

    // Centroids, then transposed into per-feature postings.
    const dims = this.#featureIds.size;
    const perFeature: { label: number; weight: number }[][] = Array.from({ length: dims }, () => []);
    byLabel.forEach((members, label) => {
      const sum = new Map<number, number>();
      for (const p of members) {
        const v = this.#phrasings[p] as SparseVector;
        for (let k = 0; k < v.ids.length; k++) {
          const id = v.ids[k] as number;
          sum.set(id, (sum.get(id) ?? 0) + (v.values[k] as number));
        }
      }
      let norm = 0;
      for (const w of sum.values()) norm += w * w;
      norm = Math.sqrt(norm) || 1;
      for (const [id, w] of sum) perFeature[id]?.push({ label, weight: w / norm });
    });
    this.#postStart = new Int32Array(dims + 1);
    let total = 0;
    perFeature.forEach((list, id) => {
      this.#postStart[id] = total;
      total += list.length;
    });
    this.#postStart[dims] = total;
    this.#postLabel = new Int32Array(total);
    this.#postWeight = new Float32Array(total);
    perFeature.forEach((list, id) => {
      let at = this.#postStart[id] as number;
      for (const { label, weight } of list) {
        this.#postLabel[at] = label;
        this.#postWeight[at] = weight;
        at++;
      }
    });
    this.#query = new Float32Array(dims);
    this.#labelScores = new Float32Array(this.labels.length);
  }

  static train(items: readonly LabelledText[], options: Partial<RankerOptions> = {}): IntentRanker {
    return new IntentRanker(items, { ...DEFAULT_RANKER_OPTIONS, ...options });
  }

  get phrasingCount(): number {
    return this.#phrasings.length;
  }

  rank(text: string, options: { hint?: Language | undefined; limit?: number } = {}): RankResult {
    const analyzed = analyzeText(text, this.#vocabulary, { hint: options.hint, correct: true });
    const ranked = this.#rankAnalyzed(analyzed, options.limit ?? 5);
    return { language: analyzed.language, ranked };
  }

  #rankAnalyzed(analyzed: AnalyzedText, limit: number): RankedLabel[] {
    if (analyzed.words.length === 0 || this.labels.length === 0) return [];
    const query = this.#vectorize(collectFeatures(analyzed, this.#options.features), true);
    if (query.ids.length === 0) return [];
    const dense = this.#query;
    const scores = this.#labelScores;
    scores.fill(0);
    for (let k = 0; k < query.ids.length; k++) {
      const id = query.ids[k] as number;
      const q = query.values[k] as number;
      dense[id] = q;
      const end = this.#postStart[id + 1] as number;
      for (let p = this.#postStart[id] as number; p < end; p++) {
        const label = this.#postLabel[p] as number;
        scores[label] = (scores[label] as number) + q * (this.#postWeight[p] as number);
      }
    }
    const shortlist = topIndices(scores, Math.max(this.#options.shortlist, limit));
    const results: RankedLabel[] = [];
    for (const label of shortlist) {
      const centroid = scores[label] as number;
      if (centroid <= 0) continue;
      let nearest = 0;
      for (const p of this.#phrasingsOfLabel[label] ?? []) {
        const v = this.#phrasings[p] as SparseVector;
        let dot = 0;
        for (let k = 0; k < v.ids.length; k++)
          dot += (dense[v.ids[k] as number] as number) * (v.values[k] as number);
        if (dot > nearest) nearest = dot;
      }
      const combined = 0.5 * nearest + 0.5 * centroid;
      // Nothing shared but a few letters: garbage, not a weak candidate.
      if (combined < MIN_SIMILARITY) continue;
      results.push({ label: this.labels[label] as string, score: combined, nearest, centroid });
    }
    for (let k = 0; k < query.ids.length; k++) dense[query.ids[k] as number] = 0;
    results.sort((a, b) => b.score - a.score);
    for (const r of results) r.score = 1 / (1 + Math.exp(-12 * (r.score - 0.42)));
    return results.slice(0, limit);
  }

  /** Sublinear TF-IDF, blocks normalised and weighted; unknown query features still count in the norm. */
  #vectorize(counts: FeatureCounts, query = false): SparseVector {
    const ids: number[] = [];
    const values: number[] = [];
    const share = { word: this.#options.wordShare, char: 1 - this.#options.wordShare };
    for (const block of ['word', 'char'] as const) {
      const start = ids.length;
      let norm = 0;
      for (const [key, tf] of counts[block]) {
        const id = this.#featureIds.get(key);
        const idf = id === undefined ? this.#unknownIdf : (this.#idf[id] as number);
        const w = (1 + Math.log(tf)) * idf;
        norm += w * w;
        if (id !== undefined) {
          ids.push(id);
          values.push(w);
        }
      }
      if (norm === 0) continue;
      const scale = Math.sqrt(share[block]) / Math.sqrt(norm);
      for (let k = start; k < values.length; k++) values[k] = (values[k] as number) * scale;
    }
    if (!query) {
      let norm = 0;
      for (const v of values) norm += v * v;
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let k = 0; k < values.length; k++) values[k] = (values[k] as number) * scale;
    }
    return { ids: Int32Array.from(ids), values: Float32Array.from(values) };
  }
}

/** Indices of the k largest values, largest first (k is small). */
function topIndices(values: Float32Array, k: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v <= 0) continue;
    if (top.length < k) {
      top.push(i);
      top.sort((a, b) => (values[b] as number) - (values[a] as number));
    } else if (v > (values[top[k - 1] as number] as number)) {
      top[k - 1] = i;
      top.sort((a, b) => (values[b] as number) - (values[a] as number));
    }
  }
  return top;
}
