import type { SparseVector } from './feature-space.ts';
import { LinearModel, type LinearModelOptions } from './linear-model.ts';
import { type BuildSteps, runStepsAsync } from './run-steps.ts';
import type { SentenceEncoder } from './sentence-encoder.ts';
import type { SentenceVectorCache } from './sentence-vector-cache.ts';

/** An English phrasing of a label (FAQ entry or intent). */
export interface SentencePhrasing {
  label: string;
  text: string;
}

export interface SentenceIndexOptions {
  /** Budget and settings of the classifier's training. */
  linear?: Partial<LinearModelOptions>;
  /** Keep the phrasing vectors for `nearest` (default); without them it is 0 for every label. */
  nearest?: boolean;
  /** The index before a change of the phrasings: its classifier is where training starts. */
  warmFrom?: SentenceIndex | undefined;
}

/** A phrasing's sentence vector (unit length). */
export interface SentenceVector {
  label: string;
  vector: Float32Array;
}

/** The index as plain data (see index-cache.ts). */
export interface SentenceIndexSnapshot {
  labels: Map<string, number>;
  dims: number;
  rows: Float32Array;
  start: Int32Array;
  weights: Float32Array | null;
}

/**
 * The labels' English phrasings as sentence vectors (see sentence-encoder.ts), for two signals
 * about a message's vector: its cosine to each label's nearest phrasing, and a linear classifier
 * trained on the phrasings' vectors. Both tell meaning where the words differ.
 */
export class SentenceIndex {
  readonly #labels: Map<string, number>;
  readonly #dims: number;
  /** Phrasing vectors grouped by label: rows #start[l] .. #start[l + 1] - 1 belong to label l. */
  readonly #rows: Float32Array;
  readonly #start: Int32Array;
  /** The classifier's weights label after label (dims each), so one label's score reads one run. */
  readonly #weights: Float32Array | null;

  private constructor(parts: SentenceIndexSnapshot) {
    this.#labels = parts.labels;
    this.#dims = parts.dims;
    this.#rows = parts.rows;
    this.#start = parts.start;
    this.#weights = parts.weights;
  }

  static restore(snapshot: SentenceIndexSnapshot): SentenceIndex {
    return new SentenceIndex(snapshot);
  }

  snapshot(): SentenceIndexSnapshot {
    return {
      labels: this.#labels,
      dims: this.#dims,
      rows: this.#rows,
      start: this.#start,
      weights: this.#weights,
    };
  }

  /**
   * Embeds the phrasings (through `cache` when given: only texts no store has yet), then builds
   * the index in slices (see run-steps.ts). Undefined when `superseded` said so meanwhile. With
   * `warmFrom` (the index before a small change), a quick index trained from its classifier goes
   * to `onQuick` first; the index returned is then trained afresh, as a restart would build it.
   */
  static async build(
    encoder: SentenceEncoder,
    phrasings: readonly SentencePhrasing[],
    options: {
      cache?: SentenceVectorCache | undefined;
      superseded?: () => boolean;
      warmFrom?: SentenceIndex | undefined;
      onQuick?: (index: SentenceIndex) => void;
    } = {},
  ): Promise<SentenceIndex | undefined> {
    const texts = phrasings.map((p) => p.text);
    const vectors = options.cache
      ? await options.cache.embed(encoder, texts, { superseded: options.superseded })
      : await encoder.embed(texts);
    if (!vectors) return undefined;
    const rows = phrasings.map((p, i) => ({ label: p.label, vector: vectors[i] as Float32Array }));
    // Built again after every knowledge change while the bot answers: trained in slices, so the
    // event loop keeps serving messages (thousands of 512-dimension phrasings take seconds).
    const train = async (warmFrom?: SentenceIndex) => {
      const steps = SentenceIndex.buildSteps(encoder.dimensions, rows, { warmFrom });
      const built = await runStepsAsync(steps, { superseded: options.superseded });
      return built.ok ? built.value : undefined;
    };
    if (options.warmFrom) {
      const quick = await train(options.warmFrom);
      if (!quick) return undefined;
      options.onQuick?.(quick);
    }
    return train();
  }

