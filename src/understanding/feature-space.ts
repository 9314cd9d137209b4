import type { Language } from '../core/language.ts';
import { type AnalyzedText, analyzeText } from './analyze-text.ts';
import { detectLanguageOfTokens } from './detect-language.ts';
import type { SynonymTable } from './german-synonyms.ts';
import { tokenize } from './normalize-text.ts';
import { type BuildSteps, mapInSteps, runSteps } from './run-steps.ts';
import { charGramsOf, collectWordFeatures, type FeatureOptions } from './text-features.ts';
import { Vocabulary, type VocabularySnapshot } from './vocabulary.ts';

/** A sparse vector: feature ids and their weights. */
export interface SparseVector {
  ids: Int32Array;
  values: Float32Array;
}

export interface FeatureSpaceOptions {
  features: FeatureOptions;
  /** Share of the word block in a vector's squared norm (the rest is character n-grams). */
  wordShare: number;
}

export interface FeatureSpaceBuild {
  space: FeatureSpace;
  vectors: SparseVector[];
  languages: Language[];
  /** The texts as analysed (words, stems, stop words), for signals beyond the vectors. */
  analyzed: AnalyzedText[];
}

export interface QueryVector {
  language: Language;
  vector: SparseVector;
  /** Squared norm of the query's known features (1 = every feature was seen in training). */
  known: number;
  analyzed: AnalyzedText;
}

/** A built feature space as plain data (see index-cache.ts). */
export interface FeatureSpaceSnapshot {
  options: FeatureSpaceOptions;
  vocabulary: VocabularySnapshot;
  wordIds: Map<string, number>;
  charIds: Map<number, number>;
  isWord: Uint8Array;
  idf: Float32Array;
  unknownIdf: number;
}

/**
 * Turns texts into L2-normalised TF-IDF vectors: sublinear term frequency, word and character
 * blocks normalised separately and weighted. Built once from the training phrasings.
 */
export class FeatureSpace {
  readonly vocabulary: Vocabulary;
  readonly #options: FeatureSpaceOptions;
  #wordIds = new Map<string, number>();
  #charIds = new Map<number, number>();
  /** #charIds as an open-addressing table, for the hundreds of lookups of every message. */
  #charTable = new HashIdTable(new Map());
  #size = 0;
  /** 1 for word-block features, 0 for character n-grams. */
  #isWord: Uint8Array = new Uint8Array(0);
  #idf: Float32Array = new Float32Array(0);
  #unknownIdf = 1;
  /** Ids and weights of the vector being made, reused from text to text. */
  #scratchIds = new Int32Array(1024);
  #scratchValues = new Float64Array(1024);

  private constructor(options: FeatureSpaceOptions, vocabulary = new Vocabulary()) {
    this.#options = options;
    this.vocabulary = vocabulary;
  }

  static restore(snapshot: FeatureSpaceSnapshot): FeatureSpace {
    const space = new FeatureSpace(snapshot.options, new Vocabulary(snapshot.vocabulary));
    space.#wordIds = snapshot.wordIds;
    space.#charIds = snapshot.charIds;
    space.#charTable = new HashIdTable(snapshot.charIds);
    space.#size = snapshot.idf.length;
    space.#isWord = snapshot.isWord;
    space.#idf = snapshot.idf;
    space.#unknownIdf = snapshot.unknownIdf;
    return space;
  }

  snapshot(): FeatureSpaceSnapshot {
    return {
      options: this.#options,
      vocabulary: this.vocabulary.snapshot(),
      wordIds: this.#wordIds,
      charIds: this.#charIds,
      isWord: this.#isWord,
      idf: this.#idf,
      unknownIdf: this.#unknownIdf,
    };
  }

  /** Builds the space from training texts and returns it with their vectors and languages. */
  static build(
    texts: readonly { text: string; language?: Language | undefined }[],
    options: FeatureSpaceOptions,
  ): FeatureSpaceBuild {
    return runSteps(FeatureSpace.buildSteps(texts, options));
  }

