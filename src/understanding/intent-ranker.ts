import { RuntimeError } from '../core/errors.ts';
import type { Language } from '../core/language.ts';
import { type AnalyzedText, mixedWith } from './analyze-text.ts';
import { CentroidIndex, type CentroidIndexSnapshot, PooledCentroids } from './centroid-index.ts';
import { DistilledSentenceMeaning } from './distilled-sentence-meaning.ts';
import { FeatureSpace, type FeatureSpaceSnapshot } from './feature-space.ts';
import type { SynonymTable } from './german-synonyms.ts';
import { LabelRows, type LabelRowsSnapshot } from './label-rows.ts';
import { LabelWords } from './label-words.ts';
import { LinearModel } from './linear-model.ts';
import { NUMBER_TOKEN } from './normalize-text.ts';
import { PhrasingRows, type PhrasingRowsSnapshot } from './phrasing-rows.ts';
import { type RankerGroundwork, rankerGroundworkSteps } from './ranker-groundwork.ts';
import type { RankerOptions } from './ranker-options.ts';
import type { LabelledText, RankedLabel, RankResult } from './ranker-types.ts';
import { type BuildSteps, runSteps } from './run-steps.ts';
import { calibrateScore, type ScorerKind } from './score-calibration.ts';
import type { SentenceIndexSnapshot } from './sentence-index.ts';
import { topAmong, topIndices } from './top-indices.ts';
import { type MeaningQuery, WordMeaningIndex, type WordMeaningIndexSnapshot } from './word-meaning-index.ts';

export interface IntentRankerSnapshot {
  labels: string[];
  space: FeatureSpaceSnapshot;
  phrasingCount: number;
  phrasings: PhrasingRowsSnapshot;
  rows: LabelRowsSnapshot | null;
  pooled: CentroidIndexSnapshot | null;
  meaning: WordMeaningIndexSnapshot | null;
  meaningWeight: number;
  sentences: SentenceIndexSnapshot | null;
}

/** The word vectors a ranker was built with (RankerOptions), needed again to restore it. */
export type RankerVectors = Pick<RankerOptions, 'wordVectors' | 'sentenceVectors'> &
  Partial<Pick<RankerOptions, 'germanSynonyms'>>;

/** Labels (best by the first stage) whose mean-vector scores are added; the rest cannot catch up. */
const MEANING_SHORTLIST = 12;

/**
 * Labels (best first) whose words are aligned with the message; the rest get alignment 0. Past
 * the third, a candidate is never offered ("Did you mean" shows three), and aligning them cost a
 * third of the matching time for no measurable accuracy (BANKING77 10-shot, development split).
 */
const ALIGN_FOR = 3;
/**
 * Weight of the alignment when ordering candidates (beside the calibrated score): chosen on a
 * development split of BANKING77's training rows (see BENCHMARKS.md).
 */
const ALIGNMENT_ORDER_WEIGHT = 2;

/** Labels (best first) whose phrasings are scanned for the nearest one; the rest use the centroid. */
const NEAREST_FOR = 3;

/**
 * A label whose closest phrasing is less similar than this is no candidate at all, unless the
 * message's words align with its phrasings at least MIN_ALIGNMENT (the same thing in other words).
 */
const MIN_NEAREST = 0.1;
const MIN_ALIGNMENT = 0.5;

/**
 * Ranks labels (FAQ entries, intents) for a message. TF-IDF vectors of word 1–2-grams and
 * character 2–5-grams; a linear classifier orders the labels; the best few are then compared
 * with their nearest phrasing and centroid, and the three signals are mapped to a calibrated
 * score (see score-calibration.ts).
 */
export class IntentRanker {
  readonly labels: readonly string[];
  readonly scorerKind: ScorerKind;
  readonly #space: FeatureSpace;
  /** The linear ranker's classifier and centroids, walked together; null for the centroid ranker. */
  readonly #rows: LabelRows | null;
  /** The centroid ranker's scorer; null for the linear ranker. */
  readonly #pooled: PooledCentroids | null;
  readonly #phrasingCount: number;
  readonly #phrasings: PhrasingRows;
  readonly #query: Float32Array;
  readonly #scores: Float64Array;
  /** Cosine to the centroid of each label of `top` (the linear ranker's). */
  readonly #centroids: Float64Array;
  /** The same for the other language of a mixed message. */
  readonly #otherCentroids: Float64Array;
  readonly #meaning: WordMeaningIndex | null;
  readonly #meaningWeight: number;
  /** English sentence meaning for close calls; null when switched off or not applicable. */
  readonly #sentences: DistilledSentenceMeaning | null;
  /** German synonyms for a message's unknown words; not part of the index (snapshot). */
  readonly #synonyms: SynonymTable | null;
  /** Which words each label uses, and how much of a message that covers. */
  readonly #labelWords: LabelWords;