  /** The index over phrasing vectors already computed (unit length, `dims` long), in steps. */
  static *buildSteps(
    dims: number,
    phrasings: readonly SentenceVector[],
    options: SentenceIndexOptions = {},
  ): BuildSteps<SentenceIndex> {
    const labels = new Map<string, number>();
    for (const p of phrasings) if (!labels.has(p.label)) labels.set(p.label, labels.size);
    const order = phrasings
      .map((p, i) => ({ label: labels.get(p.label) as number, i }))
      .sort((a, b) => a.label - b.label || a.i - b.i);
    yield;
    const nearest = options.nearest ?? true;
    const rows = new Float32Array(nearest ? order.length * dims : 0);
    const start = new Int32Array(labels.size + 1);
    if (nearest) {
      for (const [r, { i }] of order.entries()) {
        rows.set((phrasings[i] as SentenceVector).vector, r * dims);
        if (r % 512 === 511) yield;
      }
      for (const { label } of order) start[label + 1] = (start[label + 1] as number) + 1;
      for (let l = 0; l < labels.size; l++) start[l + 1] = (start[l + 1] as number) + (start[l] as number);
    }
    const all = Int32Array.from({ length: dims }, (_, i) => i);
    const model =
      labels.size > 1
        ? yield* LinearModel.trainSteps(
            dims,
            labels.size,
            order.map(
              ({ i }): SparseVector => ({ ids: all, values: (phrasings[i] as SentenceVector).vector }),
            ),
            Int32Array.from(order, ({ label }) => label),
            options.linear,
            options.warmFrom ? options.warmFrom.#classifierStart(labels) : undefined,
          )
        : null;
    const weights = model ? labelMajor(model, labels.size, dims) : null;
    return new SentenceIndex({ labels, dims, rows, start, weights });
  }

