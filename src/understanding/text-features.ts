import type { AnalyzedText } from './analyze-text.ts';

export interface FeatureOptions {
  /** Character n-grams within word boundaries, from charMin to charMax letters. */
  charMin: number;
  charMax: number;
  /** Longer words are cut to this many letters before taking character n-grams. */
  charWordLimit: number;
  /** Word pairs next to each other ("reset password"). */
  bigrams: boolean;
  /** Whether stop words count as single-word features ("why" vs "how" can matter). */
  stopUnigrams: boolean;
  /** Pairs of words one apart ("reset my password" gives "reset password"). */
  skipBigrams: boolean;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  charMin: 2,
  charMax: 5,
  charWordLimit: 24,
  bigrams: true,
  stopUnigrams: true,
  skipBigrams: false,
};

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * A text's features come in two blocks, weighted and normalised separately (feature-space.ts).
 * Word block: stems ("w"), compound parts (also "w"), stem pairs ("b").
 */
export function collectWordFeatures(text: AnalyzedText, options: FeatureOptions): Map<string, number> {
  const word = new Map<string, number>();
  const { stems, stop } = text;
  for (let i = 0; i < stems.length; i++) {
    const stem = stems[i] as string;
    if (options.stopUnigrams || !stop[i]) bump(word, `w${stem}`);
    if (options.bigrams && i + 1 < stems.length) bump(word, `b${stem} ${stems[i + 1]}`);
    if (options.skipBigrams && i + 2 < stems.length) bump(word, `s${stem} ${stems[i + 2]}`);
  }
  for (const part of text.partStems) bump(word, `w${part}`);
  return word;
}

/**
 * Character block: n-grams of each word padded with spaces, so "reset" gives " r", "re", …,
 * "et " and " res", …, keyed by a 30-bit hash of their letters instead of a string (texts make
 * hundreds, and rare collisions merely merge two n-grams into one feature). Counted in the
 * shared counter: valid until the next call (collecting is synchronous, so one counter serves
 * every caller).
 */
export function charGramsOf(words: readonly string[], options: FeatureOptions): CharGramCounter {
  sharedCounter.count(words, options);
  return sharedCounter;
}

let sharedCounter: CharGramCounter;

/** Largest number of character n-grams counted per text (120 words × 26 letters × 4 lengths). */
const MAX_GRAMS = 1 << 14;

/**
 * Counts a text's character n-grams in typed arrays (an open-addressing table), distinct hashes
 * in first-seen order: a message makes hundreds of n-grams, and a Map per message cost more than
 * the rest of its features. One counter is reused for every message.
 */
export class CharGramCounter {
  /** Distinct n-gram hashes in first-seen order, and how often each occurred. */
  readonly hashes = new Int32Array(MAX_GRAMS);
  readonly counts = new Int32Array(MAX_GRAMS);
  size = 0;
  readonly #slots = new Int32Array(2 * MAX_GRAMS);
  readonly #stamps = new Uint32Array(2 * MAX_GRAMS);
  #stamp = 0;

  count(words: readonly string[], options: FeatureOptions): void {
    this.size = 0;
    this.#stamp = (this.#stamp + 1) >>> 0;
    if (this.#stamp === 0) {
      this.#stamps.fill(0);
      this.#stamp = 1;
    }
    for (const w of words) {
      const padded = ` ${w.length > options.charWordLimit ? w.slice(0, options.charWordLimit) : w} `;
      for (let i = 0; i < padded.length; i++) {
        // FNV-1a over the n-gram starting at i, emitted at each length from charMin to charMax.
        let hash = 0x811c9dc5;
        const last = Math.min(padded.length, i + options.charMax);
        for (let j = i; j < last; j++) {
          hash = Math.imul(hash ^ padded.charCodeAt(j), 0x01000193);
          // 30 bits keep the key a small integer (no boxed number per n-gram).
          if (j - i + 1 >= options.charMin) this.#add(hash & 0x3fffffff);
        }
      }
    }
  }

  #add(hash: number): void {
    const mask = this.#slots.length - 1;
    let slot = Math.imul(hash, 0x9e3779b1) & mask;
    for (;;) {
      if (this.#stamps[slot] !== this.#stamp) {
        if (this.size >= MAX_GRAMS) return;
        this.#stamps[slot] = this.#stamp;
        this.#slots[slot] = this.size;
        this.hashes[this.size] = hash;
        this.counts[this.size++] = 1;
        return;
      }
      const at = this.#slots[slot] as number;
      if (this.hashes[at] === hash) {
        this.counts[at] = (this.counts[at] as number) + 1;
        return;
      }
      slot = (slot + 1) & mask;
    }
  }
}

sharedCounter = new CharGramCounter();