  private constructor(parts: {
    labels: string[];
    space: FeatureSpace;
    phrasingCount: number;
    phrasings: PhrasingRows;
    rows: LabelRows | null;
    pooled: PooledCentroids | null;
    meaning: WordMeaningIndex | null;
    meaningWeight: number;
    sentences: DistilledSentenceMeaning | null;
    synonyms: SynonymTable | null;
  }) {
    this.#synonyms = parts.synonyms;
    this.#sentences = parts.sentences;
    this.#meaning = parts.meaning;
    this.#meaningWeight = parts.meaningWeight;
    const space = parts.space;
    this.labels = parts.labels;
    this.#space = space;
    this.#phrasingCount = parts.phrasingCount;
    this.#rows = parts.rows;
    this.#pooled = parts.pooled;
    this.scorerKind = parts.rows ? 'linear' : 'centroid';
    const C = this.labels.length;
    this.#phrasings = parts.phrasings;
    this.#labelWords = new LabelWords(space, parts.phrasings);
    this.#query = new Float32Array(space.dimensions);
    this.#scores = new Float64Array(C);
    this.#centroids = new Float64Array(C + 1);
    this.#otherCentroids = new Float64Array(C + 1);
  }

  static train(items: readonly LabelledText[], options: Partial<RankerOptions> = {}): IntentRanker {
    return runSteps(IntentRanker.trainSteps(items, options));
  }

  /**
   * `train` in small steps (see run-steps.ts): with `runStepsAsync` a rebuild at run time leaves
   * the event loop free between steps and gives the same ranker as `train`.
   */
  static *trainSteps(
    items: readonly LabelledText[],
    options: Partial<RankerOptions> = {},
    previous?: IntentRanker,
  ): BuildSteps<IntentRanker> {
    return yield* IntentRanker.fitSteps(yield* rankerGroundworkSteps(items, options), previous);
  }

  /**
   * The ranker on a groundwork (see ranker-groundwork.ts): its classifier trained afresh, or from
   * `previous`'s weights (a quick index after an edit), with the same groundwork either way.
   */
  static *fitSteps(ground: RankerGroundwork, previous?: IntentRanker): BuildSteps<IntentRanker> {
    const { settings, labels, space, vectors, labelOf, phrasings, centroids } = ground;
    const C = labels.length;
    let rows: LabelRows | null = null;
    let pooled: PooledCentroids | null = null;
    if (ground.linear) {
      const start = previous ? yield* previous.#classifierStart(space, labels) : undefined;
      const model = yield* LinearModel.trainSteps(
        space.dimensions,
        C,
        vectors,
        labelOf,
        settings.linear,
        start,
      );
      rows = yield* LabelRows.buildSteps(space.dimensions, model.weightRows(), centroids, (label, language) =>
        phrasings.hasPhrasingsIn(label, language),
      );
    } else {
      pooled = new PooledCentroids(yield* CentroidIndex.fromCentroidsSteps(space.dimensions, centroids), C);
    }
    const sentences =
      settings.sentenceVectors && ground.linear
        ? yield* DistilledSentenceMeaning.buildSteps(
            settings.sentenceVectors,
            { analyzed: ground.analyzed, languages: ground.languages, labelOf, labels },
            ground.few,
            previous ? (previous.#sentences ?? undefined) : undefined,
          )
        : null;
    yield;
    return new IntentRanker({
      labels,
      space,
      phrasingCount: vectors.length,
      phrasings,
      rows,
      pooled,
      meaning: ground.meaning,
      meaningWeight: settings.meaningWeight,
      sentences,
      synonyms: settings.germanSynonyms,
    });
  }

  /**
   * This ranker's classifier weights in a new space and label order, to start a retrain from
   * (zeros for features and labels new there); undefined for the centroid ranker.
   */
  *#classifierStart(space: FeatureSpace, labels: readonly string[]): BuildSteps<Float32Array | undefined> {
    if (!this.#rows) return undefined;
    const C = labels.length;
    const featureOf = space.idsOf(this.#space);
    const index = new Map(labels.map((label, i) => [label, i]));
    const labelOf = Int32Array.from(this.labels, (label) => index.get(label) ?? -1);
    const start = new Float32Array(space.dimensions * C);
    yield* this.#rows.classifierWeightSteps((f, l, w) => {
      const feature = featureOf[f] as number;
      const label = labelOf[l] as number;
      if (feature >= 0 && label >= 0) start[feature * C + label] = w;
    });
    return start;
  }

