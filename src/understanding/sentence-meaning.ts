import type { LabelledText } from './ranker-types.ts';
import type { SentenceEncoder } from './sentence-encoder.ts';
import { type MeaningScoring, rescoreByMeaning, SentenceIndex } from './sentence-index.ts';
import type { SentenceVectorCache } from './sentence-vector-cache.ts';

/** A message is embedded up to this length; the encoder's cost grows with it. */
const MAX_ENCODED_CHARS = 500;

/**
 * Sentence meaning attached to an Understanding (SENTENCE_ENCODER=on): the encoder, the index of
 * the English phrasings' vectors, and the re-scoring of a close call's candidates by a message's
 * meaning. Understanding decides when to ask it (isCloseCall).
 */
export class SentenceMeaning {
  /** Embeds messages. */
  readonly #encoder: SentenceEncoder;
  /** The same model for the phrasings, in a worker thread when given. */
  readonly #phrasings: SentenceEncoder;
  /** Keeps the phrasings' sentence vectors between builds (DATA_DIR, Redis). */
  readonly #cache: SentenceVectorCache | undefined;
  #index: SentenceIndex | undefined;
  /** Counts builds started: a later one supersedes those before it. */
  #builds = 0;

  constructor(
    encoder: SentenceEncoder,
    options: { cache?: SentenceVectorCache | undefined; phrasings?: SentenceEncoder | undefined } = {},
  ) {
    this.#encoder = encoder;
    this.#phrasings = options.phrasings ?? encoder;
    this.#cache = options.cache;
  }

  /** Whether an index is complete, so rescore has a say. */
  get ready(): boolean {
    return this.#index !== undefined;
  }

  /**
   * Embeds `phrasings` (with a cache, only those no store has yet) and builds their index. Until it
   * is complete there is none (the knowledge it described has changed); a later build abandons
   * this one. `change`: the phrasings changed at run time; an index trained from the previous
   * one's classifier answers first (a fraction of the time), then one trained afresh replaces it.
   * `onAnswering`: called when the quick index answers and again when the build ends (with or
   * without an index); what waits for it takes the first call.
   */
  async build(
    phrasings: readonly LabelledText[],
    options: { change?: boolean; onAnswering?: () => void } = {},
  ): Promise<void> {
    const build = ++this.#builds;
    const previous = this.#index;
    this.#index = undefined;
    const superseded = () => this.#builds !== build;
    try {
      const index = await SentenceIndex.build(this.#phrasings, phrasings, {
        cache: this.#cache,
        superseded,
        warmFrom: options.change ? previous : undefined,
        onQuick: (quick) => {
          if (!superseded()) this.#index = quick;
          options.onAnswering?.();
        },
      });
      if (index && !superseded()) this.#index = index;
    } finally {
      options.onAnswering?.();
    }
  }

  /** Abandons the build under way (as a later one would): it embeds and keeps nothing more. */
  abandon(): void {
    this.#builds += 1;
  }

  /**
   * `candidates` re-ordered and re-scored by the meaning of `text` (rescoreByMeaning); undefined
   * when meaning has no say: no index, the encoder failed (its worker and its fallback), or the
   * knowledge changed while the message was embedded.
   */
  async rescore<T extends { score: number }>(
    text: string,
    candidates: readonly T[],
    labelOf: (candidate: T) => string,
    scoring: MeaningScoring,
  ): Promise<T[] | undefined> {
    const index = this.#index;
    if (!index) return undefined;
    const [query] = await this.#encoder
      .embed([text.slice(0, MAX_ENCODED_CHARS)])
      .catch(() => [] as Float32Array[]);
    if (!query || index !== this.#index) return undefined;
    return rescoreByMeaning(candidates, labelOf, index, query, scoring);
  }
}
