import type { Language } from '../core/language.ts';
import type { AnalyzedText } from './analyze-text.ts';
import { sentenceVectorOf } from './distilled-sentence-vectors.ts';
import type { BuildSteps } from './run-steps.ts';
import {
  reorderByMeaning,
  SentenceIndex,
  type SentenceIndexSnapshot,
  type SentenceVector,
} from './sentence-index.ts';
import type { WordVectors } from './word-vectors.ts';

/**
 * Candidates (best first) that sentence meaning may re-order, at least. Ten were no more accurate
 * than six on BANKING77's development split, and scanning their phrasings is the costly part.
 */
const POOL = 6;
/**
 * Sentence meaning re-orders only candidates whose best leads the second by less than this: on
 * BANKING77's development split re-ordering clearer leads changed nothing measurable, and skipping
 * them spares most messages its cost.
 */
const CLOSE_CALL = 0.25;
/**
 * Multiply-adds for training the classifier over sentence vectors (see LinearModelOptions): with
 * 10,000 phrasings one run of four epochs instead of two runs, which was as accurate on BANKING77's
 * development split and keeps the build within its 5 s.
 */
const TRAINING_BUDGET = 4e8;

/** The analysed phrasings the ranker was trained on, with their languages and labels. */
export interface AnalyzedPhrasings {
  analyzed: readonly AnalyzedText[];
  languages: readonly Language[];
  labelOf: Int32Array;
  labels: readonly string[];
}

/**
 * The ranker's English sentence meaning: the phrasings' sentence vectors (distilled-sentence-vectors.ts)
 * and what they make of a close call between the best candidates (sentence-index.ts).
 */
export class DistilledSentenceMeaning {
  readonly #index: SentenceIndex;
  readonly #table: WordVectors;

  private constructor(index: SentenceIndex, table: WordVectors) {
    this.#index = index;
    this.#table = table;
  }

  /** The sentence meaning of a snapshot(), with the table it was built from. */
  static restore(snapshot: SentenceIndexSnapshot, table: WordVectors): DistilledSentenceMeaning {
    return new DistilledSentenceMeaning(SentenceIndex.restore(snapshot), table);
  }

  snapshot(): SentenceIndexSnapshot {
    return this.#index.snapshot();
  }

  /**
   * The index over the English phrasings; null when fewer than two labels have English phrasings
   * with a known word. `withNearest` keeps the phrasing vectors for the nearest-phrasing signal:
   * with many phrasings per label it added nothing to the classifier (BANKING77 development split)
   * and scanning them was most of the cost per message.
   */
  static *buildSteps(
    table: WordVectors,
    phrasings: AnalyzedPhrasings,
    withNearest: boolean,
    previous?: DistilledSentenceMeaning,
  ): BuildSteps<DistilledSentenceMeaning | null> {
    const { analyzed, languages, labelOf, labels } = phrasings;
    const rows: SentenceVector[] = [];
    for (let i = 0; i < analyzed.length; i++) {
      if (languages[i] !== 'en') continue;
      const vector = sentenceVectorOf(table, (analyzed[i] as AnalyzedText).words);
      if (vector) rows.push({ label: labels[labelOf[i] as number] as string, vector });
      if (i % 256 === 255) yield;
    }
    if (new Set(rows.map((r) => r.label)).size < 2) return null;
    const index = yield* SentenceIndex.buildSteps(table.dimensions, rows, {
      linear: { maxOperations: TRAINING_BUDGET },
      nearest: withNearest,
      warmFrom: previous ? previous.#index : undefined,
    });
    return new DistilledSentenceMeaning(index, table);
  }

  /** Candidates the ranker prepares when `limit` are asked for: sentence meaning may re-order them. */
  poolFor(limit: number): number {
    return Math.max(limit, POOL);
  }

  /** The English message's candidates, re-ordered by sentence meaning when the best two are close. */
  reorder<T extends { label: string; score: number }>(ranked: T[], analyzed: AnalyzedText): T[] {
    const [first, second] = ranked;
    if (!first || !second || first.score - second.score >= CLOSE_CALL) return ranked;
    const vector = sentenceVectorOf(this.#table, analyzed.words);
    return vector ? reorderByMeaning(ranked, (r) => r.label, this.#index, vector) : ranked;
  }
}