  /** Whether a retrain can start from this ranker's classifier (trainSteps' `previous`). */
  get canWarmStart(): boolean {
    return this.#rows !== null;
  }

  get phrasingCount(): number {
    return this.#phrasingCount;
  }

  snapshot(): IntentRankerSnapshot {
    return {
      labels: [...this.labels],
      space: this.#space.snapshot(),
      phrasingCount: this.#phrasingCount,
      phrasings: this.#phrasings.snapshot(),
      rows: this.#rows?.snapshot() ?? null,
      pooled: this.#pooled?.snapshot() ?? null,
      meaning: this.#meaning?.snapshot() ?? null,
      meaningWeight: this.#meaningWeight,
      sentences: this.#sentences?.snapshot() ?? null,
    };
  }

  /** The ranker of a snapshot(); `vectors` must be those it was built with. */
  static restore(snapshot: IntentRankerSnapshot, vectors: RankerVectors): IntentRanker {
    const { wordVectors, sentenceVectors } = vectors;
    if ((snapshot.meaning && !wordVectors) || (snapshot.sentences && !sentenceVectors))
      throw new RuntimeError('internal_error', 'the ranker was built with word vectors that are not loaded');
    return new IntentRanker({
      labels: snapshot.labels,
      space: FeatureSpace.restore(snapshot.space),
      phrasingCount: snapshot.phrasingCount,
      phrasings: PhrasingRows.restore(snapshot.phrasings),
      rows: snapshot.rows ? LabelRows.restore(snapshot.rows) : null,
      pooled: snapshot.pooled ? PooledCentroids.restore(snapshot.pooled) : null,
      meaning:
        snapshot.meaning && wordVectors ? WordMeaningIndex.restore(snapshot.meaning, wordVectors) : null,
      meaningWeight: snapshot.meaningWeight,
      sentences:
        snapshot.sentences && sentenceVectors
          ? DistilledSentenceMeaning.restore(snapshot.sentences, sentenceVectors)
          : null,
      synonyms: vectors.germanSynonyms ?? null,
    });
  }