  /** `build` in small steps (see run-steps.ts). */
  static *buildSteps(
    texts: readonly { text: string; language?: Language | undefined }[],
    options: FeatureSpaceOptions,
  ): BuildSteps<FeatureSpaceBuild> {
    const space = new FeatureSpace(options);
    const tokenized = yield* mapInSteps(texts, (t) => tokenize(t.text));
    const languages = yield* mapInSteps(
      texts,
      (t, i) => t.language ?? detectLanguageOfTokens(t.text, tokenized[i] ?? [], { hint: 'en' }),
    );
    for (let i = 0; i < tokenized.length; i++) {
      for (const token of tokenized[i] ?? []) space.vocabulary.add(token, languages[i]);
      if (i % 64 === 63) yield;
    }
    yield* space.vocabulary.buildSteps();
    const analyzed = yield* mapInSteps(texts, (t, i) =>
      analyzeText(t.text, space.vocabulary, { language: languages[i] }),
    );
    // Each text's word counts, and its character n-grams as typed arrays (a Map per text of
    // hundreds of n-grams was most of the build's garbage).
    const words = yield* mapInSteps(analyzed, (a) => collectWordFeatures(a, options.features));
    const chars = yield* mapInSteps(analyzed, (a) => {
      const counter = charGramsOf(a.words, options.features);
      return { hashes: counter.hashes.slice(0, counter.size), counts: counter.counts.slice(0, counter.size) };
    });
    const df: number[] = [];
    const isWord: number[] = [];
    const newFeature = (word: number) => {
      df.push(0);
      isWord.push(word);
      return space.#size++;
    };
    const charTable = new HashIdTable();
    for (let i = 0; i < words.length; i++) {
      for (const key of (words[i] as Map<string, number>).keys()) {
        let id = space.#wordIds.get(key);
        if (id === undefined) {
          id = newFeature(1);
          space.#wordIds.set(key, id);
        }
        df[id] = (df[id] as number) + 1;
      }
      const { hashes } = chars[i] as { hashes: Int32Array };
      for (let k = 0; k < hashes.length; k++) {
        const hash = hashes[k] as number;
        let id = charTable.get(hash);
        if (id === undefined) {
          id = newFeature(0);
          charTable.set(hash, id);
        }
        df[id] = (df[id] as number) + 1;
      }
      if (i % 64 === 63) yield;
    }
    space.#charTable = charTable;
    space.#charIds = charTable.toMap();
    const n = texts.length;
    space.#idf = Float32Array.from(df, (d) => Math.log((1 + n) / (1 + d)) + 1);
    space.#unknownIdf = Math.log(1 + n) + 1;
    space.#isWord = Uint8Array.from(isWord);
    const vectors = yield* mapInSteps(chars, (c, i) => {
      const word = words[i] as Map<string, number>;
      return space.#vectorize(word, c.hashes, c.counts, c.hashes.length).vector;
    });
    return { space, vectors, languages, analyzed };
  }

  get dimensions(): number {
    return this.#size;
  }