  /** The classifier's weights as dims × labels in another label order (zeros for new labels). */
  #classifierStart(labels: ReadonlyMap<string, number>): Float32Array | undefined {
    const weights = this.#weights;
    if (!weights) return undefined;
    const dims = this.#dims;
    const C = labels.size;
    const start = new Float32Array(dims * C);
    for (const [label, l] of this.#labels) {
      const to = labels.get(label);
      if (to === undefined) continue;
      for (let d = 0; d < dims; d++) start[d * C + to] = weights[l * dims + d] as number;
    }
    return start;
  }

  /** Whether the label has English phrasings here. */
  has(label: string): boolean {
    return this.#labels.has(label);
  }

  /** Cosine between a message's vector and the label's closest phrasing (0 for an unknown label). */
  nearest(query: Float32Array, label: string): number {
    const l = this.#labels.get(label);
    if (l === undefined) return 0;
    const dims = this.#dims;
    const rows = this.#rows;
    const end = (this.#start[l + 1] as number) * dims;
    let best = 0;
    for (let base = (this.#start[l] as number) * dims; base < end; base += dims) {
      const similarity = dot(rows, base, query);
      if (similarity > best) best = similarity;
    }
    return best;
  }

  /** The linear classifier's score of the label for a message's vector (0 for an unknown label). */
  classify(query: Float32Array, label: string): number {
    const l = this.#labels.get(label);
    const weights = this.#weights;
    if (l === undefined || !weights) return 0;
    return dot(weights, l * this.#dims, query);
  }
}

/** The dot product of `query` with rows[base .. base + query.length - 1], in four running sums. */
function dot(rows: Float32Array, base: number, query: Float32Array): number {
  const dims = query.length;
  let a = 0;
  let b = 0;
  let c = 0;
  let e = 0;
  let d = 0;
  for (; d + 3 < dims; d += 4) {
    a += (rows[base + d] as number) * (query[d] as number);
    b += (rows[base + d + 1] as number) * (query[d + 1] as number);
    c += (rows[base + d + 2] as number) * (query[d + 2] as number);
    e += (rows[base + d + 3] as number) * (query[d + 3] as number);
  }
  for (; d < dims; d++) a += (rows[base + d] as number) * (query[d] as number);
  return a + b + c + e;
}

/** The model's weights as one row of `dims` per label (it keeps them feature after feature). */
function labelMajor(model: LinearModel, labelCount: number, dims: number): Float32Array {
  const { start, labels, weights } = model.weightRows();
  const out = new Float32Array(labelCount * dims);
  for (let f = 0; f < dims; f++)
    for (let p = start[f] as number; p < (start[f + 1] as number); p++)
      out[(labels[p] as number) * dims + f] = weights[p] as number;
  return out;
}

/**
 * Weights of the sentence signals beside the calibrated score when re-ordering, chosen on a
 * development split of BANKING77's training rows (BENCHMARKS.md).
 */
const CLASSIFIER_WEIGHT = 0.25;
const NEAREST_WEIGHT = 2;

/**
 * The candidates re-ordered by their score plus the sentence signals for the message's vector.
 * The order is the sentence signals' to choose, the confidence stays the ranker's: each place keeps
 * the score of the candidate that held it before, so deciding to answer, ask or hand off (and so
 * out-of-scope rejection) sees the same scores as without them. A candidate whose label has no
 * phrasing in the index gets no sentence signal.
 */
export function reorderByMeaning<T extends { score: number }>(
  candidates: readonly T[],
  labelOf: (candidate: T) => string,
  index: SentenceIndex,
  query: Float32Array,
): T[] {
  const keys = candidates.map((candidate) => {
    const label = labelOf(candidate);
    const meaning = index.has(label)
      ? CLASSIFIER_WEIGHT * index.classify(query, label) + NEAREST_WEIGHT * index.nearest(query, label)
      : 0;
    return candidate.score + meaning;
  });
  const order = candidates.map((_, i) => i).sort((a, b) => (keys[b] as number) - (keys[a] as number));
  // Mostly the order stands: then the candidates stay as they are.
  if (order.every((from, i) => from === i)) return [...candidates];
  return order.map((from, i) => ({ ...(candidates[from] as T), score: (candidates[i] as T).score }));
}

/** How the encoder's sentence meaning weighs into a close call's order and scores (see rescoreByMeaning). */
export interface MeaningScoring {
  /** Weights of the classifier's score and the nearest phrasing's cosine in the order. */
  classifierWeight: number;
  nearestWeight: number;
  /** How much a candidate's lead in nearest-phrasing cosine over the others adds to its score. */
  share: number;
}

/** When the sentence encoder is asked, and how its meaning counts (see rescoreByMeaning). */
export interface SentenceSettings extends MeaningScoring {
  /** A lead of the first candidate over the second below this is a close call: it is embedded. */
  closeCall: number;
}

/** Chosen on a development split of BANKING77's training rows (BENCHMARKS.md), never its test rows. */
export const SENTENCE_SETTINGS: SentenceSettings = {
  closeCall: 0.35,
  classifierWeight: CLASSIFIER_WEIGHT,
  nearestWeight: NEAREST_WEIGHT,
  share: 0.75,
};

/**
 * The candidates re-ordered by score + classifierWeight × classifier + nearestWeight × nearest
 * (the sentence signals for the message's vector), each scored by its own score plus `share`
 * times its lead in nearest-phrasing cosine over the best of the other candidates (negative for
 * all but the one the meaning favours), within [0, 1]. So a close call that the sentence meaning
 * settles gets a lead, and its runners-up less confidence. Scores never rise down the list (a
 * candidate promoted past one with a higher score takes that one's score: both stay close, a
 * "Did you mean" at most). A candidate whose label has no phrasing in the index keeps its score.
 */
export function rescoreByMeaning<T extends { score: number }>(
  candidates: readonly T[],
  labelOf: (candidate: T) => string,
  index: SentenceIndex,
  query: Float32Array,
  scoring: MeaningScoring,
): T[] {
  const nearest = candidates.map((c) => {
    const label = labelOf(c);
    return index.has(label) ? index.nearest(query, label) : undefined;
  });
  const scored = candidates.map((candidate, i) => {
    const own = nearest[i];
    if (own === undefined) return { candidate, key: candidate.score, score: candidate.score };
    const label = labelOf(candidate);
    const key =
      candidate.score + scoring.classifierWeight * index.classify(query, label) + scoring.nearestWeight * own;
    let others = 0;
    nearest.forEach((n, j) => {
      if (j !== i && n !== undefined && n > others) others = n;
    });
    const score = Math.min(1, Math.max(0, candidate.score + scoring.share * (own - others)));
    return { candidate, key, score };
  });
  scored.sort((a, b) => b.key - a.key);
  let ceiling = 1;
  return scored.map(({ candidate, score }) => {
    ceiling = Math.min(ceiling, score);
    return { ...candidate, score: ceiling };
  });
}
