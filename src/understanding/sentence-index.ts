import type { SparseVector } from './feature-space.ts';
import { LinearModel } from './linear-model.ts';
import { runStepsAsync } from './run-steps.ts';
import type { SentenceEncoder } from './sentence-encoder.ts';

/** An English phrasing of a label (FAQ entry or intent). */
export interface SentencePhrasing {
  label: string;
  text: string;
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
  readonly #model: LinearModel | null;
  readonly #all: Int32Array;

  private constructor(parts: {
    labels: Map<string, number>;
    dims: number;
    rows: Float32Array;
    start: Int32Array;
    model: LinearModel | null;
  }) {
    this.#labels = parts.labels;
    this.#dims = parts.dims;
    this.#rows = parts.rows;
    this.#start = parts.start;
    this.#model = parts.model;
    this.#all = Int32Array.from({ length: parts.dims }, (_, i) => i);
  }

  static async build(
    encoder: SentenceEncoder,
    phrasings: readonly SentencePhrasing[],
  ): Promise<SentenceIndex> {
    const labels = new Map<string, number>();
    for (const p of phrasings) if (!labels.has(p.label)) labels.set(p.label, labels.size);
    const order = phrasings
      .map((p, i) => ({ label: labels.get(p.label) as number, i }))
      .sort((a, b) => a.label - b.label || a.i - b.i);
    const vectors = await encoder.embed(order.map(({ i }) => (phrasings[i] as SentencePhrasing).text));
    const dims = encoder.dimensions;
    const rows = new Float32Array(order.length * dims);
    for (let r = 0; r < vectors.length; r++) rows.set(vectors[r] as Float32Array, r * dims);
    const start = new Int32Array(labels.size + 1);
    for (const { label } of order) start[label + 1] = (start[label + 1] as number) + 1;
    for (let l = 0; l < labels.size; l++) start[l + 1] = (start[l + 1] as number) + (start[l] as number);
    const all = Int32Array.from({ length: dims }, (_, i) => i);
    // Built again after every knowledge change while the bot answers: trained in slices, so the
    // event loop keeps serving messages (thousands of 512-dimension phrasings take seconds).
    const trained =
      labels.size > 1
        ? await runStepsAsync(
            LinearModel.trainSteps(
              dims,
              labels.size,
              vectors.map((values): SparseVector => ({ ids: all, values })),
              Int32Array.from(order, ({ label }) => label),
            ),
          )
        : undefined;
    const model = trained?.ok ? trained.value : null;
    return new SentenceIndex({ labels, dims, rows, start, model });
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
    let best = 0;
    for (let r = this.#start[l] as number; r < (this.#start[l + 1] as number); r++) {
      let dot = 0;
      const base = r * dims;
      for (let d = 0; d < dims; d++) dot += (this.#rows[base + d] as number) * (query[d] as number);
      if (dot > best) best = dot;
    }
    return best;
  }

  /** The linear classifier's score of the label for a message's vector (0 for an unknown label). */
  classify(query: Float32Array, label: string): number {
    const l = this.#labels.get(label);
    if (l === undefined || !this.#model) return 0;
    return this.#model.scoreOne({ ids: this.#all, values: query }, l);
  }
}