  /** For each feature of `other`, the id of the same feature here, or -1 (for a warm start). */
  idsOf(other: FeatureSpace): Int32Array {
    const ids = new Int32Array(other.#size).fill(-1);
    for (const [key, id] of other.#wordIds) ids[id] = this.#wordIds.get(key) ?? -1;
    for (const [key, id] of other.#charIds) ids[id] = this.#charIds.get(key) ?? -1;
    return ids;
  }

  isWordFeature(id: number): boolean {
    return this.#isWord[id] === 1;
  }

  /** Feature id of a single stem (as a word unigram), if the phrasings have it. */
  stemFeature(stem: string): number | undefined {
    return this.#wordIds.get(`w${stem}`);
  }

  idf(id: number): number {
    return this.#idf[id] ?? this.#unknownIdf;
  }

  /** Vector of a message: typos corrected against the vocabulary, language detected (hint as fallback). */
  vectorizeQuery(text: string, hint?: Language, synonyms?: SynonymTable | null): QueryVector {
    const analyzed = analyzeText(text, this.vocabulary, { hint, correct: true, synonyms });
    const features = this.#options.features;
    const chars = charGramsOf(analyzed.words, features);
    const { vector, known } = this.#vectorize(
      collectWordFeatures(analyzed, features),
      chars.hashes,
      chars.counts,
      chars.size,
    );
    return { language: analyzed.language, vector, known, analyzed };
  }

  /**
   * Both blocks are scaled to their share of a unit norm counting unknown features too (with the
   * highest idf), then only known features are kept: a message full of words the knowledge base
   * never uses ends up with a short vector and low similarities.
   */
  #vectorize(
    word: Map<string, number>,
    charHashes: Int32Array,
    charCounts: Int32Array,
    charSize: number,
  ): { vector: SparseVector; known: number } {
    if (this.#scratchIds.length < word.size + charSize) {
      this.#scratchIds = new Int32Array(2 * (word.size + charSize));
      this.#scratchValues = new Float64Array(2 * (word.size + charSize));
    }
    const ids = this.#scratchIds;
    const values = this.#scratchValues;
    const idf = this.#idf;
    const unknownIdf = this.#unknownIdf;
    const wordShare = this.#options.wordShare;
    const charShare = 1 - wordShare;
    const present = (word.size > 0 ? wordShare : 0) + (charSize > 0 ? charShare : 0);
    let size = 0;
    let norm = 0;
    for (const [key, tf] of word) {
      const id = this.#wordIds.get(key);
      const w = (1 + Math.log(tf)) * (id === undefined ? unknownIdf : (idf[id] as number));
      norm += w * w;
      if (id === undefined) continue;
      ids[size] = id;
      values[size++] = w;
    }
    let known = this.#scaleBlock(0, size, norm, wordShare / present, 0);
    const charStart = size;
    norm = 0;
    const table = this.#charTable;
    for (let k = 0; k < charSize; k++) {
      const id = table.get(charHashes[k] as number);
      const w =
        (1 + Math.log(charCounts[k] as number)) * (id === undefined ? unknownIdf : (idf[id] as number));
      norm += w * w;
      if (id === undefined) continue;
      ids[size] = id;
      values[size++] = w;
    }
    known = this.#scaleBlock(charStart, size, norm, charShare / present, known);
    return { vector: { ids: ids.slice(0, size), values: new Float32Array(values.subarray(0, size)) }, known };
  }

  /**
   * Scales the block's weights to its share of a unit norm (`norm`: its squared norm counting
   * unknown features too) and returns `known` plus the block's squared norm after. A text
   * without any word features (or char features) gives the other block the whole norm.
   */
  #scaleBlock(from: number, to: number, norm: number, share: number, known: number): number {
    if (norm === 0) return known;
    const values = this.#scratchValues;
    const scale = Math.sqrt(share / norm);
    for (let k = from; k < to; k++) {
      const v = (values[k] as number) * scale;
      values[k] = v;
      known += v * v;
    }
    return known;
  }
}

/** Map from non-negative 30-bit hashes to ids, in typed arrays (linear probing; grows as filled). */
class HashIdTable {
  #keys: Int32Array;
  #ids: Int32Array;
  #mask: number;
  #size = 0;

  constructor(entries: ReadonlyMap<number, number> = new Map()) {
    let capacity = 16;
    while (capacity < 2 * entries.size) capacity *= 2;
    this.#keys = new Int32Array(capacity).fill(-1);
    this.#ids = new Int32Array(capacity);
    this.#mask = capacity - 1;
    for (const [key, id] of entries) this.set(key, id);
  }

  get(key: number): number | undefined {
    let slot = Math.imul(key, 0x9e3779b1) & this.#mask;
    for (;;) {
      const found = this.#keys[slot] as number;
      if (found === key) return this.#ids[slot];
      if (found === -1) return undefined;
      slot = (slot + 1) & this.#mask;
    }
  }

  /** Adds a key that is not in the table yet. */
  set(key: number, id: number): void {
    if (2 * (this.#size + 1) > this.#keys.length) this.#grow();
    let slot = Math.imul(key, 0x9e3779b1) & this.#mask;
    while (this.#keys[slot] !== -1) slot = (slot + 1) & this.#mask;
    this.#keys[slot] = key;
    this.#ids[slot] = id;
    this.#size++;
  }

  /** The entries as a Map (for snapshots and look-ups by the other space of a warm start). */
  toMap(): Map<number, number> {
    const map = new Map<number, number>();
    for (let slot = 0; slot < this.#keys.length; slot++) {
      const key = this.#keys[slot] as number;
      if (key !== -1) map.set(key, this.#ids[slot] as number);
    }
    return map;
  }

  #grow(): void {
    const keys = this.#keys;
    const ids = this.#ids;
    this.#keys = new Int32Array(2 * keys.length).fill(-1);
    this.#ids = new Int32Array(2 * keys.length);
    this.#mask = this.#keys.length - 1;
    this.#size = 0;
    for (let slot = 0; slot < keys.length; slot++)
      if (keys[slot] !== -1) this.set(keys[slot] as number, ids[slot] as number);
  }
}