  rank(text: string, options: { hint?: Language | undefined; limit?: number } = {}): RankResult {
    const limit = Math.max(1, options.limit ?? 5);
    const { language, vector, analyzed } = this.#space.vectorizeQuery(text, options.hint, this.#synonyms);
    if (vector.ids.length === 0 || this.labels.length === 0) return { language, ranked: [] };
    const scores = this.#scores;
    // The centroid ranker's scores are its cosines to every group's centroid (kept for #centroid).
    if (this.#rows) this.#rows.scoreAll(vector, scores);
    else this.#pooled?.scoreAll(vector, scores);
    const meaning: MeaningQuery | null = this.#meaning?.prepare(analyzed) ?? null;
    const sentences = language === 'en' ? this.#sentences : null;
    // Sentence meaning may re-order a longer list than asked for, then it is cut to the limit.
    const pool = sentences ? sentences.poolFor(limit + 1) : limit + 1;
    let top: number[];
    if (meaning && this.#meaning) {
      // Word meaning only reorders the labels the message's own words already favour.
      const shortlist = topIndices(scores, Math.max(pool, MEANING_SHORTLIST));
      this.#meaning.addLabelScores(meaning, this.#meaningWeight, scores, shortlist);
      top = topAmong(scores, shortlist, pool);
    } else top = topIndices(scores, pool);
    const best = scores[top[0] as number] as number;
    const second = top.length > 1 ? (scores[top[1] as number] as number) : 0;
    const dense = this.#query;
    for (let k = 0; k < vector.ids.length; k++) dense[vector.ids[k] as number] = vector.values[k] as number;
    const ranked: RankedLabel[] = [];
    const order: number[] = [];
    const theWord = this.#onlyContentWord(analyzed);
    const centroids = this.#centroids;
    this.#rows?.centroids(vector, language, top, centroids);
    // A mixed message ("die response time bei prio 1") is also compared with the phrasings and
    // centroids of the other language it uses: the closer of the two counts.
    const mixed = mixedWith(analyzed, this.#space.vocabulary);
    if (mixed && this.#rows) {
      this.#rows.centroids(vector, mixed, top, this.#otherCentroids);
      for (let j = 0; j < top.length; j++)
        centroids[j] = Math.max(centroids[j] as number, this.#otherCentroids[j] as number);
    }
    for (let position = 0; position < top.length; position++) {
      const label = top[position] as number;
      const centroid = this.#rows ? (centroids[position] as number) : this.#centroid(label, language);
      // Scanning phrasings is the costly part; labels past the third only fill the list.
      let nearest =
        position < NEAREST_FOR ? this.#phrasings.nearest(vector, dense, label, language) : centroid;
      if (mixed && position < NEAREST_FOR)
        nearest = Math.max(nearest, this.#phrasings.nearest(vector, dense, label, mixed));
      const alignment =
        meaning && position < ALIGN_FOR ? this.#meaning?.alignment(meaning, label) : meaning ? 0 : undefined;
      if (nearest < MIN_NEAREST && (alignment ?? 0) < MIN_ALIGNMENT) continue;
      const own = scores[label] as number;
      const margin = own === best ? best - second : own - best;
      const coverage = this.#labelWords.coverage(analyzed, label);
      const score = calibrateScore(this.scorerKind, { margin, nearest, centroid, alignment, coverage });
      const entry: RankedLabel = {
        label: this.labels[label] as string,
        score,
        margin,
        nearest,
        centroid,
        alignment,
        coverage,
      };
      if (theWord !== undefined) entry.usesTheWord = theWord >= 0 && this.#labelWords.uses(label, theWord);
      // The classifier orders; the calibrated score (and the alignment, where there is one) can
      // reorder close calls: a stable insertion by that key, highest first.
      const key = score + ALIGNMENT_ORDER_WEIGHT * (alignment ?? 0);
      let at = ranked.length;
      ranked.push(entry);
      order.push(key);
      while (at > 0 && (order[at - 1] as number) < key) {
        ranked[at] = ranked[at - 1] as RankedLabel;
        order[at] = order[at - 1] as number;
        at--;
      }
      ranked[at] = entry;
      order[at] = key;
    }
    for (let k = 0; k < vector.ids.length; k++) dense[vector.ids[k] as number] = 0;
    // A candidate placed below one with a lower score keeps at most that score, so scores still
    // fall down the list and the pair reads as a close call.
    for (let i = 1; i < ranked.length; i++) {
      const above = (ranked[i - 1] as RankedLabel).score;
      const entry = ranked[i] as RankedLabel;
      if (entry.score > above) entry.score = above;
    }
    const ordered = sentences ? sentences.reorder(ranked, analyzed) : ranked;
    if (ordered.length > limit) ordered.length = limit;
    return { language, ranked: ordered, oneWord: theWord !== undefined };
  }

  /**
   * Cosine of the message to the label's centroid in the message's language, or to its other
   * centroid when it has no phrasings in that language.
   */
  #centroid(label: number, language: Language): number {
    const own = language === 'de' ? 0 : 1;
    const group = 2 * label + (this.#phrasings.hasPhrasingsIn(label, language) ? own : 1 - own);
    return (this.#pooled as PooledCentroids).groupScores[group] as number;
  }

  /**
   * The feature id of the message's only content word (-1 if the phrasings never use it), or
   * undefined when the message has none or several.
   */
  #onlyContentWord(analyzed: AnalyzedText): number | undefined {
    let stem: string | undefined;
    for (let i = 0; i < analyzed.stems.length; i++) {
      if (analyzed.stop[i] || analyzed.words[i] === NUMBER_TOKEN) continue;
      if (stem !== undefined && stem !== analyzed.stems[i]) return undefined;
      stem = analyzed.stems[i];
    }
    return stem === undefined ? undefined : (this.#space.stemFeature(stem) ?? -1);
  }
}
